// Small helpers shared by the op families' shape and cost functions.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "ir/checked.h"
#include "reuselens/error.h"
#include "reuselens/graph.h"
#include "reuselens/ops.h"

namespace reuselens::ops {

[[noreturn]] inline void fail(const std::string& message) {
  throw_error(ErrorCode::kInvalidModel, message);
}

// A 2-D attribute (kernel_shape, strides, dilations) as {h, w}.
std::pair<int64_t, int64_t> attr_hw(const Node& node, std::string_view key, int64_t fallback);
// ONNX-style pads {top, left, bottom, right}; a single value pads all sides.
std::array<int64_t, 4> attr_pads(const Node& node);

const std::vector<int64_t>& input_shape(const OpContext& ctx, size_t i);
const std::vector<int64_t>& output_shape(const OpContext& ctx, size_t i);
int64_t output_elements(const OpContext& ctx);
// Requires a 4-D NCHW input; names the rank it got otherwise.
void require_rank(const std::vector<int64_t>& shape, size_t rank, const char* what);

// Output extent of a convolution window (floor rounding).
int64_t conv_output_size(int64_t in, int64_t kernel, int64_t stride, int64_t pad_begin,
                         int64_t pad_end, int64_t dilation, const char* axis);
// Output extent of a pooling window; ceil rounding drops a last window that
// would start inside the end padding (Caffe's and PyTorch's rule).
int64_t pool_output_size(int64_t in, int64_t kernel, int64_t stride, int64_t pad_begin,
                         int64_t pad_end, bool ceil_mode, const char* axis);

// Cost of ops that do `flops` FLOPs per output element and nothing else.
std::function<OpCost(const OpContext&)> per_output_element(int64_t flops);

// A one-output infer result. `return {shape};` would copy the shape through
// an initializer_list (an extra allocation on every node built); this moves it.
std::vector<std::vector<int64_t>> one_shape(std::vector<int64_t> shape);

// Attention's two products for `heads` heads of `s` queries over `t` keys:
// Q K^T (head_qk MACs per query-key pair) and the weighted sum of V (head_v);
// FLOPs: 2 per MAC and 5 per score for the softmax.
OpCost attention_products_cost(int64_t batch, int64_t heads, int64_t s, int64_t t, int64_t head_qk,
                               int64_t head_v);

// Parameter specs moved into a vector: `std::vector<ParamSpec>{{...}, {...}}`
// would copy each spec, shape and all, out of an initializer_list.
template <typename... Specs>
std::vector<ParamSpec> param_list(Specs&&... specs) {
  std::vector<ParamSpec> out;
  out.reserve(sizeof...(specs));
  (out.push_back(std::forward<Specs>(specs)), ...);
  return out;
}

// Same shape as the first input; the infer function of point-wise ops.
std::vector<std::vector<int64_t>> same_as_input(const OpContext& ctx);

// numpy broadcasting of two shapes; fails naming both when they clash.
std::vector<int64_t> broadcast(const std::vector<int64_t>& a, const std::vector<int64_t>& b);
// The broadcast of every input and parameter: element-wise ops' shape.
std::vector<std::vector<int64_t>> broadcast_all(const OpContext& ctx);

// The parameter that came from ONNX input `slot` (the node's
// `reuselens.param_inputs` attribute, set by the ONNX importer), or nullptr.
const std::vector<int64_t>* param_at(const OpContext& ctx, int64_t slot);
// Elements of the parameters from these ONNX inputs.
int64_t sum_params(const OpContext& ctx, const std::vector<int64_t>& slots);

// Elements of a shape's dims [from, to).
int64_t product(const std::vector<int64_t>& shape, size_t from, size_t to);

}  // namespace reuselens::ops
