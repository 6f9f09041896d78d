// Loading models by name: zoo entries, Caffe prototxt files.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "reuselens/graph.h"

namespace reuselens {

// How the model's inputs are shaped (the rules: docs/cli.md, "Inputs").
// Every field that is set takes effect or the load fails naming why.
struct LoadOptions {
  // N of every input's batch dimension; 0: not given (the model's own, and
  // 1 where the model leaves it open).
  int64_t batch = 0;
  // The shape of the model's only input (--input 1x3x224x224, or 3x224x224
  // without the batch). A model with several inputs needs the named form.
  std::vector<int64_t> input_shape;
  // Shapes of named inputs (--input NAME=1x3x224x224; any rank).
  std::map<std::string, std::vector<int64_t>> named_input_shapes;
  // Values of named symbolic dimensions wherever they appear (--dim seq=128).
  std::map<std::string, int64_t> dims;
  // Values of scalar inputs (ONNX: a sample rate, a flag; --value sr=16000):
  // the input becomes a constant, so conditions on it are decided.
  std::map<std::string, double> values;
  // Trip counts of loops whose count depends on input values (--trip-count):
  // by node name, or "" for every such loop.
  std::map<std::string, int64_t> trip_counts;
};

// `spec` is "zoo:NAME" (the zoo's name or display name, any case), a path
// ending in .prototxt (or .pt/.txt Caffe text) or .onnx, or a bare zoo name
// when no such file exists. Errors: kUnknownModel (suggests the nearest zoo
// names), kIo, kParse, kInvalidModel, kUsage (an input option that cannot
// take effect).
Graph load_model(const std::string& spec, const LoadOptions& options = {});

// "zoo:NAME" for a zoo network however it is spelt (zoo:ResNet-50, resnet50),
// the path itself for a model file. Throws as load_model does for unknown names.
// A spec may end in "@SHAPE" or "@NAME=SHAPE,...": that model's own input
// shapes, which replace --input for it (zoo:alexnet@3x227x227), kept here.
std::string canonical_model_spec(const std::string& spec);

// How reports name a model: a zoo entry's display name ("ResNet-50"), else
// `fallback` (the graph's name).
std::string model_display_name(const std::string& spec, const std::string& fallback);

// Expands "zoo:all" to every zoo entry; others become canonical_model_spec's.
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
