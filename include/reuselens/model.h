// Loading models by name: zoo entries, Caffe prototxt files.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "reuselens/graph.h"

namespace reuselens {

struct LoadOptions {
  int64_t batch = 1;  // N of the input; must be >= 1
  // Overrides the input shape (NCHW, batch from `batch` when the first dim
  // is given as part of it). Empty: the model's own (zoo entry's size, or
  // the prototxt's input / input_shape / crop_size).
  std::vector<int64_t> input_shape;
  // Shapes of named inputs (ONNX: --input NAME=1x3x224x224); a symbolic
  // first dimension of an input not named here takes `batch`.
  std::map<std::string, std::vector<int64_t>> named_input_shapes;
};

// `spec` is "zoo:NAME", a path ending in .prototxt (or .pt/.txt Caffe text).
// Errors: kUnknownModel (lists the zoo), kIo, kParse, kInvalidModel.
Graph load_model(const std::string& spec, const LoadOptions& options = {});

// Expands "zoo:all" to every zoo entry; other specs pass through.
std::vector<std::string> expand_model_specs(const std::vector<std::string>& specs);

// Caffe prototxt text to a Graph (TEST phase). `origin` names the file in
// errors ("net.prototxt:12: ...").
Graph import_caffe_prototxt(const std::string& text, const std::string& origin,
                            const LoadOptions& options = {});

// ONNX model file to a Graph: ONNX's shape inference with data propagation,
// weights from initializers, Constant nodes and external data (metadata only;
// payloads are never read). Errors name the file, node and tensor.
Graph import_onnx(const std::string& path, const LoadOptions& options = {});
// The same from bytes in memory; `origin` names them in errors and its folder
// anchors external data.
Graph import_onnx_bytes(const std::string& bytes, const std::string& origin,
                        const LoadOptions& options = {});
bool onnx_available();  // false when built without libonnx

// Parses "1x3x224x224" (or "3x224x224", batch then from LoadOptions).
// `any_rank` accepts 1 to 8 dimensions (named ONNX inputs: token ids, 1-D audio ...).
std::vector<int64_t> parse_shape(const std::string& text, bool any_rank = false);

}  // namespace reuselens
