"""reuselens: data reuse, arithmetic intensity and DI of deep neural networks.

The library's commands as Python functions; every result is the JSON
document the CLI prints for the same inputs (``reuselens.analyze("zoo:alexnet")
.to_dict()`` equals ``reuselens analyze zoo:alexnet --format json``).

    import reuselens as rl
    a = rl.analyze("zoo:resnet50", batch=4, convention="conv-fc")
    a.analysis.total.di, a.to_pandas()
    rl.compare(["zoo:alexnet", "zoo:nin"], sort="di").to_pandas()
    rl.roofline("zoo:mobilenet-v1", hw="h100-sxm", dtype="bf16")   # renders its chart in Jupyter
    rl.analyze(torch_module, example_input=torch.randn(1, 3, 224, 224))

Errors are reuselens.Error subclasses named as the CLI's categories
(UsageError, IoError, ParseError, ModelError, UnknownModelError), each with
the CLI's exit_code.
"""

import io
import os

from . import _core
from ._core import (Error, IoError, ModelError, ParseError, UnknownModelError,  # noqa: F401
                    UsageError)
from ._results import Result
from .builder import GraphBuilder, Graph  # noqa: F401

__version__ = _core.__version__
__all__ = ["analyze", "compare", "rank", "roofline", "dataflow", "correlate", "llm_sweep",
           "map_layers", "GraphBuilder", "Graph", "Result", "Error", "UsageError", "IoError",
           "ParseError", "ModelError", "UnknownModelError", "zoo", "hardware_presets"]


def _shape_text(shape):
    if isinstance(shape, str):
        return shape
    return "x".join(str(int(d)) for d in shape)


def _load(batch=None, input=None, dims=None, values=None, trip_counts=None):
    """The input options in the CLI's text forms."""
    inputs = []
    if isinstance(input, dict):
        inputs = [f"{name}={_shape_text(shape)}" for name, shape in input.items()]
    elif input is not None:
        inputs = [_shape_text(input)]
    trips = []
    if isinstance(trip_counts, dict):
        trips = [f"{k}={v}" for k, v in trip_counts.items()]
    elif trip_counts is not None:
        trips = [str(trip_counts)]
    return {
        "batch": batch or 0,
        "inputs": inputs,
        "dims": [f"{k}={v}" for k, v in (dims or {}).items()],
        "values": [f"{k}={v}" for k, v in (values or {}).items()],
        "trip_counts": trips,
    }


def _options(convention="paper", alpha=0.8, dtype=None, weight_type=None, act_type=None,
             weight_bits=None, act_bits=None, phase=None, prompt=None, context=None,
             attention=None, logits=None, kv_type=None, group_size=None):
    return {k: v for k, v in locals().items() if v is not None}


_LOAD_KEYS = ("batch", "input", "dims", "values", "trip_counts")


def _split(kwargs):
    load = {k: kwargs.pop(k) for k in _LOAD_KEYS if k in kwargs}
    return _load(**load), _options(**kwargs)


def _torch_onnx_bytes(module, example_input, opset=17):
    """Exports a torch.nn.Module to ONNX in memory (no file left behind)."""
    import torch  # the user's own torch

    buffer = io.BytesIO()
    module = module.eval()
    with torch.no_grad():
        torch.onnx.export(module, example_input, buffer, opset_version=opset,
                          do_constant_folding=True, input_names=["input"])
    return buffer.getvalue()


def _is_torch_module(model):
    try:
        import torch
    except ImportError:
        return False
    return isinstance(model, torch.nn.Module)


def analyze(model, example_input=None, **kwargs):
    """Per-layer and network metrics of one model.

    model: a zoo name ("zoo:resnet50", "resnet50"), a path (.prototxt, .onnx,
    config.json), ONNX bytes, a Graph from GraphBuilder, or a torch.nn.Module
    with ``example_input`` (exported to ONNX in memory).

    Keyword arguments are the CLI's options: batch, input (a shape, or
    {name: shape}), dims, values, trip_counts, convention, alpha, dtype,
    weight_type, act_type, weight_bits, act_bits, and for language models
    phase, prompt, context, attention, logits, kv_type, group_size.
    """
    load, options = _split(dict(kwargs))
    if isinstance(model, Graph):
        return Result(_core.analyze_graph(model._graph, options), table_key="analysis.layers")
    if _is_torch_module(model):
        if example_input is None:
            raise UsageError("a torch module needs example_input to be exported")
        model = _torch_onnx_bytes(model, example_input)
    if isinstance(model, (bytes, bytearray)):
        return Result(_core.analyze_onnx(bytes(model), "<onnx bytes>", load, options),
                      table_key="analysis.layers")
    if isinstance(model, os.PathLike):
        model = os.fspath(model)
    if not isinstance(model, str):
        raise UsageError(f"cannot analyse a {type(model).__name__}: give a zoo name, a path, "
                         "ONNX bytes, a Graph or a torch.nn.Module")
    return Result(_core.analyze_spec(model, load, options), table_key="analysis.layers")


def compare(models, sort="", **kwargs):
    """One row per model in the layout of Table 7 ("zoo:all" expands)."""
    load, options = _split(dict(kwargs))
    return Result(_core.compare([os.fspath(m) for m in models], load, options, sort),
                  table_key="models")


def rank(models, k=0.5, **kwargs):
    """Order candidates by Mc x (1/DI)^k (the paper's Eq. 7); models are specs or Graphs."""
    load, options = _split(dict(kwargs))
    if models and all(isinstance(m, Graph) for m in models):
        return Result(_core.rank_graphs([m._graph for m in models], options, k), table_key="ranking")
    return Result(_core.rank_specs([os.fspath(m) for m in models], load, options, k),
                  table_key="ranking")


def roofline(model, hw="p100", dtype="", level="dram", **kwargs):
    """One model's layers on a machine's roofline; renders its chart in Jupyter."""
    load, options = _split(dict(kwargs))
    doc, svg = _core.roofline(os.fspath(model), hw, dtype, level, load, options)
    return Result(doc, svg=svg, table_key="roofline.layers")


def dataflow(model="", layer="", buffer=None, dtype=None, energy=None, simulate=False, **load):
    """DRAM traffic bounds, dataflows and energy of conv/FC layers (docs/dataflow.md)."""
    options = {k: v for k, v in dict(buffer=buffer, dtype=dtype, energy=energy,
                                     simulate=simulate).items() if v is not None}
    return Result(_core.dataflow(os.fspath(model), layer, _load(**load), options),
                  table_key="layers")


def correlate(measurements="paper", models=(), convention="paper", alpha=0.8, above_idle=False,
              mc_digits=0):
    """AI_c and DI against measured energy efficiency (Tables 6, 9)."""
    doc, svg = _core.correlate(os.fspath(measurements), list(models),
                               dict(convention=convention, alpha=alpha, above_idle=above_idle,
                                    mc_digits=mc_digits))
    return Result(doc, svg=svg, table_key="groups")


def llm_sweep(model, sweep, hw="h100-sxm", dtype="", **kwargs):
    """A language-model step over batch= or context= (docs/llm.md); renders its chart."""
    load, options = _split(dict(kwargs))
    doc, svg = _core.llm_sweep(os.fspath(model), sweep, hw, dtype, load, options)
    return Result(doc, svg=svg, table_key="sweep.points")


def map_layers(model="", layer="", arch="eyeriss-like", objective="energy", top=5, budget=0,
               threads=0, **load):
    """The best mappings of a layer (layer="K=..,C=..") or of every layer of a model."""
    doc, svg = _core.map_search(os.fspath(model), layer, arch, _load(**load),
                                dict(objective=objective, top=top, budget=budget, threads=threads))
    return Result(doc, svg=svg, table_key="network.layers" if model else "search.best")


def zoo():
    """The built-in networks and language-model configs."""
    return _core.zoo_names()


def hardware_presets():
    return _core.hardware_presets()
