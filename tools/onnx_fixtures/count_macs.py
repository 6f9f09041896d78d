#!/usr/bin/python3
"""An independent count of an ONNX model's MACs and weights, in Python over
the onnx package's own shape inference, to check reuselens against on
third-party models: Conv, ConvTranspose, Gemm, MatMul (both operands may be
activations), LSTM/GRU/RNN. Shapes come from onnx.shape_inference with the
inputs fixed by NAME=1x3x224x224 arguments; a node whose shapes Python's
inference leaves open is reported, never counted as zero.

  /usr/bin/python3 tools/onnx_fixtures/count_macs.py model.onnx x=1x3x640x640
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper, shape_inference


def main(path, shapes):
    m = onnx.load(path, load_external_data=False)
    for inp in m.graph.input:
        if inp.name in shapes:
            dims = inp.type.tensor_type.shape.dim
            del dims[:]
            for d in shapes[inp.name]:
                dims.add().dim_value = d
    m = shape_inference.infer_shapes(m, data_prop=True)
    info = {}
    for v in list(m.graph.value_info) + list(m.graph.input) + list(m.graph.output):
        t = v.type.tensor_type
        if t.HasField("shape") and all(d.HasField("dim_value") for d in t.shape.dim):
            info[v.name] = [d.dim_value for d in t.shape.dim]
    consts = {}
    for init in m.graph.initializer:
        consts[init.name] = list(init.dims)
    for n in m.graph.node:
        if n.op_type == "Constant":
            for a in n.attribute:
                if a.name == "value":
                    consts[n.output[0]] = list(a.t.dims)
    shape = lambda name: info.get(name) or consts.get(name)
    macs, open_nodes = 0, []
    for n in m.graph.node:
        try:
            if n.op_type in ("Conv", "ConvInteger", "QLinearConv"):
                w = shape(n.input[3] if n.op_type == "QLinearConv" else n.input[1])
                out = shape(n.output[0])
                macs += int(np.prod(out)) * int(np.prod(w[1:]))
            elif n.op_type == "ConvTranspose":
                w = shape(n.input[1])
                macs += int(np.prod(shape(n.input[0]))) * int(np.prod(w[1:]))
            elif n.op_type in ("Gemm", "MatMul", "MatMulInteger"):
                a = shape(n.input[0])
                out = shape(n.output[0])
                trans_a = any(x.name == "transA" and x.i for x in n.attribute)
                k = a[0] if (n.op_type == "Gemm" and trans_a) else a[-1]
                macs += int(np.prod(out)) * k
            elif n.op_type in ("LSTM", "GRU", "RNN"):
                x = shape(n.input[0])
                hidden = [a.i for a in n.attribute if a.name == "hidden_size"][0]
                dirs = 2 if any(a.name == "direction" and a.s == b"bidirectional" for a in n.attribute) else 1
                gates = {"LSTM": 4, "GRU": 3, "RNN": 1}[n.op_type]
                macs += x[0] * x[1] * dirs * gates * hidden * (x[2] + hidden)
        except (TypeError, IndexError):
            open_nodes.append(n.name or n.op_type)
    print(f"macs {macs}")
    if open_nodes:
        print(f"open {len(open_nodes)}: {', '.join(open_nodes[:10])}")


if __name__ == "__main__":
    fixed = {}
    for arg in sys.argv[2:]:
        name, dims = arg.split("=")
        fixed[name] = [int(d) for d in dims.split("x")]
    main(sys.argv[1], fixed)
