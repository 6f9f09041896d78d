#!/usr/bin/python3
"""Copies an ONNX model with every initializer moved into a Constant node,
as Paddle2ONNX writes weights: the benchmark's second case, where payloads
sit inside node attributes instead of the graph's initializer list.

  /usr/bin/python3 tools/onnx_fixtures/to_constant_nodes.py IN.onnx OUT.onnx
"""
import sys

import onnx
from onnx import helper

model = onnx.load(sys.argv[1])
graph = model.graph
constants = [helper.make_node("Constant", [], [t.name], value=t, name="const_" + t.name)
             for t in graph.initializer]
names = {t.name for t in graph.initializer}
inputs = [i for i in graph.input if i.name not in names]
del graph.initializer[:]
del graph.input[:]
graph.input.extend(inputs)
nodes = constants + list(graph.node)
del graph.node[:]
graph.node.extend(nodes)
onnx.save(model, sys.argv[2])
