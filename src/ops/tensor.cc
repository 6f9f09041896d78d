// Data movement: ops that copy or re-view activations without arithmetic.
// They are counted (zero FLOPs by definition), never unsupported.
#include "ops/op_helpers.h"
#include "ops/registry_families.h"

namespace reuselens {
namespace {

std::vector<std::vector<int64_t>> concat_infer(const OpContext& ctx) {
  std::vector<int64_t> out = ops::input_shape(ctx, 0);
  const int64_t rank = static_cast<int64_t>(out.size());
  int64_t axis = ctx.node.attr_int("axis", 1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) ops::fail("concat axis " + std::to_string(axis) + " out of range");
  for (size_t i = 1; i < ctx.inputs.size(); ++i) {
    const auto& in = *ctx.inputs[i];
    bool compatible = static_cast<int64_t>(in.size()) == rank;
    for (int64_t d = 0; compatible && d < rank; ++d) compatible = d == axis || in[d] == out[d];
    if (!compatible) {
      ops::fail("input " + std::to_string(i) + " has shape " + shape_to_string(in) +
                ", which does not concatenate with " + shape_to_string(out) + " on axis " +
                std::to_string(axis));
    }
    out[axis] = checked_add(out[axis], in[axis], "concat extent");
  }
  return ops::one_shape(std::move(out));
}

std::vector<std::vector<int64_t>> flatten_infer(const OpContext& ctx) {
  const auto& in = ops::input_shape(ctx, 0);
  int64_t axis = ctx.node.attr_int("axis", 1);
  if (axis < 0) axis += static_cast<int64_t>(in.size());
  if (axis < 0 || axis > static_cast<int64_t>(in.size())) ops::fail("flatten axis out of range");
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < static_cast<int64_t>(in.size()); ++d) {
    (d < axis ? outer : inner) = checked_mul(d < axis ? outer : inner, in[d], "flatten extent");
  }
  return ops::one_shape({outer, inner});
}

OpCost no_arithmetic(const OpContext&) { return {}; }

}  // namespace

void register_tensor_ops(OpRegistry& registry) {
  registry.add({.domain = "",
                .op_type = "Concat",
                .kind = OpKind::kDataMovement,
                .max_inputs = -1,
                .formula = "no FLOPs, no MACs; output = inputs joined on axis (default 1)",
                .infer = concat_infer,
                .cost = no_arithmetic});
  registry.add({.domain = "",
                .op_type = "Flatten",
                .kind = OpKind::kDataMovement,
                .formula = "no FLOPs; output 2-D (product before axis, product from axis)",
                .infer = flatten_infer,
                .cost = no_arithmetic});
  for (const char* op : {"Dropout", "Identity"}) {
    registry.add({.domain = "",
                  .op_type = op,
                  .kind = OpKind::kDataMovement,
                  .formula = "identity at inference: no FLOPs, no MACs",
                  .infer = ops::same_as_input,
                  .cost = no_arithmetic});
  }
}

}  // namespace reuselens
