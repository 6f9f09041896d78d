// Point-wise activations, element-wise arithmetic and softmax.
#include <algorithm>

#include "ops/op_helpers.h"
#include "ops/registry_families.h"

namespace reuselens {
namespace {

// Element-wise ops: same-shaped inputs (the builder's and Caffe's case) or
// numpy broadcasting (ONNX): (inputs - 1) FLOPs per output.
std::vector<std::vector<int64_t>> eltwise_infer(const OpContext& ctx) {
  ops::input_shape(ctx, 0);
  return ops::broadcast_all(ctx);
}

OpCost eltwise_cost(const OpContext& ctx) {
  OpCost cost;
  const int64_t operations =
      std::max<int64_t>(1, static_cast<int64_t>(ctx.inputs.size() + ctx.params.size()) - 1);
  cost.flops = checked_mul(operations, ops::output_elements(ctx), "FLOPs");
  return cost;
}

}  // namespace

void register_math_ops(OpRegistry& registry) {
  // Transcendental functions count as one FLOP each (see docs/metrics.md).
  struct Unary {
    const char* op;
    int64_t flops;
    const char* formula;
  };
  for (const Unary& u : {Unary{"Relu", 1, "FLOPs = 1 per element (compare); no MACs"},
                         Unary{"Sigmoid", 3, "FLOPs = 3 per element (exp, add, divide)"},
                         Unary{"Tanh", 1, "FLOPs = 1 per element (one transcendental)"}}) {
    registry.add({.domain = "",
                  .op_type = u.op,
                  .kind = OpKind::kActivation,
                  .formula = u.formula,
                  .infer = ops::same_as_input,
                  .cost = ops::per_output_element(u.flops)});
  }
  for (const char* op : {"Add", "Mul", "Max"}) {
    registry.add({.domain = "",
                  .op_type = op,
                  .kind = OpKind::kElementwise,
                  .min_inputs = 1,
                  .max_inputs = -1,
                  .formula = "FLOPs = (inputs - 1) per output element; no MACs (Caffe Eltwise)",
                  .infer = eltwise_infer,
                  .cost = eltwise_cost});
  }
  registry.add({.domain = "",
                .op_type = "Softmax",
                .kind = OpKind::kSoftmax,
                .formula = "FLOPs = 5 per element (max, subtract, exp, sum, divide); no MACs",
                .infer = ops::same_as_input,
                .cost = ops::per_output_element(5)});
}

}  // namespace reuselens
