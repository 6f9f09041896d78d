#!/usr/bin/python3
"""Exports test fixtures for reuselens's ONNX importer.

Builds torchvision classification models and two transformers with random
weights (nothing is downloaded), exports each to ONNX, strips the weight
payloads while keeping every initializer's name, dims and data type, and
records independent truth computed in PyTorch:

  params       sum of p.numel() over model.parameters()
  conv_fc_macs MACs of every Conv2d and Linear from forward hooks
               (output elements x input channels per group x kernel area),
               plus the projections inside nn.MultiheadAttention
  attention_macs  the two batched products of each attention (Q K^T, A V)

Needs Debian's python3-torch, python3-torchvision and python3-onnx; CI does
not run it, it only reads the committed files:
  /usr/bin/python3 tools/onnx_fixtures/export.py tests/data/onnx
"""
import json
import math
import os
import sys

import onnx
import torch
import torch.nn as nn
import torchvision


class TinyDecoder(nn.Module):
    """A GPT-2-style decoder: token and position embeddings, pre-norm blocks
    with causal self-attention and a GELU MLP, a tied-free LM head."""

    def __init__(self, vocab=1000, ctx=64, d=128, heads=4, layers=2):
        super().__init__()
        self.heads, self.d = heads, d
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(ctx, d)
        self.blocks = nn.ModuleList()
        for _ in range(layers):
            self.blocks.append(nn.ModuleDict(dict(
                ln1=nn.LayerNorm(d), qkv=nn.Linear(d, 3 * d), proj=nn.Linear(d, d),
                ln2=nn.LayerNorm(d), fc=nn.Linear(d, 4 * d), out=nn.Linear(4 * d, d))))
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)
        self.register_buffer("mask", torch.tril(torch.ones(ctx, ctx)).view(1, 1, ctx, ctx))

    def forward(self, idx):
        b, t = idx.shape
        x = self.tok(idx) + self.pos(torch.arange(t).unsqueeze(0))
        for blk in self.blocks:
            h = blk["ln1"](x)
            q, k, v = blk["qkv"](h).split(self.d, dim=2)
            q = q.view(b, t, self.heads, -1).transpose(1, 2)
            k = k.view(b, t, self.heads, -1).transpose(1, 2)
            v = v.view(b, t, self.heads, -1).transpose(1, 2)
            att = (q @ k.transpose(-2, -1)) / math.sqrt(self.d // self.heads)
            att = att.masked_fill(self.mask[:, :, :t, :t] == 0, float("-inf")).softmax(dim=-1)
            y = (att @ v).transpose(1, 2).reshape(b, t, self.d)
            x = x + blk["proj"](y)
            x = x + blk["out"](nn.functional.gelu(blk["fc"](blk["ln2"](x))))
        return self.head(self.ln(x))


def conv_fc_macs(model, example):
    total = [0]
    hooks = []

    def conv_hook(m, inp, out):
        total[0] += out.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]

    def linear_hook(m, inp, out):
        total[0] += out.numel() * m.in_features

    def mha_hook(m, inp, out):
        # Called with keyword arguments, so read the sizes off the output.
        shape = out[0].shape
        batch, seq_len = (shape[0], shape[1]) if m.batch_first else (shape[1], shape[0])
        e = m.embed_dim
        total[0] += batch * seq_len * e * 3 * e + batch * seq_len * e * e  # in_proj, out_proj

    for mod in model.modules():
        if isinstance(mod, nn.Conv2d):
            hooks.append(mod.register_forward_hook(conv_hook))
        elif isinstance(mod, nn.MultiheadAttention):
            hooks.append(mod.register_forward_hook(mha_hook))
        elif isinstance(mod, nn.Linear) and not isinstance(mod, nn.modules.linear.NonDynamicallyQuantizableLinear):
            hooks.append(mod.register_forward_hook(linear_hook))
    with torch.no_grad():
        model(example)
    for h in hooks:
        h.remove()
    return total[0]


def strip(path):
    """Drops weight payloads; small integer tensors (shapes, axes) keep their
    values, which shape inference needs."""
    model = onnx.load(path)
    for init in model.graph.initializer:
        if init.data_type in (onnx.TensorProto.INT64, onnx.TensorProto.INT32) and math.prod(init.dims) <= 64:
            continue
        dims, dtype, name = list(init.dims), init.data_type, init.name
        init.Clear()
        init.name, init.data_type = name, dtype
        init.dims.extend(dims)
    onnx.save(model, path)


def main(out_dir):
    torch.manual_seed(0)
    os.makedirs(out_dir, exist_ok=True)
    tv = torchvision.models
    # CNNs keep a symbolic batch and their BatchNormalization nodes (no
    # constant folding, which would fold BN into the convolutions and change
    # the parameter count); the transformers are exported at a static shape so
    # that their reshapes fold to constants.
    cases = [
        ("resnet18", lambda: tv.resnet18(weights=None), torch.randn(1, 3, 224, 224), 13, {}),
        ("mobilenet_v2", lambda: tv.mobilenet_v2(weights=None), torch.randn(1, 3, 224, 224), 13, {}),
        ("squeezenet1_1", lambda: tv.squeezenet1_1(weights=None), torch.randn(1, 3, 224, 224), 13, {}),
        ("vgg16", lambda: tv.vgg16(weights=None), torch.randn(1, 3, 224, 224), 13, {}),
        ("inception_v3", lambda: tv.inception_v3(weights=None, aux_logits=False, init_weights=False),
         torch.randn(1, 3, 299, 299), 13, {}),
        ("vit_b_16", lambda: tv.vit_b_16(weights=None), torch.randn(1, 3, 224, 224), 17,
         {"attention_macs": 12 * 2 * 12 * 197 * 197 * 64}),
        ("tiny_decoder", lambda: TinyDecoder(), torch.randint(0, 1000, (1, 64)), 17,
         {"attention_macs": 2 * 2 * 4 * 64 * 64 * 32}),
    ]
    truth = {}
    for name, make, example, opset, extra in cases:
        model = make().eval()
        path = os.path.join(out_dir, name + ".onnx")
        transformer = "attention_macs" in extra
        torch.onnx.export(model, example, path, opset_version=opset, input_names=["input"],
                          output_names=["output"], do_constant_folding=transformer,
                          dynamic_axes=None if transformer else {"input": {0: "batch"}})
        strip(path)
        # The exporter folds each BatchNorm into the convolution before it
        # (its scale and shift become the convolution's bias of C values), so
        # the exported model has C fewer parameters per BatchNorm.
        bn_folded = sum(m.num_features for m in model.modules() if isinstance(m, nn.BatchNorm2d))
        truth[name] = dict(params=sum(p.numel() for p in model.parameters()), bn_folded=bn_folded,
                           conv_fc_macs=conv_fc_macs(model, example), opset=opset,
                           input=list(example.shape), **extra)
        print(name, truth[name], os.path.getsize(path), "bytes", flush=True)
    with open(os.path.join(out_dir, "truth.json"), "w") as f:
        json.dump(dict(source="tools/onnx_fixtures/export.py (PyTorch %s, torchvision %s, random weights)"
                       % (torch.__version__, torchvision.__version__), models=truth), f, indent=2)


def export_full_resnet50(path):
    """ResNet-50 with all its (random) weights, about 100 MB: the benchmark's
    input (bench/onnx_import_bench.sh); never committed."""
    torch.manual_seed(0)
    model = torchvision.models.resnet50(weights=None).eval()
    torch.onnx.export(model, torch.randn(1, 3, 224, 224), path, opset_version=13, input_names=["input"],
                      output_names=["output"], dynamic_axes={"input": {0: "batch"}})


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--full-resnet50":
        export_full_resnet50(sys.argv[2])
    else:
        main(sys.argv[1] if len(sys.argv) > 1 else "tests/data/onnx")
