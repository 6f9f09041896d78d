// Small readers of ONNX protobuf messages shared by the importer's stages.
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "reuselens/graph.h"

namespace reuselens::onnx_import {

// What shape inference (or the file) says of a value.
struct TensorInfo {
  std::vector<int64_t> dims;  // -1 for an unknown dimension
  int elem_type = 0;
  bool has_shape = false;
  bool is_static() const;  // shape known in every dimension
};

TensorInfo info_of(const onnx::ValueInfoProto& value);
TensorInfo info_of(const onnx::TensorProto& tensor);

// ONNX element types to the IR's, including the 8- and 4-bit types newer
// than libonnx 1.12 (FLOAT8*, INT4, UINT4, FLOAT4E2M1). Throws Error
// (kInvalidModel) naming `where` for types that carry no numbers (string).
DataType to_data_type(int onnx_type, const std::string& where);
bool is_float_type(DataType type);

const onnx::AttributeProto* find_attr(const onnx::NodeProto& node, const std::string& name);

// The integer (or boolean) values of a tensor whose data is present (small
// tensors keep theirs: payload_skipping.h), else nullopt.
std::optional<std::vector<int64_t>> int_values(const onnx::TensorProto& tensor);

// "node 'name' (Op)", or "node 'Op#index' (Op)" for an unnamed node.
std::string node_label(const onnx::NodeProto& node, int index);
std::string node_name(const onnx::NodeProto& node, int index);

// Visits every graph of the model, subgraphs of If/Loop/Scan included,
// outer graphs first.
void for_each_graph(onnx::GraphProto& graph, const std::function<void(onnx::GraphProto&)>& visit);
void for_each_graph(const onnx::GraphProto& graph,
                    const std::function<void(const onnx::GraphProto&)>& visit);

}  // namespace reuselens::onnx_import
