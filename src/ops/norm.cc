// Normalisation layers: LRN, Caffe's BatchNorm and Scale, ONNX's fused
// BatchNormalization.
#include "ops/op_helpers.h"
#include "ops/registry_families.h"

namespace reuselens {
namespace {

int64_t channels(const OpContext& ctx) {
  const auto& in = ops::input_shape(ctx, 0);
  if (in.size() < 2) ops::fail("normalisation needs a rank >= 2 input, got " + shape_to_string(in));
  return in[1];
}

OpCost lrn_cost(const OpContext& ctx) {
  const int64_t size = ctx.node.attr_int("size", 5);
  if (size <= 0) ops::fail("LRN size " + std::to_string(size) + " is not positive");
  const int64_t elements = ops::output_elements(ctx);
  OpCost cost;
  cost.elementwise_macs = checked_mul(size, elements, "MACs");
  // Sum of `size` squares (2 FLOPs each) then scale, power and divide.
  cost.flops = checked_mul(2 * size + 3, elements, "FLOPs");
  cost.hyper_params = 2;  // alpha and beta, as the Netscope analyzer counts
  return cost;
}

// Caffe BatchNorm: y = (x - mean) / sqrt(var + eps) with stored statistics.
OpCost caffe_bn_cost(const OpContext& ctx) {
  OpCost cost;
  cost.flops = checked_mul(2, ops::output_elements(ctx), "FLOPs");
  for (const auto* p : ctx.params) cost.statistic_params += element_count(*p);
  return cost;
}

// Caffe Scale: y = gamma * x (+ beta), per channel.
OpCost scale_cost(const OpContext& ctx) {
  const int64_t elements = ops::output_elements(ctx);
  OpCost cost;
  cost.elementwise_macs = elements;
  cost.flops = checked_mul(ctx.params.size() > 1 ? 2 : 1, elements, "FLOPs");
  for (const auto* p : ctx.params) cost.affine_params += element_count(*p);
  return cost;
}

// ONNX BatchNormalization (inference) = Caffe BatchNorm + Scale.
OpCost onnx_bn_cost(const OpContext& ctx) {
  const int64_t elements = ops::output_elements(ctx);
  OpCost cost;
  cost.elementwise_macs = elements;
  cost.flops = checked_mul(4, elements, "FLOPs");
  for (size_t i = 0; i < ctx.params.size(); ++i) {
    const int64_t n = element_count(*ctx.params[i]);
    (i < 2 ? cost.affine_params : cost.statistic_params) += n;  // scale, B, mean, var
  }
  return cost;
}

// Layer normalisation over the axes from `axis` on: mean (1), variance (3),
// normalise (2) and affine (2) per element.
int64_t normalized_size(const OpContext& ctx) {
  const auto& in = ops::input_shape(ctx, 0);
  int64_t axis = ctx.node.attr_int("axis", -1);
  if (axis < 0) axis += static_cast<int64_t>(in.size());
  if (axis < 0 || axis >= static_cast<int64_t>(in.size()))
    ops::fail("LayerNormalization axis out of range");
  int64_t n = 1;
  for (size_t i = static_cast<size_t>(axis); i < in.size(); ++i)
    n = checked_mul(n, in[i], "normalized size");
  return n;
}

OpCost layer_norm_cost(const OpContext& ctx) {
  const int64_t elements = ops::output_elements(ctx);
  OpCost cost;
  cost.elementwise_macs = elements;  // the affine step, as Scale
  cost.flops = checked_mul(8, elements, "FLOPs");
  for (const auto* p : ctx.params) cost.affine_params += element_count(*p);
  return cost;
}

}  // namespace

void register_norm_ops(OpRegistry& registry) {
  registry.add({.domain = "",
                .op_type = "LayerNormalization",
                .since_version = 17,
                .kind = OpKind::kNormalization,
                .formula =
                    "paper MACs = 1 per output element (affine); FLOPs = 8 per element (mean 1, "
                    "variance 3, normalise 2, affine 2); learnable 2 x normalized size",
                .infer = ops::same_as_input,
                .params =
                    [](const OpContext& ctx) {
                      const int64_t d = normalized_size(ctx);
                      return ops::param_list(ParamSpec{"scale", {d}, TensorRole::kWeight},
                                             ParamSpec{"B", {d}, TensorRole::kWeight});
                    },
                .cost = layer_norm_cost});
  registry.add({.domain = "",
                .op_type = "LRN",
                .kind = OpKind::kNormalization,
                .formula = "paper MACs = size per output element; FLOPs = (2*size + 3) per output "
                           "element; 2 hyper-parameters (alpha, beta)",
                .infer = ops::same_as_input,
                .cost = lrn_cost});
  registry.add({.domain = "caffe",
                .op_type = "BatchNorm",
                .kind = OpKind::kNormalization,
                .formula = "no MACs; FLOPs = 2 per element; statistics = 2*C (mean, variance)",
                .infer = ops::same_as_input,
                .params =
                    [](const OpContext& ctx) {
                      const int64_t c = channels(ctx);
                      return ops::param_list(ParamSpec{"mean", {c}, TensorRole::kStatistic},
                                             ParamSpec{"variance", {c}, TensorRole::kStatistic});
                    },
                .cost = caffe_bn_cost});
  registry.add({.domain = "caffe",
                .op_type = "Scale",
                .kind = OpKind::kNormalization,
                .formula = "paper MACs = 1 per output element; FLOPs = 2 per element (1 without "
                           "bias); learnable params = C (+ C bias)",
                .infer = ops::same_as_input,
                .params =
                    [](const OpContext& ctx) {
                      const int64_t c = channels(ctx);
                      std::vector<ParamSpec> params;
                      params.reserve(2);
                      params.push_back({"gamma", {c}, TensorRole::kWeight});
                      if (ctx.node.attr_int("bias", 1))
                        params.push_back({"beta", {c}, TensorRole::kWeight});
                      return params;
                    },
                .cost = scale_cost});
  registry.add({.domain = "",
                .op_type = "BatchNormalization",
                .kind = OpKind::kNormalization,
                .formula = "counted as Caffe BatchNorm + Scale: paper MACs = 1 per output element; "
                           "FLOPs = 4 per element; learnable 2*C, statistics 2*C",
                .infer = ops::same_as_input,
                .params =
                    [](const OpContext& ctx) {
                      const int64_t c = channels(ctx);
                      return ops::param_list(ParamSpec{"scale", {c}, TensorRole::kWeight},
                                             ParamSpec{"B", {c}, TensorRole::kWeight},
                                             ParamSpec{"mean", {c}, TensorRole::kStatistic},
                                             ParamSpec{"var", {c}, TensorRole::kStatistic});
                    },
                .cost = onnx_bn_cost});
}

}  // namespace reuselens
