// Pooling: window reductions with no parameters and no MACs.
#include "ops/op_helpers.h"
#include "ops/registry_families.h"

namespace reuselens {
namespace {

using ops::fail;

std::vector<std::vector<int64_t>> pool_infer(const OpContext& ctx) {
  const auto& in = ops::input_shape(ctx, 0);
  ops::require_rank(in, 4, ctx.node.op_type.c_str());
  const auto [kh, kw] = ops::attr_hw(ctx.node, "kernel_shape", 1);
  const auto [sh, sw] = ops::attr_hw(ctx.node, "strides", 1);
  const auto pads = ops::attr_pads(ctx.node);
  const bool ceil_mode = ctx.node.attr_int("ceil_mode", 0) != 0;
  const int64_t p = ops::pool_output_size(in[2], kh, sh, pads[0], pads[2], ceil_mode, "height");
  const int64_t q = ops::pool_output_size(in[3], kw, sw, pads[1], pads[3], ceil_mode, "width");
  return ops::one_shape({in[0], in[1], p, q});
}

// One FLOP per window element per output (k*k comparisons or additions,
// the averaging divide counted within), as NVIDIA's and the lecture's
// "3x3 max pooling = 2.25 FLOP/B at FP16" example counts.
OpCost pool_cost(const OpContext& ctx) {
  const auto [kh, kw] = ops::attr_hw(ctx.node, "kernel_shape", 1);
  OpCost cost;
  cost.flops = checked_mul(ops::output_elements(ctx), checked_mul(kh, kw), "FLOPs");
  return cost;
}

std::vector<std::vector<int64_t>> global_pool_infer(const OpContext& ctx) {
  const auto& in = ops::input_shape(ctx, 0);
  if (in.size() < 3) fail("global pooling needs a rank >= 3 input, got " + shape_to_string(in));
  std::vector<int64_t> out = in;
  for (size_t i = 2; i < out.size(); ++i) out[i] = 1;
  return ops::one_shape(std::move(out));
}

OpCost global_pool_cost(const OpContext& ctx) {
  OpCost cost;
  cost.flops = element_count(ops::input_shape(ctx, 0));
  return cost;
}

}  // namespace

void register_pool_ops(OpRegistry& registry) {
  const char* window_formula =
      "FLOPs = P*Q*N*C*R*S (one per window element per output); no MACs, no params; "
      "ceil_mode rounds up and drops a last window starting in the end padding";
  for (const char* op : {"MaxPool", "AveragePool"}) {
    registry.add({.domain = "",
                  .op_type = op,
                  .kind = OpKind::kPool,
                  .formula = window_formula,
                  .infer = pool_infer,
                  .cost = pool_cost});
  }
  for (const char* op : {"GlobalAveragePool", "GlobalMaxPool"}) {
    registry.add({.domain = "",
                  .op_type = op,
                  .kind = OpKind::kPool,
                  .formula = "FLOPs = input elements; no MACs, no params; output N*C*1*1",
                  .infer = global_pool_infer,
                  .cost = global_pool_cost});
  }
}

}  // namespace reuselens
