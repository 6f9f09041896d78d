#include "reuselens/graph.h"

#include "ir/checked.h"
#include "reuselens/error.h"

namespace reuselens {

int bit_width(DataType type) {
  switch (type) {
    case DataType::kFloat32:
      return 32;
    case DataType::kFloat16:
    case DataType::kBFloat16:
    case DataType::kInt16:
    case DataType::kUInt16:
      return 16;
    case DataType::kInt8:
    case DataType::kUInt8:
    case DataType::kBool:
    case DataType::kFloat8:
      return 8;
    case DataType::kInt4:
    case DataType::kUInt4:
    case DataType::kFloat4:
      return 4;
    case DataType::kFloat64:
    case DataType::kUInt64:
    case DataType::kInt64:
      return 64;
    case DataType::kUInt32:
    case DataType::kInt32:
      return 32;
  }
  return 32;
}

const char* data_type_name(DataType type) {
  switch (type) {
    case DataType::kFloat32:
      return "float32";
    case DataType::kFloat16:
      return "float16";
    case DataType::kBFloat16:
      return "bfloat16";
    case DataType::kInt8:
      return "int8";
    case DataType::kUInt8:
      return "uint8";
    case DataType::kInt32:
      return "int32";
    case DataType::kInt64:
      return "int64";
    case DataType::kFloat64:
      return "float64";
    case DataType::kInt16:
      return "int16";
    case DataType::kUInt16:
      return "uint16";
    case DataType::kUInt32:
      return "uint32";
    case DataType::kUInt64:
      return "uint64";
    case DataType::kBool:
      return "bool";
    case DataType::kFloat8:
      return "float8";
    case DataType::kInt4:
      return "int4";
    case DataType::kUInt4:
      return "uint4";
    case DataType::kFloat4:
      return "float4";
  }
  return "?";
}

int64_t element_count(const std::vector<int64_t>& shape) {
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d <= 0) {
      throw_error(ErrorCode::kInvalidModel, "dimension " + std::to_string(d) + " in shape " +
                                                shape_to_string(shape) + " is not positive");
    }
    count = checked_mul(count, d, "element count");
  }
  return count;
}

std::string shape_to_string(const std::vector<int64_t>& shape) {
  std::string out;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out += 'x';
    out += std::to_string(shape[i]);
  }
  return out.empty() ? "scalar" : out;
}

AttrValue& Attributes::operator[](std::string_view key) {
  for (auto& [k, v] : items_) {
    if (k == key) return v;
  }
  return items_.emplace_back(std::string(key), AttrValue{}).second;
}

const AttrValue* Attributes::find(std::string_view key) const {
  for (const auto& [k, v] : items_) {
    if (k == key) return &v;
  }
  return nullptr;
}

namespace {
template <typename T>
const T* find_attr(const Node& node, std::string_view key) {
  const AttrValue* v = node.attrs.find(key);
  return v ? std::get_if<T>(v) : nullptr;
}
}  // namespace

int64_t Node::attr_int(std::string_view key, int64_t fallback) const {
  if (const auto* v = find_attr<int64_t>(*this, key)) return *v;
  return fallback;
}

double Node::attr_float(std::string_view key, double fallback) const {
  if (const auto* v = find_attr<double>(*this, key)) return *v;
  if (const auto* v = find_attr<int64_t>(*this, key)) return static_cast<double>(*v);
  return fallback;
}

std::string Node::attr_string(std::string_view key, const std::string& fallback) const {
  if (const auto* v = find_attr<std::string>(*this, key)) return *v;
  return fallback;
}

std::pair<const int64_t*, size_t> Node::attr_ints_view(std::string_view key) const {
  if (const auto* v = find_attr<IntList>(*this, key)) return {v->data(), v->size()};
  if (const auto* v = find_attr<int64_t>(*this, key)) return {v, 1};
  return {nullptr, 0};
}

std::vector<int64_t> Node::attr_ints(std::string_view key) const {
  if (const auto* v = find_attr<IntList>(*this, key)) return v->to_vector();
  if (const auto* v = find_attr<int64_t>(*this, key)) return {*v};
  return {};
}

int Graph::add_tensor(Tensor&& tensor) {
  const int index = static_cast<int>(tensors_.size());
  tensors_.push_back(std::move(tensor));
  return index;
}

int Graph::add_node(Node&& node) {
  const int index = static_cast<int>(nodes_.size());
  for (int out : node.outputs) tensors_.at(out).producer = index;
  nodes_.push_back(std::move(node));
  return index;
}

int Graph::find_tensor(const std::string& tensor_name) const {
  for (int i = static_cast<int>(tensors_.size()) - 1; i >= 0; --i) {
    if (tensors_[i].name == tensor_name) return i;
  }
  return -1;
}

void Graph::truncate(size_t tensors, size_t nodes) {
  if (tensors < tensors_.size()) tensors_.resize(tensors);
  if (nodes < nodes_.size()) nodes_.resize(nodes);
}

void Graph::validate() const {
  const int tensor_count = static_cast<int>(tensors_.size());
  std::vector<bool> ready(tensors_.size(), false);
  for (int in : inputs) ready.at(in) = true;
  for (size_t t = 0; t < tensors_.size(); ++t) {
    if (tensors_[t].role != TensorRole::kActivation) ready[t] = true;
  }
  for (const Node& node : nodes_) {
    for (int in : node.inputs) {
      if (in < 0 || in >= tensor_count) {
        throw_error(ErrorCode::kInvalidModel,
                    "node '" + node.name + "' reads a tensor index out of range");
      }
      if (!ready[in]) {
        throw_error(ErrorCode::kInvalidModel, "node '" + node.name + "' (" + node.op_type +
                                                  ") reads '" + tensors_[in].name +
                                                  "' before any node produces it");
      }
    }
    for (int out : node.outputs) {
      if (out < 0 || out >= tensor_count) {
        throw_error(ErrorCode::kInvalidModel,
                    "node '" + node.name + "' writes a tensor index out of range");
      }
      ready[out] = true;
    }
  }
}

}  // namespace reuselens
