// The graph IR every frontend produces and every analysis reads.
//
// A Graph is a list of Nodes in execution order, each reading and writing
// Tensors by index. Tensors carry fully resolved shapes (batch included) and
// a data type. Frontends (zoo builder, Caffe prototxt, ONNX) resolve shapes
// while building, through the cost registry's shape functions, so an analysis
// never sees a symbolic dimension.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "reuselens/small_vector.h"

namespace reuselens {

enum class DataType {
  kFloat32,
  kFloat16,
  kBFloat16,
  kFloat64,
  kInt8,
  kUInt8,
  kInt16,
  kUInt16,
  kInt32,
  kUInt32,
  kInt64,
  kUInt64,
  kBool,
  kFloat8,  // E4M3 or E5M2 (ONNX FLOAT8*): 8 bits
  kInt4,    // ONNX INT4, two per byte
  kUInt4,   // ONNX UINT4
  kFloat4,  // ONNX FLOAT4E2M1
};

// Width of one element in bits.
int bit_width(DataType type);
const char* data_type_name(DataType type);

// What a tensor holds. Only activations count towards A; weights towards W.
enum class TensorRole {
  kActivation,  // produced by a node or fed as network input
  kWeight,      // learnable parameter (kernel, bias, gamma, beta)
  kStatistic,   // non-learned stored constant (BN running mean/variance)
  // A value a control-flow op binds for each run of its body (a loop's
  // carried state, a scan slice): read by the body's nodes, stored where it
  // was produced, so not an activation of its own.
  kBound,
};

struct Tensor {
  std::string name;
  std::vector<int64_t> shape;  // NCHW for feature maps; always resolved
  DataType type = DataType::kFloat32;
  TensorRole role = TensorRole::kActivation;
  int producer = -1;  // index of the producing node; -1 for inputs/weights
  // Set when a node writes its output over its input (Caffe's in-place
  // ReLU/BN/Scale/Dropout): the index of the tensor whose storage it reuses.
  int aliases = -1;
};

// Number of elements, overflow-checked (throws Error kInvalidModel).
int64_t element_count(const std::vector<int64_t>& shape);
std::string shape_to_string(const std::vector<int64_t>& shape);

// An integer-list attribute (kernel size, strides, pads): inline up to 3-D pads.
using IntList = SmallVector<int64_t, 6>;
using AttrValue = std::variant<int64_t, double, std::string, IntList>;
// Tensor indices a node reads or writes: inline for up to four.
using IndexList = SmallVector<int, 4>;

// A node's attributes: a small flat list (nodes carry a handful), which
// costs far fewer allocations than a tree map on the zoo's hot path.
class Attributes {
 public:
  AttrValue& operator[](std::string_view key);
  void reserve(size_t n) { items_.reserve(n); }
  const AttrValue* find(std::string_view key) const;
  size_t size() const { return items_.size(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }

 private:
  std::vector<std::pair<std::string, AttrValue>> items_;
};

struct Node {
  std::string name;
  std::string domain;   // "" canonical, "caffe" for Caffe-only ops
  std::string op_type;  // canonical op, e.g. "Conv", "MaxPool", "Scale"
  IndexList inputs;     // activation inputs, in order
  IndexList weights;    // parameter tensors (kernel, bias, stats, ...)
  IndexList outputs;
  Attributes attrs;
  std::string source;  // where it came from, e.g. "net.prototxt:123"
  // Times the node runs per inference: a loop body's trip count, a scan's
  // sequence length. MACs, FLOPs and the activations it reads and writes
  // scale with it; its weights, read by every run, count once.
  int64_t repeats = 1;

  int64_t attr_int(std::string_view key, int64_t fallback) const;
  double attr_float(std::string_view key, double fallback) const;
  std::string attr_string(std::string_view key, const std::string& fallback) const;
  std::vector<int64_t> attr_ints(std::string_view key) const;
  // The attribute's integers without a copy: {pointer, count}, {nullptr, 0}
  // when absent. A scalar integer reads as one element.
  std::pair<const int64_t*, size_t> attr_ints_view(std::string_view key) const;
};

class Graph {
 public:
  std::string name;
  std::string source;  // e.g. "zoo:resnet50 (Caffe definition by ...)"
  // Notes from the frontend that a reader must see, e.g. layers dropped as
  // evaluation-only ("Accuracy x1 ignored: evaluation-only layer").
  std::vector<std::string> notes;
  // Set by importers whose tensors carry real data types (ONNX): byte counts
  // then use each tensor's own width instead of --weight-bits/--act-bits.
  bool typed = false;
  // The default-domain opset the model was written against (ONNX), used to
  // pick versioned cost schemas; unbounded for the zoo and Caffe.
  int opset = 1 << 30;

  void reserve(size_t tensors, size_t nodes) {
    tensors_.reserve(tensors);
    nodes_.reserve(nodes);
  }
  int add_tensor(Tensor&& tensor);
  int add_tensor(const Tensor& tensor) { return add_tensor(Tensor(tensor)); }
  int add_node(Node&& node);  // sets producer of its outputs
  int add_node(const Node& node) { return add_node(Node(node)); }

  const std::vector<Tensor>& tensors() const { return tensors_; }
  const std::vector<Node>& nodes() const { return nodes_; }
  const Tensor& tensor(int index) const { return tensors_.at(index); }
  Tensor& tensor(int index) { return tensors_.at(index); }
  const Node& node(int index) const { return nodes_.at(index); }

  std::vector<int> inputs;   // network input tensors
  std::vector<int> outputs;  // network output tensors

  // Drops the nodes and tensors added after there were `tensors` and `nodes`
  // (an importer trying one branch of a conditional, then another).
  void truncate(size_t tensors, size_t nodes);

  // Index of the last tensor with that name, or -1 (a linear scan).
  int find_tensor(const std::string& tensor_name) const;

  // Checks that nodes are in a valid execution order (every input produced
  // before it is read) and that no index dangles. Throws Error otherwise.
  void validate() const;

 private:
  std::vector<Tensor> tensors_;
  std::vector<Node> nodes_;
};

}  // namespace reuselens
