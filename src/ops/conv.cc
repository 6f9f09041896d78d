// Convolution and fully connected layers: both lower to one LoopNest.
#include "ops/op_helpers.h"
#include "ops/registry_families.h"

namespace reuselens {
namespace {

using ops::fail;

struct ConvGeometry {
  int64_t group, kh, kw, sh, sw, dh, dw;
  std::array<int64_t, 4> pads;
};

ConvGeometry conv_geometry(const Node& node) {
  ConvGeometry g{};
  g.group = node.attr_int("group", 1);
  std::tie(g.kh, g.kw) = ops::attr_hw(node, "kernel_shape", 1);
  std::tie(g.sh, g.sw) = ops::attr_hw(node, "strides", 1);
  std::tie(g.dh, g.dw) = ops::attr_hw(node, "dilations", 1);
  g.pads = ops::attr_pads(node);
  if (g.group <= 0) fail("group " + std::to_string(g.group) + " is not positive");
  return g;
}

int64_t conv_out_channels(const OpContext& ctx) {
  if (!ctx.params.empty()) return ctx.params[0]->at(0);
  const int64_t k = ctx.node.attr_int("num_output", 0);
  if (k <= 0) fail("num_output " + std::to_string(k) + " is not positive");
  return k;
}

std::vector<std::vector<int64_t>> conv_infer(const OpContext& ctx) {
  const auto& in = ops::input_shape(ctx, 0);
  ops::require_rank(in, 4, "Conv");
  const ConvGeometry g = conv_geometry(ctx.node);
  const int64_t k = conv_out_channels(ctx);
  if (in[1] % g.group != 0 || k % g.group != 0) {
    fail("channels (in " + std::to_string(in[1]) + ", out " + std::to_string(k) +
         ") are not divisible by group " + std::to_string(g.group));
  }
  const int64_t p = ops::conv_output_size(in[2], g.kh, g.sh, g.pads[0], g.pads[2], g.dh, "height");
  const int64_t q = ops::conv_output_size(in[3], g.kw, g.sw, g.pads[1], g.pads[3], g.dw, "width");
  return ops::one_shape({in[0], k, p, q});
}

std::vector<ParamSpec> conv_params(const OpContext& ctx) {
  const auto& in = ops::input_shape(ctx, 0);
  ops::require_rank(in, 4, "Conv");
  const ConvGeometry g = conv_geometry(ctx.node);
  const int64_t k = conv_out_channels(ctx);
  std::vector<ParamSpec> params;
  params.reserve(2);
  params.push_back({"weight", {k, in[1] / g.group, g.kh, g.kw}, TensorRole::kWeight});
  if (ctx.node.attr_int("bias", 1)) params.push_back({"bias", {k}, TensorRole::kWeight});
  return params;
}

OpCost conv_cost(const OpContext& ctx) {
  const auto& in = ops::input_shape(ctx, 0);
  const auto& out = ops::output_shape(ctx, 0);
  ConvGeometry g = conv_geometry(ctx.node);
  if (!ctx.params.empty() && ctx.node.attrs.find("kernel_shape") == nullptr &&
      ctx.params[0]->size() == 4) {
    g.kh = ctx.params[0]->at(2);  // ONNX may leave the kernel to the weight's dims
    g.kw = ctx.params[0]->at(3);
  }
  if (in.size() != 4 || out.size() != 4) {  // 1-D and 3-D convolutions: no loop nest
    if (ctx.params.empty()) ops::fail("convolution without a constant weight");
    const auto& w = *ctx.params[0];
    int64_t per_output = 1;
    for (size_t i = 1; i < w.size(); ++i) per_output = checked_mul(per_output, w[i], "MACs");
    OpCost cost;
    cost.macs = checked_mul(ops::output_elements(ctx), per_output, "MACs");
    cost.flops = checked_mul(2, cost.macs, "FLOPs");
    cost.kernel_params = element_count(w);
    if (ctx.params.size() > 1) cost.bias_params = element_count(*ctx.params[1]);
    if (in.size() == 3 && out.size() == 3 && w.size() == 3) {
      // A 1-D convolution is the 2-D nest with one row (P = R = 1).
      const auto first = [&](const char* key, int64_t fallback) {
        const auto v = ctx.node.attr_ints(key);
        return v.empty() ? fallback : v[0];
      };
      LoopNest nest;
      nest.n = out[0];
      nest.k = out[1];
      nest.c = w[1];
      nest.q = out[2];
      nest.s = w[2];
      nest.groups = std::max<int64_t>(1, ctx.node.attr_int("group", 1));
      nest.stride_w = first("strides", 1);
      nest.dilation_w = first("dilations", 1);
      nest.input_w = in[2];
      nest.pad_w = first("pads", 0);
      if (nest.macs() == cost.macs) cost.loop_nest = nest;
    }
    return cost;
  }
  LoopNest nest;
  nest.n = out[0];
  nest.k = out[1];
  nest.c = in[1] / g.group;
  nest.p = out[2];
  nest.q = out[3];
  nest.r = g.kh;
  nest.s = g.kw;
  nest.groups = g.group;
  nest.stride_h = g.sh;
  nest.stride_w = g.sw;
  nest.dilation_h = g.dh;
  nest.dilation_w = g.dw;
  nest.input_h = in[2];
  nest.input_w = in[3];
  nest.pad_h = g.pads[0];
  nest.pad_w = g.pads[1];
  OpCost cost;
  cost.macs = nest.macs();
  cost.flops = checked_mul(2, cost.macs, "FLOPs");
  cost.kernel_params = ctx.params.empty() ? nest.weight_elements() : element_count(*ctx.params[0]);
  if (ctx.params.size() > 1) cost.bias_params = element_count(*ctx.params[1]);
  cost.loop_nest = nest;
  return cost;
}

// Fully connected (Caffe InnerProduct, ONNX Gemm with a weight matrix): the
// input is flattened from axis 1, so an N x C x H x W map feeds C*H*W inputs.
int64_t fc_in_features(const std::vector<int64_t>& in) {
  if (in.size() < 2)
    fail("fully connected layer needs a rank >= 2 input, got " + shape_to_string(in));
  int64_t features = 1;
  for (size_t i = 1; i < in.size(); ++i) features = checked_mul(features, in[i], "FC inputs");
  return features;
}

int64_t fc_out_features(const OpContext& ctx) {
  if (!ctx.params.empty()) {  // (out, in) with transB = 1, (in, out) otherwise (ONNX's default)
    const auto& w = *ctx.params[0];
    return ctx.node.attr_int("transB", 0) ? w.at(0) : w.at(w.size() - 1);
  }
  const int64_t k = ctx.node.attr_int("num_output", 0);
  if (k <= 0) fail("num_output " + std::to_string(k) + " is not positive");
  return k;
}

OpCost fc_cost(const OpContext& ctx) {
  const auto& in = ops::input_shape(ctx, 0);
  LoopNest nest;
  // ONNX Gemm may transpose A; Caffe's InnerProduct flattens from axis 1.
  const bool trans_a = ctx.node.attr_int("transA", 0) != 0;
  nest.n = trans_a ? in.back() : in[0];
  nest.c = trans_a ? in[0] : fc_in_features(in);
  nest.k = ctx.outputs.empty() ? fc_out_features(ctx) : ops::output_shape(ctx, 0).back();
  OpCost cost;
  cost.macs = nest.macs();
  cost.flops = checked_mul(2, cost.macs, "FLOPs");
  if (!ctx.params.empty()) cost.kernel_params = element_count(*ctx.params[0]);
  if (ctx.params.size() > 1) cost.bias_params = element_count(*ctx.params[1]);
  cost.loop_nest = nest;
  return cost;
}

}  // namespace

void register_conv_ops(OpRegistry& registry) {
  registry.add({.domain = "",
                .op_type = "Conv",
                .kind = OpKind::kConv,
                .formula = "MACs = N*K*(C/group)*P*Q*R*S; FLOPs = 2*MACs; "
                           "params = K*(C/group)*R*S + K (bias); output floor-rounded",
                .infer = conv_infer,
                .params = conv_params,
                .cost = conv_cost});
  registry.add({.domain = "",
                .op_type = "Gemm",
                .kind = OpKind::kFullyConnected,
                .formula = "fully connected, input flattened from axis 1: MACs = N*K_in*K_out; "
                           "FLOPs = 2*MACs; params = K_in*K_out + K_out (bias)",
                .infer =
                    [](const OpContext& ctx) {
                      const auto& in = ops::input_shape(ctx, 0);
                      fc_in_features(in);
                      return ops::one_shape({in[0], fc_out_features(ctx)});
                    },
                .params =
                    [](const OpContext& ctx) {
                      const int64_t k = fc_out_features(ctx);
                      std::vector<ParamSpec> params;
                      params.reserve(2);
                      params.push_back({"weight",
                                        {k, fc_in_features(ops::input_shape(ctx, 0))},
                                        TensorRole::kWeight});
                      if (ctx.node.attr_int("bias", 1))
                        params.push_back({"bias", {k}, TensorRole::kWeight});
                      return params;
                    },
                .cost = fc_cost});
}

}  // namespace reuselens
