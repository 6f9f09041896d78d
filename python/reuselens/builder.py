"""Describe a network in Python, layer by layer, as GraphBuilder does in C++.

    b = GraphBuilder("tiny", (1, 3, 32, 32))
    x = b.input()
    x = b.relu(b.conv(x, 16, kernel=3, pad=1))
    x = b.max_pool(x, kernel=2, stride=2)
    x = b.fc(x, 10)
    graph = b.finish()
    reuselens.analyze(graph).analysis.total.di

Every call infers the output shape through the C++ cost registry and raises
ModelError naming the layer when a shape is impossible.
"""

from . import _core


class Graph:
    """A finished network: analyse it, rank it, as any model."""

    def __init__(self, graph):
        self._graph = graph

    @property
    def name(self):
        return self._graph.name

    def __len__(self):
        return len(self._graph)

    def layer_names(self):
        return self._graph.layer_names()


class GraphBuilder:
    def __init__(self, name, input_shape):
        self._b = _core.GraphBuilder(name, [int(d) for d in input_shape])

    def input(self):
        return self._b.input()

    def shape(self, x):
        return tuple(self._b.shape(x))

    def conv(self, x, out_channels, kernel=1, stride=1, pad=0, group=1, dilation=1, bias=True,
             name=""):
        return self._b.conv(x, out_channels, kernel, stride, pad, group, dilation, bias, name)

    def fc(self, x, out_features, bias=True, name=""):
        return self._b.fc(x, out_features, bias, name)

    def max_pool(self, x, kernel=2, stride=2, pad=0, ceil=True, name=""):
        return self._b.max_pool(x, kernel, stride, pad, ceil, name)

    def avg_pool(self, x, kernel=2, stride=2, pad=0, ceil=True, name=""):
        return self._b.avg_pool(x, kernel, stride, pad, ceil, name)

    def global_avg_pool(self, x, name=""):
        return self._b.global_avg_pool(x, name)

    def relu(self, x, name="", in_place=True):
        return self._b.relu(x, name, in_place)

    def batch_norm(self, x, name="", in_place=True):
        return self._b.batch_norm(x, name, in_place)

    def scale(self, x, bias=True, name=""):
        return self._b.scale(x, bias, name)

    def layer_norm(self, x, name=""):
        return self._b.layer_norm(x, name)

    def concat(self, xs, name=""):
        return self._b.concat(list(xs), name)

    def add(self, xs, name=""):
        return self._b.add(list(xs), name)

    def softmax(self, x, name=""):
        return self._b.softmax(x, name)

    def scope(self, prefix):
        self._b.scope(prefix)

    def finish(self):
        return Graph(self._b.finish())
