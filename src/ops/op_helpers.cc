#include "ops/op_helpers.h"

#include <algorithm>

namespace reuselens::ops {

std::pair<int64_t, int64_t> attr_hw(const Node& node, std::string_view key, int64_t fallback) {
  const auto [v, n] = node.attr_ints_view(key);
  if (n == 0) return {fallback, fallback};
  if (n == 1) return {v[0], v[0]};
  if (n == 2) return {v[0], v[1]};
  fail("attribute '" + std::string(key) + "' has " + std::to_string(n) +
       " values; expected 1 or 2");
}

std::array<int64_t, 4> attr_pads(const Node& node) {
  const auto [v, n] = node.attr_ints_view("pads");
  if (n == 0) return {0, 0, 0, 0};
  if (n == 1) return {v[0], v[0], v[0], v[0]};
  if (n == 2) return {v[0], v[1], v[0], v[1]};
  if (n == 4) return {v[0], v[1], v[2], v[3]};
  fail("attribute 'pads' has " + std::to_string(n) + " values; expected 1, 2 or 4");
}

const std::vector<int64_t>& input_shape(const OpContext& ctx, size_t i) {
  if (i >= ctx.inputs.size()) fail("missing input " + std::to_string(i));
  return *ctx.inputs[i];
}

const std::vector<int64_t>& output_shape(const OpContext& ctx, size_t i) {
  if (i >= ctx.outputs.size()) fail("missing output " + std::to_string(i));
  return *ctx.outputs[i];
}

int64_t output_elements(const OpContext& ctx) {
  int64_t total = 0;
  for (const auto* shape : ctx.outputs) total = checked_add(total, element_count(*shape));
  return total;
}

void require_rank(const std::vector<int64_t>& shape, size_t rank, const char* what) {
  if (shape.size() != rank) {
    fail(std::string(what) + " needs a rank-" + std::to_string(rank) + " input, got " +
         shape_to_string(shape));
  }
}

int64_t conv_output_size(int64_t in, int64_t kernel, int64_t stride, int64_t pad_begin,
                         int64_t pad_end, int64_t dilation, const char* axis) {
  if (kernel <= 0 || stride <= 0 || dilation <= 0 || pad_begin < 0 || pad_end < 0) {
    fail(std::string("invalid window along ") + axis + " (kernel " + std::to_string(kernel) +
         ", stride " + std::to_string(stride) + ", pad " + std::to_string(pad_begin) +
         ", dilation " + std::to_string(dilation) + ")");
  }
  const int64_t extent = checked_add(checked_mul(dilation, kernel - 1, "window"), 1, "window");
  const int64_t span =
      checked_add(in, checked_add(pad_begin, pad_end, "padding"), "padded input") - extent;
  if (span < 0) {
    fail(std::string("output ") + axis + " would be <= 0 (input " + std::to_string(in) +
         ", window " + std::to_string(extent) + ", padding " + std::to_string(pad_begin + pad_end) +
         ")");
  }
  return span / stride + 1;
}

int64_t pool_output_size(int64_t in, int64_t kernel, int64_t stride, int64_t pad_begin,
                         int64_t pad_end, bool ceil_mode, const char* axis) {
  if (!ceil_mode) return conv_output_size(in, kernel, stride, pad_begin, pad_end, 1, axis);
  if (kernel <= 0 || stride <= 0 || pad_begin < 0 || pad_end < 0) {
    fail(std::string("invalid pooling window along ") + axis);
  }
  const int64_t span =
      checked_add(in, checked_add(pad_begin, pad_end, "padding"), "padded input") - kernel;
  if (span < 0) {
    fail(std::string("pooling output ") + axis + " would be <= 0 (input " + std::to_string(in) +
         ", kernel " + std::to_string(kernel) + ")");
  }
  int64_t out = span / stride + (span % stride != 0) + 1;
  // The last window must start inside the input or the begin padding.
  if ((out - 1) * stride >= in + pad_begin) --out;
  return out;
}

std::function<OpCost(const OpContext&)> per_output_element(int64_t flops) {
  return [flops](const OpContext& ctx) {
    OpCost cost;
    cost.flops = checked_mul(flops, output_elements(ctx), "FLOPs");
    return cost;
  };
}

OpCost attention_products_cost(int64_t batch, int64_t heads, int64_t s, int64_t t, int64_t head_qk,
                               int64_t head_v) {
  const int64_t pairs =
      checked_mul(checked_mul(batch, heads, "MACs"), checked_mul(s, t, "MACs"), "MACs");
  OpCost c;
  c.macs = checked_mul(pairs, head_qk + head_v, "MACs");
  c.flops = checked_add(checked_mul(2, c.macs, "FLOPs"), checked_mul(5, pairs, "FLOPs"), "FLOPs");
  return c;
}

std::vector<std::vector<int64_t>> one_shape(std::vector<int64_t> shape) {
  std::vector<std::vector<int64_t>> shapes;
  shapes.push_back(std::move(shape));
  return shapes;
}

std::vector<std::vector<int64_t>> same_as_input(const OpContext& ctx) {
  return one_shape(input_shape(ctx, 0));
}

std::vector<int64_t> broadcast(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  std::vector<int64_t> out(std::max(a.size(), b.size()), 1);
  for (size_t i = 0; i < out.size(); ++i) {
    const int64_t x = i < a.size() ? a[a.size() - 1 - i] : 1;
    const int64_t y = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (x != y && x != 1 && y != 1) {
      fail("shapes " + shape_to_string(a) + " and " + shape_to_string(b) + " do not broadcast");
    }
    out[out.size() - 1 - i] = x == 1 ? y : x;
  }
  return out;
}

std::vector<std::vector<int64_t>> broadcast_all(const OpContext& ctx) {
  // Same-shaped operands (a residual Add, Caffe's Eltwise) need no broadcasting.
  if (!ctx.inputs.empty()) {
    const std::vector<int64_t>& first = *ctx.inputs[0];
    const auto same = [&first](const std::vector<int64_t>* s) { return *s == first; };
    if (std::all_of(ctx.inputs.begin(), ctx.inputs.end(), same) &&
        std::all_of(ctx.params.begin(), ctx.params.end(), same)) {
      return one_shape(first);
    }
  }
  std::vector<int64_t> shape;
  for (const auto* s : ctx.inputs) shape = broadcast(shape, *s);
  for (const auto* s : ctx.params) shape = broadcast(shape, *s);
  return one_shape(std::move(shape));
}

const std::vector<int64_t>* param_at(const OpContext& ctx, int64_t slot) {
  const auto [slots, n] = ctx.node.attr_ints_view("reuselens.param_inputs");
  for (size_t i = 0; i < n && i < ctx.params.size(); ++i) {
    if (slots[i] == slot) return ctx.params[i];
  }
  return nullptr;
}

int64_t sum_params(const OpContext& ctx, const std::vector<int64_t>& slots) {
  int64_t n = 0;
  for (int64_t s : slots) {
    if (const auto* p = param_at(ctx, s)) n = checked_add(n, element_count(*p), "W");
  }
  return n;
}

int64_t product(const std::vector<int64_t>& shape, size_t from, size_t to) {
  int64_t n = 1;
  for (size_t i = from; i < to && i < shape.size(); ++i) n = checked_mul(n, shape[i], "elements");
  return n;
}

}  // namespace reuselens::ops
