// onnxruntime's com.microsoft ops, as its graph optimisers and quantisation
// tools write them (onnxruntime/docs/ContribOperators.md is their spec):
// fused convolutions and matrix products, fused attention, fused
// normalisations, GELU forms, quantized element-wise ops, and MatMulNBits's
// 2-8-bit block-quantised weights. libonnx has no schemas for them: their
// shapes come from here as well as their costs.
//
// A node imported from ONNX carries `reuselens.param_inputs`: the ONNX input
// index of each of its constant parameters, so that a cost function can tell
// a bias from a scale.
#include <algorithm>

#include "ops/op_helpers.h"
#include "ops/registry_families.h"

namespace reuselens {
namespace {

constexpr const char* kMs = "com.microsoft";

using Infer = std::function<std::vector<std::vector<int64_t>>(const OpContext&)>;
using Cost = std::function<OpCost(const OpContext&)>;
using ops::param_at;
using ops::sum_params;

// Operand `i` of a binary product, whichever list holds it (activation or
// constant): activations come first in input order.
const std::vector<int64_t>& operand(const OpContext& ctx, int64_t slot) {
  if (const auto* p = param_at(ctx, slot)) return *p;
  // Activations keep input order; count the params before `slot`.
  const auto [slots, n] = ctx.node.attr_ints_view("reuselens.param_inputs");
  int64_t before = 0;
  for (size_t i = 0; i < n; ++i) before += slots[i] < slot;
  const size_t index = static_cast<size_t>(slot - before);
  if (index >= ctx.inputs.size())
    ops::fail(ctx.node.op_type + ": operand " + std::to_string(slot) + " missing");
  return *ctx.inputs[index];
}

// A [..., M, K] x B [K, N] (either transposed), numpy batch broadcasting.
struct Product {
  std::vector<int64_t> out;
  int64_t k;
};

Product product_of(const std::vector<int64_t>& a_in, const std::vector<int64_t>& b_in, bool ta,
                   bool tb) {
  std::vector<int64_t> a = a_in, b = b_in;
  if (a.size() == 1) a.insert(a.begin(), 1);
  if (b.size() == 1) b.push_back(1);
  if (a.size() < 2 || b.size() < 2) ops::fail("matrix product of a scalar");
  if (ta) std::swap(a[a.size() - 1], a[a.size() - 2]);
  if (tb) std::swap(b[b.size() - 1], b[b.size() - 2]);
  const int64_t k = a.back();
  if (b[b.size() - 2] != k) {
    ops::fail("matrix product of " + shape_to_string(a_in) + " and " + shape_to_string(b_in) +
              ": inner dims differ");
  }
  std::vector<int64_t> batch = ops::broadcast(std::vector<int64_t>(a.begin(), a.end() - 2),
                                              std::vector<int64_t>(b.begin(), b.end() - 2));
  batch.push_back(a[a.size() - 2]);
  batch.push_back(b.back());
  return {batch, k};
}

Product fused_product(const OpContext& ctx) {
  return product_of(operand(ctx, 0), operand(ctx, 1), ctx.node.attr_int("transA", 0) != 0,
                    ctx.node.attr_int("transB", 0) != 0);
}

OpCost product_cost(const Product& p, const OpContext& ctx, int64_t extra_flops_per_output) {
  OpCost c;
  const int64_t outputs = element_count(p.out);
  c.macs = checked_mul(outputs, p.k, "MACs");
  c.flops = checked_add(checked_mul(2, c.macs, "FLOPs"),
                        checked_mul(extra_flops_per_output, outputs, "FLOPs"), "FLOPs");
  if (param_at(ctx, 1)) c.kernel_params = element_count(*param_at(ctx, 1));
  return c;
}

// MatMulNBits: A [..., K] x a K x N matrix stored in `bits`-bit blocks.
std::vector<std::vector<int64_t>> nbits_infer(const OpContext& ctx) {
  std::vector<int64_t> out = ops::input_shape(ctx, 0);
  const int64_t n = ctx.node.attr_int("N", 0);
  if (n <= 0 || out.empty()) ops::fail("MatMulNBits needs attribute N and a ranked A");
  out.back() = n;
  return ops::one_shape(std::move(out));
}

OpCost nbits_cost(const OpContext& ctx) {
  const auto& a = ops::input_shape(ctx, 0);
  const int64_t k = ctx.node.attr_int("K", 0), n = ctx.node.attr_int("N", 0);
  if (k <= 0 || n <= 0 || a.empty() || a.back() != k)
    ops::fail("MatMulNBits: A's last dim is not K");
  OpCost c;
  c.macs = checked_mul(checked_mul(element_count(a) / k, k, "MACs"), n, "MACs");
  c.flops = checked_mul(2, c.macs, "FLOPs");
  c.kernel_params = checked_mul(k, n, "W");         // logical weights
  c.statistic_params = sum_params(ctx, {2, 3, 4});  // scales, zero points, g_idx
  c.bias_params = sum_params(ctx, {5});
  return c;
}

// Fused attention. Attention: input [B, S, H_in] x weights [H_in, q+k+v];
// MultiHeadAttention and GroupQueryAttention take projected Q, K, V.
struct Heads {
  int64_t batch, heads, s, t, head_qk, head_v;
};

OpCost heads_cost(const Heads& h) {
  return ops::attention_products_cost(h.batch, h.heads, h.s, h.t, h.head_qk, h.head_v);
}

Heads attention_heads(const OpContext& ctx) {
  const auto& x = ops::input_shape(ctx, 0);
  const auto* w = param_at(ctx, 1);
  const int64_t heads = ctx.node.attr_int("num_heads", 0);
  if (x.size() != 3 || !w || w->size() != 2 || heads <= 0) {
    ops::fail("Attention needs input [B, S, H], constant weights and num_heads");
  }
  std::vector<int64_t> sizes = ctx.node.attr_ints("qkv_hidden_sizes");
  if (sizes.empty()) sizes = {w->at(1) / 3, w->at(1) / 3, w->at(1) / 3};
  int64_t past = 0;
  if (ctx.inputs.size() > 2) {  // past [2, B, heads, P, head] follows the mask
    for (const auto* in : ctx.inputs) {
      if (in->size() == 5) past = in->at(3);
    }
  }
  return {x[0], heads, x[1], x[1] + past, sizes[0] / heads, sizes[2] / heads};
}

Heads mha_heads(const OpContext& ctx) {
  const auto& q = operand(ctx, 0);
  const int64_t heads = ctx.node.attr_int("num_heads", 0);
  if (q.size() != 3 || heads <= 0)
    ops::fail("MultiHeadAttention needs query [B, S, D] and num_heads");
  const auto& k = operand(ctx, 1);
  const auto& v = operand(ctx, 2);
  const int64_t t = k.size() == 4 ? k[2] : k.at(1);
  const int64_t dv = v.size() == 4 ? v[1] * v[3] : v.at(2);
  int64_t past = 0;
  if (const auto* pk = ctx.inputs.size() > 6 ? ctx.inputs[6] : nullptr; pk && pk->size() == 4)
    past = pk->at(2);
  return {q[0], heads, q[1], t + past, q[2] / heads, dv / heads};
}

Heads gqa_heads(const OpContext& ctx) {
  const auto& q = ops::input_shape(ctx, 0);
  const int64_t heads = ctx.node.attr_int("num_heads", 0);
  const int64_t kv_heads = ctx.node.attr_int("kv_num_heads", 0);
  if (q.size() != 3 || heads <= 0 || kv_heads <= 0) {
    ops::fail("GroupQueryAttention needs query [B, S, D], num_heads and kv_num_heads");
  }
  // Packed QKV when key and value are absent: D = (heads + 2 kv_heads) x head.
  const bool packed = ctx.inputs.size() < 3 || ctx.inputs[1]->size() != 3;
  const int64_t head = packed ? q[2] / (heads + 2 * kv_heads) : q[2] / heads;
  int64_t past = 0;
  for (const auto* in : ctx.inputs) {
    if (in->size() == 4 && in->at(1) == kv_heads && in->at(3) == head)
      past = std::max(past, in->at(2));
  }
  return {q[0], heads, q[1], past + q[1], head, head};
}

std::vector<std::vector<int64_t>> gqa_infer(const OpContext& ctx) {
  const Heads h = gqa_heads(ctx);
  const int64_t kv_heads = ctx.node.attr_int("kv_num_heads", 0);
  return {{h.batch, h.s, checked_mul(h.heads, h.head_v, "shape")},
          {h.batch, kv_heads, h.t, h.head_qk},
          {h.batch, kv_heads, h.t, h.head_v}};
}

std::vector<std::vector<int64_t>> mha_infer(const OpContext& ctx) {
  const Heads h = mha_heads(ctx);
  return {{h.batch, h.s, checked_mul(h.heads, h.head_v, "shape")},
          {h.batch, h.heads, h.t, h.head_qk},
          {h.batch, h.heads, h.t, h.head_v}};
}

std::vector<std::vector<int64_t>> attention_infer(const OpContext& ctx) {
  const Heads h = attention_heads(ctx);
  return {{h.batch, h.s, checked_mul(h.heads, h.head_v, "shape")},
          {2, h.batch, h.heads, h.t, h.head_qk}};
}

// Normalisations over the last axis, fused with a residual add (Skip*).
std::vector<std::vector<int64_t>> skip_norm_infer(const OpContext& ctx) {
  const auto& x = ops::input_shape(ctx, 0);
  std::vector<int64_t> stat = x;
  if (!stat.empty()) stat.back() = 1;
  return {x, stat, stat, x};
}

Cost norm_cost(int64_t flops_per_element) {
  return [flops_per_element](const OpContext& ctx) {
    const int64_t elements = element_count(ops::input_shape(ctx, 0));
    OpCost c;
    c.elementwise_macs = elements;  // the affine step, as Scale
    c.flops = checked_mul(flops_per_element, elements, "FLOPs");
    for (const auto* p : ctx.params)
      c.affine_params = checked_add(c.affine_params, element_count(*p), "W");
    return c;
  };
}

std::vector<std::vector<int64_t>> concat_activations(const OpContext& ctx) {
  if (ctx.inputs.empty()) ops::fail("nothing to concatenate");
  std::vector<int64_t> out = *ctx.inputs[0];
  int64_t axis = ctx.node.attr_int("axis", 0);
  if (axis < 0) axis += static_cast<int64_t>(out.size());
  if (axis < 0 || axis >= static_cast<int64_t>(out.size())) ops::fail("concat axis out of range");
  for (size_t i = 1; i < ctx.inputs.size(); ++i) out[axis] += ctx.inputs[i]->at(axis);
  return ops::one_shape(std::move(out));
}

std::vector<std::vector<int64_t>> global_pool_infer(const OpContext& ctx) {
  std::vector<int64_t> out = ops::input_shape(ctx, 0);
  const bool last = ctx.node.attr_int("channels_last", 0) != 0;
  for (size_t d = last ? 1 : 2; d < out.size() - (last ? 1 : 0); ++d) out[d] = 1;
  return ops::one_shape(std::move(out));
}

std::vector<std::vector<int64_t>> embed_infer(const OpContext& ctx) {
  const auto& ids = ops::input_shape(ctx, 0);
  const auto* words = param_at(ctx, 2);
  if (!words || words->size() != 2 || ids.size() != 2) {
    ops::fail("EmbedLayerNormalization needs input_ids [B, S] and a constant word_embedding");
  }
  return {{ids[0], ids[1], words->at(1)}, {ids[0]}, {ids[0], ids[1], words->at(1)}};
}

void add(OpRegistry& r, const char* domain, const char* op, OpKind kind, const char* formula,
         Infer infer, Cost cost) {
  r.add({.domain = domain,
         .op_type = op,
         .kind = kind,
         .min_inputs = 1,
         .max_inputs = -1,
         .formula = formula,
         .infer = std::move(infer),
         .cost = std::move(cost)});
}

}  // namespace

void register_contrib_ops(OpRegistry& r) {
  // Copies, not pointers: the registry's storage moves as it grows.
  const Infer conv_infer = r.find("", "Conv")->infer;
  const Cost conv_cost = r.find("", "Conv")->cost;
  add(r, kMs, "FusedConv", OpKind::kConv,
      "as Conv, plus 1 FLOP per output element for the fused activation", conv_infer,
      [conv_cost](const OpContext& ctx) {
        OpCost c = conv_cost(ctx);
        c.flops = checked_add(c.flops, ops::output_elements(ctx), "FLOPs");
        return c;
      });
  add(
      r, kMs, "FusedMatMul", OpKind::kFullyConnected,
      "MACs = output elements x shared dim (transA/transB honoured); FLOPs = 2 x MACs + 1 per "
      "output (alpha)",
      [](const OpContext& ctx) {
        return std::vector<std::vector<int64_t>>{fused_product(ctx).out};
      },
      [](const OpContext& ctx) { return product_cost(fused_product(ctx), ctx, 1); });
  for (const char* op : {"DynamicQuantizeMatMul", "MatMulIntegerToFloat"}) {
    add(
        r, kMs, op, OpKind::kFullyConnected,
        "as MatMul on quantized operands; FLOPs = 2 x MACs + 2 per output (dequantize)",
        [](const OpContext& ctx) {
          return std::vector<std::vector<int64_t>>{
              product_of(operand(ctx, 0), operand(ctx, 1), false, false).out};
        },
        [](const OpContext& ctx) {
          OpCost c =
              product_cost(product_of(operand(ctx, 0), operand(ctx, 1), false, false), ctx, 2);
          c.statistic_params = sum_params(ctx, {2, 3, 4, 5});
          return c;
        });
  }
  add(r, kMs, "MatMulNBits", OpKind::kFullyConnected,
      "MACs = rows of A x K x N; W = K x N weights (bytes at their stored width: `bits` per "
      "weight plus the per-block scales and zero points, which count as statistics; bias apart)",
      nbits_infer, nbits_cost);
  add(r, kMs, "Attention", OpKind::kFullyConnected,
      "MACs = the Q, K, V projection (B x S x H_in x (q + k + v hidden)) + B x heads x S x T x "
      "(head_qk + head_v) for the two products (T = S + past; dense: masked products count); "
      "FLOPs = 2 x MACs + 5 per score",
      attention_infer, [](const OpContext& ctx) {
        const Heads h = attention_heads(ctx);
        OpCost c = heads_cost(h);
        const auto& x = ops::input_shape(ctx, 0);
        const auto* w = param_at(ctx, 1);
        const int64_t projection =
            checked_mul(element_count(x) / x.back(), element_count(*w), "MACs");
        c.macs = checked_add(c.macs, projection, "MACs");
        c.flops = checked_add(c.flops, checked_mul(2, projection, "FLOPs"), "FLOPs");
        c.kernel_params = element_count(*w);
        c.bias_params = sum_params(ctx, {2});
        return c;
      });
  add(r, kMs, "MultiHeadAttention", OpKind::kFullyConnected,
      "MACs = B x heads x S x T x (head_qk + head_v), both operands activations (T = key length "
      "+ past; dense); FLOPs = 2 x MACs + 5 per score",
      mha_infer, [](const OpContext& ctx) { return heads_cost(mha_heads(ctx)); });
  add(r, kMs, "GroupQueryAttention", OpKind::kFullyConnected,
      "MACs = B x heads x S x T x 2 x head (T = past + S; query heads share kv_num_heads K/V "
      "heads; dense: masked products count); FLOPs = 2 x MACs + 5 per score",
      gqa_infer, [](const OpContext& ctx) { return heads_cost(gqa_heads(ctx)); });
  for (const char* domain : {kMs, ""}) {
    add(r, domain, "SkipLayerNormalization", OpKind::kNormalization,
        "paper MACs = 1 per element (affine); FLOPs = 10 per element (2 adds, layer norm 8); "
        "learnable gamma, beta",
        skip_norm_infer, norm_cost(10));
    add(r, domain, "SkipSimplifiedLayerNormalization", OpKind::kNormalization,
        "paper MACs = 1 per element (scale); FLOPs = 6 per element (2 adds, RMS norm 4); "
        "learnable gamma",
        skip_norm_infer, norm_cost(6));
    add(r, domain, "SimplifiedLayerNormalization", OpKind::kNormalization,
        "paper MACs = 1 per element (scale); FLOPs = 4 per element (RMS norm); learnable scale",
        skip_norm_infer, norm_cost(4));
  }
  // Layer normalisation before opset 17 is onnxruntime's, in the ONNX domain.
  add(r, "", "LayerNormalization", OpKind::kNormalization,
      "as LayerNormalization (opset 17): paper MACs = 1 per element; FLOPs = 8 per element",
      skip_norm_infer, norm_cost(8));
  add(r, kMs, "EmbedLayerNormalization", OpKind::kNormalization,
      "paper MACs = 1 per output element; FLOPs = 11 per output element (3 embedding adds, layer "
      "norm 8); W = the embedding tables (kernel) and gamma, beta",
      embed_infer, [](const OpContext& ctx) {
        const auto& out = ops::input_shape(ctx, 0);
        const auto* words = param_at(ctx, 2);
        const int64_t elements = checked_mul(element_count(out), words ? words->at(1) : 1, "A");
        OpCost c;
        c.elementwise_macs = elements;
        c.flops = checked_mul(11, elements, "FLOPs");
        c.kernel_params = sum_params(ctx, {2, 3, 4});
        c.affine_params = sum_params(ctx, {5, 6});
        return c;
      });
  struct Unary {
    const char* op;
    int64_t flops;
    const char* formula;
  };
  for (const Unary& u :
       {Unary{"Gelu", 8, "FLOPs = 8 per element (the erf form)"},
        Unary{"FastGelu", 9, "FLOPs = 9 per element (tanh form, + bias)"},
        Unary{"BiasGelu", 9, "FLOPs = 9 per element (bias add, erf form)"},
        Unary{"QuickGelu", 4, "FLOPs = 4 per element (x sigmoid(1.702 x))"},
        Unary{"BiasAdd", 2, "FLOPs = 2 per element (bias, skip)"},
        Unary{"RotaryEmbedding", 3, "FLOPs = 3 per element (x cos + rotated x sin)"},
        Unary{"QLinearSigmoid", 5, "FLOPs = 5 per element (dequantize, sigmoid, requantize)"},
        Unary{"QLinearLeakyRelu", 4, "FLOPs = 4 per element"},
        Unary{"QLinearSoftmax", 9, "FLOPs = 9 per element (softmax 5, quantization 4)"},
        Unary{"QuantizeLinear", 2, "FLOPs = 2 per element"},
        Unary{"DequantizeLinear", 2, "FLOPs = 2 per element"}}) {
    add(r, kMs, u.op, OpKind::kActivation, u.formula, ops::same_as_input,
        ops::per_output_element(u.flops));
  }
  for (const char* op : {"QLinearAdd", "QLinearMul"}) {
    add(r, kMs, op, OpKind::kElementwise,
        "FLOPs = 3 per output element (the operation and requantization; numpy broadcasting)",
        ops::broadcast_all, ops::per_output_element(3));
  }
  add(r, kMs, "QLinearConcat", OpKind::kDataMovement, "no FLOPs: joins quantized inputs on axis",
      concat_activations, [](const OpContext&) { return OpCost{}; });
  add(r, kMs, "QLinearGlobalAveragePool", OpKind::kPool,
      "FLOPs = 1 per input element (sum) + 2 per output (requantize)", global_pool_infer,
      [](const OpContext& ctx) {
        OpCost c;
        c.flops = checked_add(element_count(ops::input_shape(ctx, 0)),
                              checked_mul(2, ops::output_elements(ctx), "FLOPs"), "FLOPs");
        return c;
      });
}

}  // namespace reuselens
