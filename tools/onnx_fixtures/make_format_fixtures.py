#!/usr/bin/python3
"""Writes small ONNX models exercising what real-world exports contain and
what reuselens must import: weights in Constant nodes (Paddle2ONNX), If /
Loop / Scan with subgraphs reading outer values, opsets newer than libonnx
1.12 knows (18, 19), onnxruntime's com.microsoft ops (fused, quantized,
4-bit MatMulNBits), recurrent layers, Einsum, and the 4- and 8-bit element
types. Each model's truth (MACs, parameters) is computed here by hand from
its dimensions and written to formats_truth.json; the tests compare.

Needs Debian's python3-onnx (and python3-torch for the recurrent exports);
CI reads only the committed files:
  /usr/bin/python3 tools/onnx_fixtures/make_format_fixtures.py tests/data/onnx/formats
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

OUT = sys.argv[1] if len(sys.argv) > 1 else "tests/data/onnx/formats"
TRUTH = {}


def tensor(name, dims, dtype=TensorProto.FLOAT, fill=None):
    """A tensor with its data: the importer must skip it (large) or keep it (small)."""
    count = int(np.prod(dims)) if dims else 1
    t = helper.make_tensor(name, dtype, dims, vals=[fill if fill is not None else 0.5] * count)
    return t


def save(model, name, truth):
    path = os.path.join(OUT, name + ".onnx")
    onnx.save(model, path)
    TRUTH[name] = truth


def model(graph, opset=13, extra=()):
    imports = [helper.make_opsetid("", opset)] + [helper.make_opsetid(d, v) for d, v in extra]
    m = helper.make_model(graph, opset_imports=imports, producer_name="reuselens fixtures")
    m.ir_version = 8
    return m


def constant_weights():
    """Paddle2ONNX style: every weight a Constant node (payload > 512 bytes)."""
    nodes = [
        helper.make_node("Constant", [], ["w"], value=tensor("w", [16, 3, 3, 3])),
        helper.make_node("Constant", [], ["b"], value=tensor("b", [16])),
        helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1], name="conv"),
        helper.make_node("Relu", ["c"], ["y"], name="relu"),
    ]
    g = helper.make_graph(nodes, "constant_weights",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 32, 32])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    save(model(g, 11), "constant_weights",
         {"input": "x=1x3x32x32", "macs": 16 * 32 * 32 * 27, "weights": 16 * 27 + 16})


def if_sample_rate():
    """If on a scalar input (silero-style): 16 kHz branch conv of 8 filters,
    else 4 filters; both read the outer input x."""
    def branch(name, k):
        w = tensor(name + "_w", [k, 1, 5])
        return helper.make_graph(
            [helper.make_node("Conv", ["x", name + "_w"], [name + "_y"], name=name + "_conv"),
             helper.make_node("ReduceMean", [name + "_y"], [name + "_out"], axes=[1], keepdims=0,
                              name=name + "_mean")],
            name, [], [helper.make_tensor_value_info(name + "_out", TensorProto.FLOAT, None)], [w])
    nodes = [
        helper.make_node("Constant", [], ["rate"], value=helper.make_tensor("rate", TensorProto.INT64, [], [16000])),
        helper.make_node("Equal", ["sr", "rate"], ["is16k"]),
        helper.make_node("If", ["is16k"], ["y"], then_branch=branch("then", 8),
                         else_branch=branch("else", 4), name="by_rate"),
    ]
    g = helper.make_graph(nodes, "if_sample_rate",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 512]),
                           helper.make_tensor_value_info("sr", TensorProto.INT64, [])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    save(model(g, 13), "if_sample_rate",
         {"then_macs": 8 * 508 * 5, "else_macs": 4 * 508 * 5})


def loop_counter():
    """A Loop whose trip count is an input; the body is a 64x64 MatMul on the
    carried state, reading an outer weight."""
    body = helper.make_graph(
        [helper.make_node("MatMul", ["h", "w"], ["h2"], name="step"),
         helper.make_node("Relu", ["h2"], ["h_out"], name="act"),
         helper.make_node("Identity", ["cond_in"], ["cond_out"])],
        "body",
        [helper.make_tensor_value_info("i", TensorProto.INT64, []),
         helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         helper.make_tensor_value_info("h", TensorProto.FLOAT, [1, 64])],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
         helper.make_tensor_value_info("h_out", TensorProto.FLOAT, [1, 64])])
    nodes = [
        helper.make_node("Constant", [], ["true"], value=helper.make_tensor("true", TensorProto.BOOL, [], [True])),
        helper.make_node("Loop", ["steps", "true", "h0"], ["h_final"], body=body, name="unroll"),
    ]
    g = helper.make_graph(nodes, "loop_counter",
                          [helper.make_tensor_value_info("steps", TensorProto.INT64, []),
                           helper.make_tensor_value_info("h0", TensorProto.FLOAT, [1, 64])],
                          [helper.make_tensor_value_info("h_final", TensorProto.FLOAT, [1, 64])],
                          [tensor("w", [64, 64])])
    save(model(g, 13), "loop_counter", {"macs_per_step": 64 * 64, "weights": 64 * 64})


def scan_rnn():
    """Scan over 10 steps of a [10, 1, 32] sequence: h = tanh(x W + h U)."""
    body = helper.make_graph(
        [helper.make_node("MatMul", ["xt", "W"], ["a"]), helper.make_node("MatMul", ["h", "U"], ["b"]),
         helper.make_node("Add", ["a", "b"], ["s"]), helper.make_node("Tanh", ["s"], ["h_next"]),
         helper.make_node("Identity", ["h_next"], ["y_t"])],
        "cell",
        [helper.make_tensor_value_info("h", TensorProto.FLOAT, [1, 16]),
         helper.make_tensor_value_info("xt", TensorProto.FLOAT, [1, 32])],
        [helper.make_tensor_value_info("h_next", TensorProto.FLOAT, [1, 16]),
         helper.make_tensor_value_info("y_t", TensorProto.FLOAT, [1, 16])])
    g = helper.make_graph([helper.make_node("Scan", ["h0", "xs"], ["h_last", "ys"], body=body,
                                            num_scan_inputs=1, name="rnn")],
                          "scan_rnn",
                          [helper.make_tensor_value_info("h0", TensorProto.FLOAT, [1, 16]),
                           helper.make_tensor_value_info("xs", TensorProto.FLOAT, [10, 1, 32])],
                          [helper.make_tensor_value_info("h_last", TensorProto.FLOAT, [1, 16]),
                           helper.make_tensor_value_info("ys", TensorProto.FLOAT, [10, 1, 16])],
                          [tensor("W", [32, 16]), tensor("U", [16, 16])])
    save(model(g, 11), "scan_rnn", {"macs": 10 * (32 * 16 + 16 * 16), "weights": 32 * 16 + 16 * 16})


def opset18():
    """ReduceMean with axes as an input, Split with num_outputs, Pad with axes,
    GroupNormalization: the opset-18 forms libonnx 1.12 does not know."""
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1], name="conv"),
        helper.make_node("GroupNormalization", ["c", "gamma", "beta"], ["g"], num_groups=4, name="gn"),
        helper.make_node("Split", ["g"], ["s0", "s1"], axis=1, num_outputs=2, name="split"),
        helper.make_node("Pad", ["s0", "pads", "", "pad_axes"], ["p"], name="pad"),
        helper.make_node("ReduceMean", ["p", "axes"], ["m"], keepdims=1, name="mean"),
        helper.make_node("Mul", ["m", "s1"], ["y"], name="mul"),
    ]
    inits = [tensor("w", [16, 8, 3, 3]), tensor("gamma", [16]), tensor("beta", [16]),
             helper.make_tensor("pads", TensorProto.INT64, [4], [1, 1, 1, 1]),
             helper.make_tensor("pad_axes", TensorProto.INT64, [2], [2, 3]),
             helper.make_tensor("axes", TensorProto.INT64, [2], [2, 3])]
    g = helper.make_graph(nodes, "opset18", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8, 16, 16])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    save(model(g, 18), "opset18", {"macs": 16 * 16 * 16 * 72, "output": [1, 8, 16, 16]})


def contrib():
    """onnxruntime's fused ops: SkipLayerNormalization, FusedMatMul,
    GroupQueryAttention with a past, MatMulNBits (4 bits, block 32),
    QLinearAdd."""
    b, s, d, heads, kv, head, past = 1, 8, 64, 4, 2, 16, 24
    nodes = [
        helper.make_node("SkipLayerNormalization", ["x", "skip", "gamma", "beta"], ["n"], domain="com.microsoft", name="sln"),
        helper.make_node("FusedMatMul", ["n", "wq"], ["q"], domain="com.microsoft", name="q_proj"),
        helper.make_node("MatMulNBits", ["n", "wk_q", "wk_scales"], ["k"], domain="com.microsoft",
                         K=d, N=kv * head, bits=4, block_size=32, name="k_proj"),
        helper.make_node("MatMulNBits", ["n", "wv_q", "wv_scales"], ["v"], domain="com.microsoft",
                         K=d, N=kv * head, bits=4, block_size=32, name="v_proj"),
        helper.make_node("GroupQueryAttention", ["q", "k", "v", "past_key", "past_value", "seqlens", "total"],
                         ["attn", "present_key", "present_value"], domain="com.microsoft",
                         num_heads=heads, kv_num_heads=kv, name="gqa"),
        helper.make_node("FusedMatMul", ["attn", "wo"], ["y"], domain="com.microsoft", name="o_proj"),
    ]
    blob = 32 * 4 // 8  # bytes per block of 32 4-bit weights
    inits = [tensor("gamma", [d]), tensor("beta", [d]), tensor("wq", [d, heads * head]),
             helper.make_tensor("wk_q", TensorProto.UINT8, [kv * head, d // 32, blob], [0] * (kv * head * d // 32 * blob)),
             tensor("wk_scales", [kv * head * (d // 32)]),
             helper.make_tensor("wv_q", TensorProto.UINT8, [kv * head, d // 32, blob], [0] * (kv * head * d // 32 * blob)),
             tensor("wv_scales", [kv * head * (d // 32)]), tensor("wo", [heads * head, d]),
             helper.make_tensor("seqlens", TensorProto.INT32, [1], [past + s - 1]),
             helper.make_tensor("total", TensorProto.INT32, [], [past + s])]
    g = helper.make_graph(nodes, "contrib", [
        helper.make_tensor_value_info("x", TensorProto.FLOAT, [b, s, d]),
        helper.make_tensor_value_info("skip", TensorProto.FLOAT, [b, s, d]),
        helper.make_tensor_value_info("past_key", TensorProto.FLOAT, [b, kv, past, head]),
        helper.make_tensor_value_info("past_value", TensorProto.FLOAT, [b, kv, past, head])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    t = past + s
    macs = (b * s * d * heads * head  # q
            + 2 * b * s * d * kv * head  # k, v (4-bit)
            + b * heads * s * t * head * 2  # scores, context
            + b * s * heads * head * d)  # o
    save(model(g, 17, [("com.microsoft", 1)]), "contrib",
         {"macs": macs, "weights_4bit_bytes": 2 * kv * head * d // 2})


def recurrent():
    """LSTM, GRU and RNN exported from PyTorch (sequence 20, batch 2)."""
    import torch
    for kind, gates in (("LSTM", 4), ("GRU", 3), ("RNN", 1)):
        layer = getattr(torch.nn, kind)(input_size=24, hidden_size=32, num_layers=1, bidirectional=kind == "GRU")
        dirs = 2 if kind == "GRU" else 1
        x = torch.randn(20, 2, 24)
        path = os.path.join(OUT, kind.lower() + ".onnx")
        torch.onnx.export(layer, (x,), path, opset_version=14, input_names=["x"])
        params = sum(p.numel() for p in layer.parameters())
        TRUTH[kind.lower()] = {"macs": 20 * 2 * dirs * gates * 32 * (24 + 32), "params": params}


def einsum():
    """Einsum 'bhid,bhjd->bhij' (attention scores) and a weight contraction."""
    nodes = [helper.make_node("Einsum", ["q", "k"], ["s"], equation="bhid,bhjd->bhij", name="scores"),
             helper.make_node("Einsum", ["s", "w"], ["y"], equation="bhij,jk->bhik", name="mix")]
    g = helper.make_graph(nodes, "einsum", [
        helper.make_tensor_value_info("q", TensorProto.FLOAT, [2, 4, 16, 8]),
        helper.make_tensor_value_info("k", TensorProto.FLOAT, [2, 4, 16, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], [tensor("w", [16, 32])])
    save(model(g, 13), "einsum", {"macs": 2 * 4 * 16 * 16 * 8 + 2 * 4 * 16 * 16 * 32})


def low_bit_types():
    """Weights stored as INT4 (type 22) and FLOAT8E4M3FN (17), dequantized."""
    w4 = helper.make_tensor("w4", 22, [64, 64], vals=[0] * 4096) if hasattr(TensorProto, "INT4") else None
    t4 = TensorProto()
    t4.name, t4.data_type = "w4", 22
    t4.dims.extend([64, 64])
    t4.raw_data = bytes(64 * 64 // 2)
    t8 = TensorProto()
    t8.name, t8.data_type = "w8", 17
    t8.dims.extend([64, 64])
    t8.raw_data = bytes(64 * 64)
    nodes = [helper.make_node("DequantizeLinear", ["w4", "s4"], ["w4f"], name="dq4"),
             helper.make_node("DequantizeLinear", ["w8", "s8"], ["w8f"], name="dq8"),
             helper.make_node("MatMul", ["x", "w4f"], ["h"], name="mm4"),
             helper.make_node("MatMul", ["h", "w8f"], ["y"], name="mm8")]
    g = helper.make_graph(nodes, "low_bit_types", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 64])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 64])],
                          [t4, t8, helper.make_tensor("s4", TensorProto.FLOAT, [], [0.1]),
                           helper.make_tensor("s8", TensorProto.FLOAT, [], [0.1])])
    m = model(g, 21)
    path = os.path.join(OUT, "low_bit_types.onnx")
    onnx.save(m, path)
    TRUTH["low_bit_types"] = {"weight_bytes": 64 * 64 // 2 + 64 * 64, "macs": 2 * 64 * 64}


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for make in (constant_weights, if_sample_rate, loop_counter, scan_rnn, opset18, contrib, einsum,
                 low_bit_types, recurrent):
        make()
    with open(os.path.join(OUT, "formats_truth.json"), "w") as f:
        json.dump({"source": "tools/onnx_fixtures/make_format_fixtures.py (dimensions by hand)",
                   "models": TRUTH}, f, indent=2, sort_keys=True)
        f.write("\n")
