#!/usr/bin/python3
"""Copies an ONNX model with every tensor payload over 512 bytes replaced by
one zero byte of raw_data: the graph, names, dims and types stay, and so do
the small integer tensors that shapes are computed from. This is what
reuselens's importer does while streaming a file (payload_skipping.cc), so
the copy imports to the same counts; it keeps third-party test models
small enough to commit.

  /usr/bin/python3 tools/onnx_fixtures/strip_payloads.py IN.onnx OUT.onnx
"""
import sys

import onnx

FIELDS = ("float_data", "int32_data", "string_data", "int64_data", "double_data", "uint64_data")


def strip(t):
    size = len(t.raw_data) + sum(len(getattr(t, f)) * 4 for f in FIELDS)
    if size <= 512:
        return
    for f in FIELDS:
        t.ClearField(f)
    t.raw_data = b"\0"


def walk(g):
    for t in g.initializer:
        strip(t)
    for n in g.node:
        for a in n.attribute:
            if a.HasField("t"):
                strip(a.t)
            for t in a.tensors:
                strip(t)
            if a.HasField("g"):
                walk(a.g)
            for sub in a.graphs:
                walk(sub)


if __name__ == "__main__":
    model = onnx.load(sys.argv[1], load_external_data=False)
    walk(model.graph)
    onnx.save(model, sys.argv[2])
