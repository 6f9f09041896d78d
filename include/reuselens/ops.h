// The operator cost registry.
//
// Every op the IR can hold has one OpSchema, keyed by (domain, op_type,
// since_version) as ONNX keys its operator schemas. A schema knows how to
// infer the shapes of the op's outputs, which parameter tensors it owns, and
// what it costs. Schemas are registered explicitly, one function per op
// family (register_nn_ops, register_math_ops, register_tensor_ops), from
// builtin_ops(); there is no static self-registration.
//
// An op that has no schema is never counted as zero: analyses report it as
// unsupported (see metrics.h).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "reuselens/graph.h"

namespace reuselens {

// A convolution-like layer as one loop nest (Timeloop's problem shape):
//   for n < N, k < K, c < C, p < P, q < Q, r < R, s < S:
//     out[n][k][p][q] += w[k][c][r][s] * in[n][g(k)*C + c][p*Sh + r*Dh][q*Sw + s*Dw]
// C is the number of input channels per group. A fully connected layer is
// the loop nest with P = Q = R = S = 1. MACs, tensor sizes and (later) every
// dataflow model read this one object, so they cannot drift apart.
struct LoopNest {
  int64_t n = 1, k = 1, c = 1, p = 1, q = 1, r = 1, s = 1;
  int64_t groups = 1;
  int64_t stride_h = 1, stride_w = 1;
  int64_t dilation_h = 1, dilation_w = 1;
  int64_t input_h = 1, input_w = 1;  // input extent, padding excluded
  int64_t pad_h = 0, pad_w = 0;      // zero padding before the first row / column

  int64_t macs() const;             // N*K*C*P*Q*R*S
  int64_t weight_elements() const;  // K*C*R*S
  int64_t input_elements() const;   // N*(C*groups)*input_h*input_w
  int64_t output_elements() const;  // N*K*P*Q
};

// Broad class of an op, used for grouping in reports and for the paper's
// "conv/FC layers" statistics (Table 5).
enum class OpKind {
  kConv,            // convolution (any grouping)
  kFullyConnected,  // inner product / Gemm with a weight matrix
  kPool,
  kNormalization,  // BN, LRN, Scale
  kActivation,     // ReLU and other point-wise non-linearities
  kElementwise,    // Add, Mul, Max over several tensors
  kDataMovement,   // Concat, Flatten, Dropout (inference), Identity
  kSoftmax,
  kRecurrent,  // LSTM, GRU, RNN: MAC layers run once per time step
};
const char* op_kind_name(OpKind kind);
bool is_mac_layer(OpKind kind);  // conv or fully connected

// What one node costs. Parameter counts are split by kind so that counting
// conventions (metrics.h) can choose which of them make up W.
struct OpCost {
  int64_t macs = 0;              // multiply-accumulates of conv/FC/MatMul
  int64_t elementwise_macs = 0;  // MAC-like work the paper convention adds:
                                 // Scale 1 per output, LRN local_size per output
  int64_t flops = 0;             // documented FLOP count (docs/metrics.md)
  int64_t kernel_params = 0;     // conv / FC weight elements
  int64_t bias_params = 0;
  int64_t affine_params = 0;     // learnable per-channel scale and shift
  int64_t statistic_params = 0;  // stored, not learned (BN mean, variance)
  int64_t hyper_params = 0;      // scalars the Netscope analyzer counts (LRN)
  std::optional<LoopNest> loop_nest;
};

// A parameter tensor an op owns, as created by the builder and importers.
struct ParamSpec {
  std::string suffix;  // appended to the node name: "weight", "bias", ...
  std::vector<int64_t> shape;
  TensorRole role = TensorRole::kWeight;
};

// The shapes a node reads or writes, as pointers: up to eight inline (almost
// every node), more on the heap (a Concat of many inputs). Building a context
// for every node of every analysis then allocates nothing.
using ShapeList = SmallVector<const std::vector<int64_t>*, 8>;

// What shape and cost functions see of a node.
struct OpContext {
  const Node& node;
  ShapeList inputs;   // activation input shapes
  ShapeList outputs;  // empty during inference
  ShapeList params;   // parameter shapes
};

struct OpSchema {
  std::string domain;  // "" for the canonical (ONNX-named) set, "caffe" for
                       // Caffe-only semantics (BatchNorm without affine, Scale)
  std::string op_type;
  int since_version = 1;
  OpKind kind = OpKind::kDataMovement;
  int min_inputs = 1;
  int max_inputs = 1;  // -1: variadic
  // One line per counted quantity, rendered into docs/ops.md.
  std::string formula;
  std::function<std::vector<std::vector<int64_t>>(const OpContext&)> infer;
  std::function<std::vector<ParamSpec>(const OpContext&)> params;  // may be empty
  std::function<OpCost(const OpContext&)> cost;
};

class OpRegistry {
 public:
  void add(OpSchema schema);
  // The newest schema with since_version <= version, or nullptr.
  const OpSchema* find(const std::string& domain, const std::string& op_type,
                       int version = 1 << 30) const;
  const std::vector<OpSchema>& all() const { return schemas_; }

 private:
  std::vector<OpSchema> schemas_;
  // "domain\0op_type" -> indices into schemas_, for lookups on the hot path;
  // looked up by string_view, so a lookup allocates nothing.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  std::unordered_map<std::string, std::vector<size_t>, KeyHash, std::equal_to<>> by_name_;
};

// The registry with every built-in op. Built once, immutable afterwards.
const OpRegistry& builtin_ops();

// Infers output shapes of a node from its input and parameter tensors
// already in the graph; errors name the node and its source.
std::vector<std::vector<int64_t>> infer_output_shapes(const OpSchema& schema, const Graph& graph,
                                                      const Node& node);

// Costs a node whose outputs are already in the graph.
OpCost cost_node(const OpSchema& schema, const Graph& graph, const Node& node);

// The registry's op table as Markdown (docs/ops.md).
std::string ops_markdown(const OpRegistry& registry);

}  // namespace reuselens
