// Default-domain ops of opset 18 and later, which libonnx 1.12 does not
// know: their shapes come from here (frontend/onnx/registry_shapes.cc) as
// well as their costs.
#include "ops/op_helpers.h"
#include "ops/registry_families.h"

namespace reuselens {
namespace {

OpCost norm_cost(const OpContext& ctx, int64_t flops_per_element) {
  const int64_t elements = ops::output_elements(ctx);
  OpCost c;
  c.elementwise_macs = elements;  // the affine step, as Scale
  c.flops = checked_mul(flops_per_element, elements, "FLOPs");
  for (const auto* p : ctx.params)
    c.affine_params = checked_add(c.affine_params, element_count(*p), "W");
  return c;
}

// Attention (opset 23): Q, K, V as [B, S, heads x head] with q_num_heads and
// kv_num_heads, or [B, heads, S, head]; the two products are counted, both
// operands activations: B x q_heads x S x T x (head_qk + head_v).
struct AttentionDims {
  int64_t batch, q_heads, s, t, head_qk, head_v;
  bool four_d;
};

AttentionDims attention_dims(const OpContext& ctx) {
  if (ctx.inputs.size() < 3) ops::fail("Attention needs Q, K and V");
  const auto& q = *ctx.inputs[0];
  const auto& k = *ctx.inputs[1];
  const auto& v = *ctx.inputs[2];
  AttentionDims d{};
  if (q.size() == 4) {
    d = {q[0], q[1], q[2], k.at(2), q[3], v.at(3), true};
  } else if (q.size() == 3) {
    const int64_t qh = ctx.node.attr_int("q_num_heads", 0);
    const int64_t kvh = ctx.node.attr_int("kv_num_heads", 0);
    if (qh <= 0 || kvh <= 0) ops::fail("3-D Attention needs q_num_heads and kv_num_heads");
    d = {q[0], qh, q[1], k.at(1), q[2] / qh, v.at(2) / kvh, false};
  } else {
    ops::fail("Attention's Q must be 3-D or 4-D");
  }
  // A past key/value (inputs 4 and 5) makes T longer.
  if (ctx.inputs.size() > 4) d.t += ctx.inputs[4]->at(2);
  return d;
}

std::vector<std::vector<int64_t>> attention_infer(const OpContext& ctx) {
  const AttentionDims d = attention_dims(ctx);
  const auto& k = *ctx.inputs[1];
  std::vector<int64_t> y =
      d.four_d ? std::vector<int64_t>{d.batch, d.q_heads, d.s, d.head_v}
               : std::vector<int64_t>{d.batch, d.s, checked_mul(d.q_heads, d.head_v, "shape")};
  const int64_t kv_heads = d.four_d ? k[1] : ctx.node.attr_int("kv_num_heads", 1);
  std::vector<int64_t> present_k{d.batch, kv_heads, d.t, d.head_qk};
  std::vector<int64_t> present_v{d.batch, kv_heads, d.t, d.head_v};
  return {y, present_k, present_v, {d.batch, d.q_heads, d.s, d.t}};
}

OpCost attention_cost(const OpContext& ctx) {
  const AttentionDims d = attention_dims(ctx);
  return ops::attention_products_cost(d.batch, d.q_heads, d.s, d.t, d.head_qk, d.head_v);
}

}  // namespace

void register_recent_ops(OpRegistry& r) {
  r.add({.domain = "",
         .op_type = "GroupNormalization",
         .since_version = 18,
         .kind = OpKind::kNormalization,
         .min_inputs = 1,
         .max_inputs = -1,
         .formula = "paper MACs = 1 per output element (affine); FLOPs = 8 per element; "
                    "learnable scale and bias",
         .infer = ops::same_as_input,
         .cost = [](const OpContext& ctx) { return norm_cost(ctx, 8); }});
  r.add({.domain = "",
         .op_type = "RMSNormalization",
         .since_version = 23,
         .kind = OpKind::kNormalization,
         .min_inputs = 1,
         .max_inputs = -1,
         .formula = "paper MACs = 1 per output element (scale); FLOPs = 4 per element (square, "
                    "mean, rsqrt-multiply, scale); learnable scale",
         .infer = ops::same_as_input,
         .cost = [](const OpContext& ctx) { return norm_cost(ctx, 4); }});
  r.add({.domain = "",
         .op_type = "RotaryEmbedding",
         .since_version = 23,
         .kind = OpKind::kElementwise,
         .min_inputs = 1,
         .max_inputs = -1,
         .formula = "FLOPs = 3 per output element (x cos + rotated x sin); caches are metadata",
         .infer = ops::same_as_input,
         .cost = ops::per_output_element(3)});
  r.add({.domain = "",
         .op_type = "Attention",
         .since_version = 23,
         .kind = OpKind::kFullyConnected,
         .min_inputs = 3,
         .max_inputs = -1,
         .formula = "MACs = batch x q heads x S x T x (head size of Q.K + of V), the two products "
                    "with activation operands (dense: masked products count); FLOPs = 2 x MACs "
                    "+ 5 per score (scale, mask, softmax)",
         .infer = attention_infer,
         .cost = attention_cost});
  r.add({.domain = "",
         .op_type = "Mish",
         .since_version = 18,
         .kind = OpKind::kActivation,
         .formula = "FLOPs = 5 per element (softplus, tanh, multiply)",
         .infer = ops::same_as_input,
         .cost = ops::per_output_element(5)});
  r.add({.domain = "",
         .op_type = "Gelu",
         .since_version = 20,
         .kind = OpKind::kActivation,
         .formula = "FLOPs = 8 per element (the erf form)",
         .infer = ops::same_as_input,
         .cost = ops::per_output_element(8)});
  for (const char* op : {"BitwiseAnd", "BitwiseOr", "BitwiseXor"}) {
    r.add({.domain = "",
           .op_type = op,
           .since_version = 18,
           .kind = OpKind::kElementwise,
           .min_inputs = 1,
           .max_inputs = -1,
           .formula = "FLOPs = 1 per output element (numpy broadcasting)",
           .infer = ops::broadcast_all,
           .cost = ops::per_output_element(1)});
  }
  r.add({.domain = "",
         .op_type = "BitwiseNot",
         .since_version = 18,
         .kind = OpKind::kActivation,
         .formula = "FLOPs = 1 per element",
         .infer = ops::same_as_input,
         .cost = ops::per_output_element(1)});
}

}  // namespace reuselens
