#include "frontend/onnx/proto_utils.h"

#include <algorithm>
#include <cstring>
#include <functional>

#include "reuselens/error.h"

namespace reuselens::onnx_import {

bool TensorInfo::is_static() const {
  return has_shape && std::all_of(dims.begin(), dims.end(), [](int64_t d) { return d >= 0; });
}

TensorInfo info_of(const onnx::ValueInfoProto& v) {
  TensorInfo t;
  if (!v.type().has_tensor_type()) return t;
  const auto& tt = v.type().tensor_type();
  t.elem_type = tt.elem_type();
  if (!tt.has_shape()) return t;
  t.has_shape = true;
  for (const auto& d : tt.shape().dim()) {
    t.dims.push_back(d.has_dim_value() && d.dim_value() > 0 ? d.dim_value() : -1);
  }
  return t;
}

TensorInfo info_of(const onnx::TensorProto& init) {
  TensorInfo t;
  t.dims.assign(init.dims().begin(), init.dims().end());
  t.elem_type = init.data_type();
  t.has_shape = true;
  return t;
}

DataType to_data_type(int onnx_type, const std::string& where) {
  switch (onnx_type) {
    case onnx::TensorProto_DataType_FLOAT:
      return DataType::kFloat32;
    case onnx::TensorProto_DataType_FLOAT16:
      return DataType::kFloat16;
    case onnx::TensorProto_DataType_BFLOAT16:
      return DataType::kBFloat16;
    case onnx::TensorProto_DataType_DOUBLE:
      return DataType::kFloat64;
    case onnx::TensorProto_DataType_INT8:
      return DataType::kInt8;
    case onnx::TensorProto_DataType_UINT8:
      return DataType::kUInt8;
    case onnx::TensorProto_DataType_INT16:
      return DataType::kInt16;
    case onnx::TensorProto_DataType_UINT16:
      return DataType::kUInt16;
    case onnx::TensorProto_DataType_INT32:
      return DataType::kInt32;
    case onnx::TensorProto_DataType_UINT32:
      return DataType::kUInt32;
    case onnx::TensorProto_DataType_INT64:
      return DataType::kInt64;
    case onnx::TensorProto_DataType_UINT64:
      return DataType::kUInt64;
    case onnx::TensorProto_DataType_BOOL:
      return DataType::kBool;
    // Newer than libonnx 1.12's enum, numbered as onnx.proto numbers them.
    case 17:  // FLOAT8E4M3FN
    case 18:  // FLOAT8E4M3FNUZ
    case 19:  // FLOAT8E5M2
    case 20:  // FLOAT8E5M2FNUZ
      return DataType::kFloat8;
    case 21:
      return DataType::kUInt4;
    case 22:
      return DataType::kInt4;
    case 23:
      return DataType::kFloat4;
    default:
      throw_error(ErrorCode::kInvalidModel,
                  where + ": data type " + std::to_string(onnx_type) + " is not a number type");
  }
}

bool is_float_type(DataType t) {
  return t == DataType::kFloat32 || t == DataType::kFloat16 || t == DataType::kBFloat16 ||
         t == DataType::kFloat64 || t == DataType::kFloat8 || t == DataType::kFloat4;
}

const onnx::AttributeProto* find_attr(const onnx::NodeProto& n, const std::string& name) {
  for (const auto& a : n.attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

std::optional<std::vector<int64_t>> int_values(const onnx::TensorProto& t) {
  int64_t n = 1;
  for (int64_t d : t.dims()) n *= d;
  if (n < 0 || n > 4096) return std::nullopt;
  std::vector<int64_t> out;
  const std::string& raw = t.raw_data();
  switch (t.data_type()) {
    case onnx::TensorProto_DataType_INT64:
      if (t.int64_data_size() == n)
        return std::vector<int64_t>(t.int64_data().begin(), t.int64_data().end());
      if (static_cast<int64_t>(raw.size()) != n * 8) return std::nullopt;
      out.resize(n);
      std::memcpy(out.data(), raw.data(), raw.size());
      return out;
    case onnx::TensorProto_DataType_INT32:
    case onnx::TensorProto_DataType_BOOL:
    case onnx::TensorProto_DataType_INT8:
    case onnx::TensorProto_DataType_UINT8: {
      if (t.int32_data_size() == n)
        return std::vector<int64_t>(t.int32_data().begin(), t.int32_data().end());
      const int64_t width = t.data_type() == onnx::TensorProto_DataType_INT32 ? 4 : 1;
      if (static_cast<int64_t>(raw.size()) != n * width) return std::nullopt;
      for (int64_t i = 0; i < n; ++i) {
        if (width == 4) {
          int32_t v = 0;
          std::memcpy(&v, raw.data() + 4 * i, 4);
          out.push_back(v);
        } else if (t.data_type() == onnx::TensorProto_DataType_INT8) {
          out.push_back(static_cast<int8_t>(raw[i]));
        } else {
          out.push_back(static_cast<uint8_t>(raw[i]));
        }
      }
      return out;
    }
    default:
      return std::nullopt;
  }
}

std::string node_name(const onnx::NodeProto& n, int index) {
  return n.name().empty() ? n.op_type() + "#" + std::to_string(index) : n.name();
}

std::string node_label(const onnx::NodeProto& n, int index) {
  return "node '" + node_name(n, index) + "' (" + n.op_type() + ")";
}

void for_each_graph(onnx::GraphProto& g, const std::function<void(onnx::GraphProto&)>& visit) {
  visit(g);
  for (auto& n : *g.mutable_node()) {
    for (auto& a : *n.mutable_attribute()) {
      if (a.has_g()) for_each_graph(*a.mutable_g(), visit);
      for (auto& sub : *a.mutable_graphs()) for_each_graph(sub, visit);
    }
  }
}

void for_each_graph(const onnx::GraphProto& g,
                    const std::function<void(const onnx::GraphProto&)>& visit) {
  visit(g);
  for (const auto& n : g.node()) {
    for (const auto& a : n.attribute()) {
      if (a.has_g()) for_each_graph(a.g(), visit);
      for (const auto& sub : a.graphs()) for_each_graph(sub, visit);
    }
  }
}

}  // namespace reuselens::onnx_import
