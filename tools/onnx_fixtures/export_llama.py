#!/usr/bin/python3
"""Exports a small Llama-style decoder (RMSNorm, rotary positions, grouped-query
attention, SwiGLU MLP, untied lm_head) from PyTorch to ONNX at prefill, with
the Hugging Face config.json that describes the same dimensions, for the
cross-check of reuselens's config path against its ONNX path.

Writes, into OUT_DIR: tiny_llama.onnx (payloads stripped), tiny_llama.json
(the config) and tiny_llama_truth.json (parameters, buffers - the rotary
tables and the mask, which the export stores as initializers - and MACs
counted in PyTorch with forward hooks on every nn.Linear, plus the attention
products).
Needs Debian's python3-torch and python3-onnx; CI reads the committed files:
  /usr/bin/python3 tools/onnx_fixtures/export_llama.py tests/data/llm
"""
import json
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export import strip  # noqa: E402

CONFIG = dict(vocab_size=512, hidden_size=128, intermediate_size=352, num_hidden_layers=2,
              num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256)
PROMPT = 32


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


def rotate(x, cos, sin):
    half = x.shape[-1] // 2
    rotated = torch.cat((-x[..., half:], x[..., :half]), dim=-1)
    return x * cos + rotated * sin


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        h, self.heads, self.kv = c["hidden_size"], c["num_attention_heads"], c["num_key_value_heads"]
        self.d = h // self.heads
        self.input_layernorm = RMSNorm(h)
        self.q_proj = nn.Linear(h, self.heads * self.d, bias=False)
        self.k_proj = nn.Linear(h, self.kv * self.d, bias=False)
        self.v_proj = nn.Linear(h, self.kv * self.d, bias=False)
        self.o_proj = nn.Linear(self.heads * self.d, h, bias=False)
        self.post_attention_layernorm = RMSNorm(h)
        i = c["intermediate_size"]
        self.gate_proj = nn.Linear(h, i, bias=False)
        self.up_proj = nn.Linear(h, i, bias=False)
        self.down_proj = nn.Linear(i, h, bias=False)

    def repeat_kv(self, x):
        # As Hugging Face's repeat_kv: expand each KV head over its query heads.
        b, kv, t, d = x.shape
        n = self.heads // kv
        return x[:, :, None, :, :].expand(b, kv, n, t, d).reshape(b, kv * n, t, d)

    def forward(self, x, cos, sin, mask):
        b, t, _ = x.shape
        y = self.input_layernorm(x)
        q = self.q_proj(y).view(b, t, self.heads, self.d).transpose(1, 2)
        k = self.k_proj(y).view(b, t, self.kv, self.d).transpose(1, 2)
        v = self.v_proj(y).view(b, t, self.kv, self.d).transpose(1, 2)
        q, k = rotate(q, cos, sin), rotate(k, cos, sin)
        k, v = self.repeat_kv(k), self.repeat_kv(v)
        scores = (q @ k.transpose(-2, -1)) / self.d ** 0.5 + mask
        y = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, -1)
        x = x + self.o_proj(y)
        y = self.post_attention_layernorm(x)
        return x + self.down_proj(nn.functional.silu(self.gate_proj(y)) * self.up_proj(y))


class TinyLlama(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embed_tokens = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.layers = nn.ModuleList(Block(c) for _ in range(c["num_hidden_layers"]))
        self.norm = RMSNorm(c["hidden_size"])
        self.lm_head = nn.Linear(c["hidden_size"], c["vocab_size"], bias=False)
        d = c["hidden_size"] // c["num_attention_heads"]
        inv = 1.0 / (10000 ** (torch.arange(0, d, 2).float() / d))
        angles = torch.outer(torch.arange(PROMPT).float(), inv)
        emb = torch.cat((angles, angles), dim=-1)
        self.register_buffer("cos", emb.cos())
        self.register_buffer("sin", emb.sin())
        self.register_buffer("mask", torch.full((PROMPT, PROMPT), float("-inf")).triu(1))

    def forward(self, ids):
        x = self.embed_tokens(ids)
        for layer in self.layers:
            x = layer(x, self.cos, self.sin, self.mask)
        return self.lm_head(self.norm(x))


def main(out_dir):
    torch.manual_seed(0)
    model = TinyLlama(CONFIG).eval()
    ids = torch.randint(0, CONFIG["vocab_size"], (1, PROMPT))
    macs = []
    hooks = [m.register_forward_hook(lambda m, i, o: macs.append(o.numel() * m.in_features))
             for m in model.modules() if isinstance(m, nn.Linear)]
    with torch.no_grad():
        model(ids)
    for h in hooks:
        h.remove()
    d = CONFIG["hidden_size"] // CONFIG["num_attention_heads"]
    attention = 2 * CONFIG["num_hidden_layers"] * CONFIG["num_attention_heads"] * PROMPT * PROMPT * d
    path = os.path.join(out_dir, "tiny_llama.onnx")
    torch.onnx.export(model, ids, path, opset_version=17, input_names=["input_ids"],
                      output_names=["logits"], do_constant_folding=True)
    strip(path)
    config = dict(architectures=["LlamaForCausalLM"], model_type="llama", hidden_act="silu",
                  tie_word_embeddings=False, torch_dtype="float32", **CONFIG)
    with open(os.path.join(out_dir, "tiny_llama.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    truth = dict(source="tools/onnx_fixtures/export_llama.py (PyTorch %s, random weights)" % torch.__version__,
                 prompt=PROMPT, params=sum(p.numel() for p in model.parameters()),
                 buffers=sum(b.numel() for b in model.buffers()),
                 linear_macs=sum(macs), attention_macs=attention)
    with open(os.path.join(out_dir, "tiny_llama_truth.json"), "w") as f:
        json.dump(truth, f, indent=2)
        f.write("\n")
    print(truth, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/data/llm")
