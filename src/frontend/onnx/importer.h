// The ONNX importer's stages, one class over one model (private to
// src/frontend/onnx). importer.cc reads the file and shapes it (checks,
// libonnx's inference, folding, the registry's shape functions for what
// libonnx leaves open); lowering.cc rewrites ops newer than libonnx 1.12's
// opset 17 into their opset-17 forms; build.cc turns the result into the
// IR, control flow included.
#pragma once

#include <onnx/onnx_pb.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "frontend/onnx/proto_utils.h"
#include "reuselens/error.h"
#include "reuselens/graph.h"
#include "reuselens/model.h"

namespace reuselens::onnx_import {

// The domain lowering.cc gives nodes set aside for the registry while
// libonnx infers (so that it skips them); restored before building.
inline constexpr const char* kDeferredDomain = "reuselens.deferred";

class OnnxImporter {
 public:
  OnnxImporter(std::string path, const LoadOptions& options);

  // Reads the file, or parses `bytes` when given (the fuzzer's entry).
  Graph run(const std::string* bytes = nullptr);

 private:
  [[noreturn]] void fail(ErrorCode code, const std::string& what) const;

  // importer.cc: reading and shaping.
  void read_model();
  void parse(const std::string& bytes);
  void parse_stripped(const std::string& bytes);
  void check_opsets();
  void check_external_data();
  void set_input_values();
  void set_input_shapes();
  void check_nodes();
  void shape_model();
  void infer_shapes();
  void collect_infos();
  // The registry's shape functions for nodes whose outputs libonnx leaves
  // open (ops it does not know: newer opsets, com.microsoft); returns how
  // many outputs it gave a shape.
  int complete_shapes_with_registry();
  // inline_if.cc: Ifs whose condition is known replaced by the branch
  // taken; with `undecided`, the first If whose condition is not known and
  // whose outputs libonnx cannot shape, by its branch with more compute.
  // Returns how many were replaced.
  int inline_ifs(bool undecided);

  // lowering.cc: opset > 17 to opset-17 forms where the op has one.
  void lower_newer_opset();
  void restore_deferred();

  // build.cc: the IR.
  struct Checkpoint;
  Checkpoint checkpoint() const;
  void restore(const Checkpoint& c);
  void build();
  void import_nodes(const onnx::GraphProto& graph, const std::vector<int>& order, int64_t repeats,
                    const std::string& scope);
  void import_node(const onnx::NodeProto& n, int index, int64_t repeats, const std::string& scope);
  void import_if(const onnx::NodeProto& n, const std::string& name, int64_t repeats,
                 const std::string& scope);
  void import_loop(const onnx::NodeProto& n, const std::string& name, int64_t repeats,
                   const std::string& scope);
  void import_scan(const onnx::NodeProto& n, const std::string& name, int64_t repeats,
                   const std::string& scope);
  // The control-flow node itself: reads the body's results, writes its outputs.
  void add_control_node(const onnx::NodeProto& n, const std::string& name,
                        const std::vector<std::string>& body_outputs, int64_t repeats);
  // Binds a subgraph input to a value of the given shape for each run.
  void bind(const std::string& name, const TensorInfo& info);
  std::vector<int> execution_order() const;
  int activation(const std::string& name, const std::string& where);
  std::vector<int64_t> static_shape(const std::string& name, const std::string& where);
  bool is_parameter(const TensorInfo& c, const std::string& domain, const std::string& op_type);
  bool folds_to_constant(const onnx::NodeProto& n) const;
  std::optional<std::vector<int64_t>> constant_ints(const std::string& name) const;
  void check_views() const;

  std::string path_;
  LoadOptions options_;
  onnx::ModelProto model_;
  int opset_ = 1 << 30;                          // the default-domain opset the model declares
  int inference_opset_ = 0;                      // what libonnx runs it as (<= its newest)
  std::map<std::string, TensorInfo> infos_;      // every value of every graph
  std::map<std::string, TensorInfo> constants_;  // initializers, Constant outputs
  std::map<std::string, int> tensor_index_;
  std::set<std::string> registry_shaped_;  // nodes the registry gave shapes
  // Output tensor -> why the registry could not shape its node (a malformed
  // attribute): the error for the open shape names it.
  std::map<std::string, std::string> registry_failures_;
  std::vector<std::string> notes_;
  bool changed_static_ = false;  // an input option changed a dim the file fixes
  int folded_constants_ = 0;
  // Undecided Ifs replaced by a guessed branch, in order; a failed attempt
  // rejects the first guess not yet rejected and shapes again (run()).
  std::vector<std::pair<std::string, int>> undecided_choices_;
  std::map<std::string, int> rejected_branches_;
  Graph graph_;
};

}  // namespace reuselens::onnx_import
