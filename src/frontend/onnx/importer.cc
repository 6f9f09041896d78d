// ONNX models to the graph IR, through Debian's libonnx: protobuf parsing,
// shape inference with data propagation, the operator schemas' opset range.
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "frontend/inputs.h"
#include "frontend/onnx/payload_skipping.h"
#include "frontend/onnx/shape_folding.h"
#include "reuselens/error.h"
#include "reuselens/model.h"
#include "reuselens/ops.h"

namespace reuselens {

bool onnx_available() { return true; }

namespace {

namespace fs = std::filesystem;

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
    default:
      throw_error(ErrorCode::kInvalidModel,
                  where + ": data type " + std::to_string(onnx_type) + " is not supported");
  }
}

bool is_float(DataType t) {
  return t == DataType::kFloat32 || t == DataType::kFloat16 || t == DataType::kBFloat16 ||
         t == DataType::kFloat64;
}

struct TensorInfo {
  std::vector<int64_t> dims;  // -1 for an unknown dimension
  int elem_type = 0;
  bool has_shape = false;
};

TensorInfo info_of(const onnx::ValueInfoProto& v) {
  TensorInfo t;
  if (!v.type().has_tensor_type()) return t;
  const auto& tt = v.type().tensor_type();
  t.elem_type = tt.elem_type();
  if (!tt.has_shape()) return t;
  t.has_shape = true;
  for (const auto& d : tt.shape().dim()) t.dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
  return t;
}

class OnnxImporter {
 public:
  OnnxImporter(std::string path, const LoadOptions& options)
      : path_(std::move(path)), options_(options) {}

  // Reads the file, or parses `bytes` when given (the fuzzer's entry).
  Graph run(const std::string* bytes = nullptr) {
    if (bytes) {
      parse(*bytes);
    } else {
      read_model();
    }
    check_opsets();
    check_external_data();
    set_input_shapes();
    check_nodes();
    infer_shapes();
    // Shape subgraphs ONNX's data propagation leaves open: fold, re-infer.
    for (int round = 0; round < 3; ++round) {
      collect_infos();
      std::map<std::string, std::vector<int64_t>> static_shapes;
      for (const auto& [name, info] : infos_) {
        if (info.has_shape &&
            std::all_of(info.dims.begin(), info.dims.end(), [](int64_t d) { return d >= 0; })) {
          static_shapes[name] = info.dims;
        }
      }
      if (onnx_import::fold_shape_subgraphs(model_, static_shapes) == 0) break;
      infer_shapes();
    }
    infos_.clear();
    constants_.clear();
    collect_infos();
    build();
    return std::move(graph_);
  }

 private:
  [[noreturn]] void fail(ErrorCode code, const std::string& what) const {
    throw_error(code, path_ + ": " + what);
  }

  std::string node_label(const onnx::NodeProto& n, int index) const {
    return "node '" + (n.name().empty() ? n.op_type() + "#" + std::to_string(index) : n.name()) +
           "' (" + n.op_type() + ")";
  }

  // Weight payloads are skipped while reading (payload_skipping.h): only
  // names, dims and types are needed to count.
  void read_model() { parse_stripped(onnx_import::read_without_payloads(path_)); }

  void parse(const std::string& bytes) {
    google::protobuf::io::ArrayInputStream stream(bytes.data(), static_cast<int>(bytes.size()));
    parse_stripped(onnx_import::strip_payloads(stream, path_));
  }

  void parse_stripped(const std::string& bytes) {
    if (!model_.ParseFromString(bytes) || !model_.has_graph()) {
      fail(ErrorCode::kParse,
           "not a valid ONNX model (protobuf cannot parse it: truncated or corrupt?)");
    }
  }

  void check_opsets() {
    const auto& ranges = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
    for (const auto& op : model_.opset_import()) {
      const std::string domain = op.domain() == "ai.onnx" ? "" : op.domain();
      auto it = ranges.find(domain);
      if (it == ranges.end()) continue;  // checked per node below
      if (op.version() > it->second.second) {
        fail(ErrorCode::kInvalidModel, "opset " + std::to_string(op.version()) + " of domain '" +
                                           (domain.empty() ? "ai.onnx" : domain) +
                                           "' is newer than this libonnx knows (" +
                                           std::to_string(it->second.second) + ")");
      }
      if (domain.empty()) opset_ = static_cast<int>(op.version());
    }
    const auto& nodes = model_.graph().node();
    for (int i = 0; i < nodes.size(); ++i) {
      if (!kKnownDomains.count(nodes[i].domain())) {
        fail(ErrorCode::kInvalidModel,
             node_label(nodes[i], i) + " is in unknown domain '" + nodes[i].domain() + "'");
      }
    }
  }

  inline static const std::set<std::string> kKnownDomains = {"", "ai.onnx", "ai.onnx.ml",
                                                             "com.microsoft"};

  // External data must stay inside the model's folder (CVE-2022-25882 and
  // kin): no absolute paths, no "..", no symlink that leads out. The
  // payload itself is never read.
  void check_external_data() {
    const fs::path dir = fs::absolute(fs::path(path_)).parent_path();
    std::error_code ec;
    const fs::path real_dir = fs::weakly_canonical(dir, ec);
    for (const auto& init : model_.graph().initializer()) {
      if (init.data_location() != onnx::TensorProto_DataLocation_EXTERNAL) continue;
      std::string location;
      for (const auto& kv : init.external_data()) {
        if (kv.key() == "location") location = kv.value();
      }
      const std::string where =
          "initializer '" + init.name() + "': external data location '" + location + "'";
      const fs::path rel(location);
      if (location.empty() || rel.is_absolute() || rel.has_root_name() ||
          rel.has_root_directory()) {
        fail(ErrorCode::kInvalidModel, where + " must be a path relative to the model's folder");
      }
      for (const auto& part : rel) {
        if (part == "..") fail(ErrorCode::kInvalidModel, where + " leaves the model's folder");
      }
      const fs::path resolved = fs::weakly_canonical(dir / rel, ec);
      const auto [end, ignored] =
          std::mismatch(real_dir.begin(), real_dir.end(), resolved.begin(), resolved.end());
      if (ec || end != real_dir.end()) {
        fail(ErrorCode::kInvalidModel, where + " resolves outside the model's folder (a symlink?)");
      }
    }
  }

  // The model's inputs as declared, through the shared rules for --input,
  // --batch and --dim (frontend/inputs.h). A dim stored as 0 is unknown.
  // When an option changes a static dim, the file's intermediate shapes are
  // stale: they are dropped and inferred again.
  void set_input_shapes() {
    std::set<std::string> initializers;
    for (const auto& i : model_.graph().initializer()) initializers.insert(i.name());
    std::vector<frontend::DeclaredInput> declared;
    std::vector<onnx::ValueInfoProto*> protos;
    for (auto& in : *model_.mutable_graph()->mutable_input()) {
      if (initializers.count(in.name()) || !in.type().has_tensor_type()) continue;
      frontend::DeclaredInput d{in.name(), {}, {}};
      const auto& shape = in.type().tensor_type().shape();
      for (const auto& dim : shape.dim()) {
        d.dims.push_back(dim.has_dim_value() && dim.dim_value() > 0 ? dim.dim_value() : -1);
        d.dim_names.push_back(dim.has_dim_param() ? dim.dim_param() : "");
        if (dim.has_dim_value() && dim.dim_value() < 0) {
          fail(ErrorCode::kInvalidModel,
               "input '" + in.name() + "' has dimension " + std::to_string(dim.dim_value()));
        }
      }
      if (!in.type().tensor_type().has_shape()) d.dims.clear();
      declared.push_back(std::move(d));
      protos.push_back(&in);
    }
    frontend::InputResolver resolver(options_, path_, declared);
    const std::vector<std::vector<int64_t>> shapes = resolver.resolve();
    bool changed_static = false;
    for (size_t i = 0; i < protos.size(); ++i) {
      auto* shape = protos[i]->mutable_type()->mutable_tensor_type()->mutable_shape();
      for (size_t d = 0; d < declared[i].dims.size() && d < shapes[i].size(); ++d) {
        changed_static |= declared[i].dims[d] > 0 && declared[i].dims[d] != shapes[i][d];
      }
      changed_static |= declared[i].dims.size() != shapes[i].size() && !declared[i].dims.empty();
      shape->clear_dim();
      for (int64_t d : shapes[i]) shape->add_dim()->set_dim_value(d);
    }
    changed_static_ = changed_static;
    if (changed_static) {
      model_.mutable_graph()->clear_value_info();
      for (auto& out : *model_.mutable_graph()->mutable_output()) {
        out.mutable_type()->mutable_tensor_type()->clear_shape();
      }
    }
    for (const std::string& note : resolver.notes()) notes_.push_back(note);
  }

  // Every default-domain node against its schema before shape inference:
  // libonnx's inference trusts node structure and can crash on malformed
  // nodes (found by the fuzzer), the checker reports them.
  void check_nodes() {
    onnx::checker::CheckerContext ctx;
    ctx.set_ir_version(static_cast<int>(model_.ir_version()));
    std::unordered_map<std::string, int> imports;
    for (const auto& op : model_.opset_import())
      imports[op.domain()] = static_cast<int>(op.version());
    ctx.set_opset_imports(imports);
    ctx.set_schema_registry(onnx::OpSchemaRegistry::Instance());
    const onnx::checker::LexicalScopeContext lex;
    const auto& nodes = model_.graph().node();
    for (int i = 0; i < nodes.size(); ++i) {
      if (!nodes[i].domain().empty() && nodes[i].domain() != "ai.onnx") continue;
      try {
        onnx::checker::check_node(nodes[i], ctx, lex);
      } catch (const std::exception& e) {
        std::string what = e.what();
        what = what.substr(0, what.find('\n'));
        fail(ErrorCode::kInvalidModel, node_label(nodes[i], i) + " is malformed: " + what);
      }
    }
  }

  // ONNX's shape inference runs in a forked child: libonnx 1.12 can crash on
  // malformed models (the fuzzer found a segfault in
  // ShapeInferenceImplBase::process), and a crash there must become an
  // error message, not take reuselens down. The child sends the inferred
  // model back (payloads are already stripped, so it is small).
  void infer_shapes() {
    int fds[2];
    if (pipe(fds) != 0) fail(ErrorCode::kInternal, "pipe failed");
    const pid_t pid = fork();
    if (pid < 0) fail(ErrorCode::kInternal, "fork failed");
    if (pid == 0) {
      close(fds[0]);
      // Die quietly on a crash: the parent turns the signal into an error
      // (and sanitizer or fuzzer handlers inherited from it stay out).
      for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) signal(sig, SIG_DFL);
      std::string reply;
      int code = 0;
      try {
        onnx::ShapeInferenceOptions opts(/*check_type=*/false, /*strict_mode=*/0,
                                         /*data_prop=*/true);
        onnx::shape_inference::InferShapes(model_, onnx::OpSchemaRegistry::Instance(), opts);
        reply = model_.SerializeAsString();
      } catch (const std::exception& e) {
        reply = e.what();
        code = 2;
      }
      size_t done = 0;
      while (done < reply.size()) {
        const ssize_t n = write(fds[1], reply.data() + done, reply.size() - done);
        if (n <= 0) _exit(3);
        done += static_cast<size_t>(n);
      }
      _exit(code);
    }
    close(fds[1]);
    std::string reply;
    char buffer[65536];
    ssize_t n = 0;
    while ((n = read(fds[0], buffer, sizeof buffer)) > 0)
      reply.append(buffer, static_cast<size_t>(n));
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) {
      fail(ErrorCode::kInvalidModel,
           "ONNX shape inference crashed (signal " + std::to_string(WTERMSIG(status)) +
               ") on this model: it is malformed in a way libonnx does not check");
    }
    if (WEXITSTATUS(status) == 2) {
      std::replace(reply.begin(), reply.end(), '\n', ' ');
      fail(ErrorCode::kInvalidModel, "shape inference failed: " + reply);
    }
    if (WEXITSTATUS(status) != 0 || !model_.ParseFromString(reply)) {
      fail(ErrorCode::kInternal, "shape inference returned no model");
    }
  }

  void collect_infos() {
    const auto& g = model_.graph();
    for (const auto& v : g.input()) infos_[v.name()] = info_of(v);
    for (const auto& v : g.value_info()) infos_[v.name()] = info_of(v);
    for (const auto& v : g.output()) {
      if (!infos_.count(v.name()) || !infos_[v.name()].has_shape) infos_[v.name()] = info_of(v);
    }
    for (const auto& init : g.initializer()) {
      TensorInfo t;
      t.dims.assign(init.dims().begin(), init.dims().end());
      t.elem_type = init.data_type();
      t.has_shape = true;
      constants_[init.name()] = t;
    }
    for (const auto& n : g.node()) {
      if (n.op_type() != "Constant" || n.output_size() != 1) continue;
      TensorInfo t;
      t.has_shape = true;
      for (const auto& a : n.attribute()) {
        if (a.name() == "value" && a.has_t()) {
          t.dims.assign(a.t().dims().begin(), a.t().dims().end());
          t.elem_type = a.t().data_type();
        } else if (a.name() == "value_float") {
          t.elem_type = onnx::TensorProto_DataType_FLOAT;
        } else if (a.name() == "value_int") {
          t.elem_type = onnx::TensorProto_DataType_INT64;
        } else if (a.name() == "value_floats") {
          t.dims = {a.floats_size()};
          t.elem_type = onnx::TensorProto_DataType_FLOAT;
        } else if (a.name() == "value_ints") {
          t.dims = {a.ints_size()};
          t.elem_type = onnx::TensorProto_DataType_INT64;
        }
      }
      constants_[n.output(0)] = t;
    }
  }

  // Kahn's algorithm over tensor names, keeping the file's order where it is
  // already valid; names nobody produces and cycles are errors.
  std::vector<int> execution_order() {
    const auto& nodes = model_.graph().node();
    std::set<std::string> available;
    for (const auto& v : model_.graph().input()) available.insert(v.name());
    for (const auto& [name, t] : constants_) available.insert(name);
    std::map<std::string, int> producer;
    for (int i = 0; i < nodes.size(); ++i) {
      for (const auto& o : nodes[i].output()) {
        if (!o.empty()) producer[o] = i;
      }
    }
    for (int i = 0; i < nodes.size(); ++i) {
      for (const auto& in : nodes[i].input()) {
        if (!in.empty() && !available.count(in) && !producer.count(in)) {
          fail(ErrorCode::kInvalidModel, node_label(nodes[i], i) + " reads '" + in +
                                             "', which no node, input or initializer produces");
        }
      }
    }
    std::vector<int> order;
    std::vector<bool> done(nodes.size(), false);
    bool progress = true;
    while (order.size() < static_cast<size_t>(nodes.size()) && progress) {
      progress = false;
      for (int i = 0; i < nodes.size(); ++i) {
        if (done[i]) continue;
        bool ready = true;
        for (const auto& in : nodes[i].input()) ready &= in.empty() || available.count(in) > 0;
        if (!ready) continue;
        done[i] = true;
        progress = true;
        order.push_back(i);
        for (const auto& o : nodes[i].output()) available.insert(o);
      }
    }
    if (order.size() < static_cast<size_t>(nodes.size())) {
      for (int i = 0; i < nodes.size(); ++i) {
        if (!done[i])
          fail(ErrorCode::kInvalidModel,
               "the graph has a cycle through " + node_label(nodes[i], i));
      }
    }
    return order;
  }

  std::vector<int64_t> static_shape(const std::string& name, const std::string& where) {
    auto it = infos_.find(name);
    if (it == infos_.end() || !it->second.has_shape ||
        std::any_of(it->second.dims.begin(), it->second.dims.end(),
                    [](int64_t d) { return d < 0; })) {
      fail(ErrorCode::kInvalidModel,
           "tensor '" + name + "' (" + where +
               ") has no static shape after shape inference; give the inputs with "
               "--input NAME=SHAPE");
    }
    try {
      element_count(it->second.dims);
    } catch (const Error& e) {
      throw e.with_context(path_ + ": tensor '" + name + "' (" + where + ")");
    }
    return it->second.dims;
  }

  int activation(const std::string& name, const std::string& where) {
    auto it = tensor_index_.find(name);
    if (it != tensor_index_.end()) return it->second;
    Tensor t{.name = name, .shape = static_shape(name, where)};
    t.type = to_data_type(infos_[name].elem_type, "tensor '" + name + "'");
    const int index = graph_.add_tensor(std::move(t));
    tensor_index_[name] = index;
    return index;
  }

  // Constants that are parameters: multi-element floating-point tensors (an
  // embedding table, a class token, a bias), and anything a MAC or
  // normalisation op consumes (quantized weights are integers). Scalars,
  // integer shapes, axes and indices, and Resize's scales are metadata.
  bool is_parameter(const TensorInfo& c, const OpSchema* schema, const std::string& op_type) {
    const DataType type = to_data_type(c.elem_type, "constant");
    int64_t n = 1;
    for (int64_t d : c.dims) n *= d;
    if (schema && (is_mac_layer(schema->kind) || schema->kind == OpKind::kNormalization))
      return true;
    if (op_type == "Resize" || op_type == "Upsample") return false;
    return is_float(type) && n > 1;
  }

  // A view or copy of constants is itself a constant (a weight read through
  // Identity, a transposed or reshaped weight), not a layer.
  bool folds_to_constant(const onnx::NodeProto& n) const {
    static const std::set<std::string> views = {"Identity",  "Cast",           "Reshape",
                                                "Transpose", "Squeeze",        "Unsqueeze",
                                                "Flatten",   "ConstantOfShape"};
    if (!n.domain().empty() || !views.count(n.op_type()) || n.input_size() == 0) return false;
    for (const auto& in : n.input()) {
      if (!in.empty() && !constants_.count(in)) return false;
    }
    return true;
  }

  void build() {
    const auto& g = model_.graph();
    // Exporters name graphs generically ("torch_jit", "main_graph"): the file says more.
    graph_.name = fs::path(path_).stem().string();
    graph_.source = path_;
    graph_.typed = true;
    graph_.opset = opset_;
    std::set<std::string> initializer_names;
    for (const auto& i : g.initializer()) initializer_names.insert(i.name());
    for (const auto& in : g.input()) {
      if (initializer_names.count(in.name())) continue;
      graph_.inputs.push_back(activation(in.name(), "graph input"));
    }
    const auto& nodes = g.node();
    int folded_constants = 0;
    for (int i : execution_order()) {
      const onnx::NodeProto& n = nodes[i];
      const std::string label = node_label(n, i);
      if (n.op_type() == "Constant" && n.domain().empty()) {
        ++folded_constants;
        continue;
      }
      if (folds_to_constant(n)) {  // e.g. the exporter's Identity over a shared initializer
        for (const auto& out : n.output()) {
          TensorInfo t = infos_.count(out) ? infos_[out] : constants_[n.input(0)];
          if (!t.has_shape || t.elem_type == 0) t = constants_[n.input(0)];
          constants_[out] = t;
        }
        ++folded_constants;
        continue;
      }
      Node node;
      node.name = n.name().empty() ? n.op_type() + "#" + std::to_string(i) : n.name();
      node.domain = n.domain() == "ai.onnx" ? "" : n.domain();
      node.op_type = n.op_type();
      node.source = path_ + ": node " + std::to_string(i);
      const OpSchema* schema = builtin_ops().find(node.domain, node.op_type, opset_);
      for (const auto& a : n.attribute()) {
        switch (a.type()) {
          case onnx::AttributeProto_AttributeType_INT:
            node.attrs[a.name()] = static_cast<int64_t>(a.i());
            break;
          case onnx::AttributeProto_AttributeType_FLOAT:
            node.attrs[a.name()] = static_cast<double>(a.f());
            break;
          case onnx::AttributeProto_AttributeType_STRING:
            node.attrs[a.name()] = a.s();
            break;
          case onnx::AttributeProto_AttributeType_INTS:
            node.attrs[a.name()] = std::vector<int64_t>(a.ints().begin(), a.ints().end());
            break;
          default:
            break;  // tensors, graphs, floats: not needed for counting
        }
      }
      for (const auto& in : n.input()) {
        if (in.empty()) continue;
        auto c = constants_.find(in);
        if (c != constants_.end()) {
          if (!is_parameter(c->second, schema, node.op_type)) continue;
          int index = -1;
          auto it = tensor_index_.find(in);
          if (it != tensor_index_.end()) {
            index = it->second;
          } else {
            Tensor t{.name = in, .shape = c->second.dims, .role = TensorRole::kWeight};
            t.type = to_data_type(c->second.elem_type, "initializer '" + in + "'");
            if (t.shape.empty()) t.shape = {1};
            element_count(t.shape);
            index = graph_.add_tensor(std::move(t));
            tensor_index_[in] = index;
          }
          node.weights.push_back(index);
          continue;
        }
        node.inputs.push_back(activation(in, "input of " + label));
      }
      for (const auto& out : n.output()) {
        if (out.empty()) continue;
        node.outputs.push_back(activation(out, "output of " + label));
      }
      graph_.add_node(std::move(node));
    }
    for (const auto& out : g.output()) {
      auto it = tensor_index_.find(out.name());
      if (it != tensor_index_.end()) graph_.outputs.push_back(it->second);
    }
    for (const std::string& note : notes_) graph_.notes.push_back(note);
    if (folded_constants) {
      graph_.notes.push_back(
          std::to_string(folded_constants) +
          " Constant nodes and views of constants read as parameters or metadata, not as layers");
    }
    check_views();
    graph_.validate();
  }

  // Ops that only re-view their data must keep the element count. Shape
  // inference does not check it, and an export traced at one input size can
  // carry fixed target shapes (Reshape to 1x64x128) that another size breaks:
  // such a model cannot take the shape, and counting it would be wrong.
  void check_views() const {
    static const std::set<std::string> views = {"Reshape",   "Flatten",   "Squeeze",
                                                "Unsqueeze", "Transpose", "Identity"};
    for (const Node& n : graph_.nodes()) {
      if (!n.domain.empty() || !views.count(n.op_type) || n.inputs.empty() || n.outputs.empty())
        continue;
      const auto& in = graph_.tensor(n.inputs[0]).shape;
      const auto& out = graph_.tensor(n.outputs[0]).shape;
      if (element_count(in) == element_count(out)) continue;
      const std::string what = "node '" + n.name + "' (" + n.op_type + ") turns " +
                               shape_to_string(in) + " into " + shape_to_string(out) +
                               ": a target shape fixed in the file";
      if (changed_static_) {
        fail(ErrorCode::kUsage,
             "the model cannot take the input shapes given (--input/--batch/--dim): " + what);
      }
      fail(ErrorCode::kInvalidModel, what + " does not match its input");
    }
  }

  std::string path_;
  LoadOptions options_;
  onnx::ModelProto model_;
  int opset_ = 1 << 30;
  std::map<std::string, TensorInfo> infos_;
  std::map<std::string, TensorInfo> constants_;
  std::map<std::string, int> tensor_index_;
  std::vector<std::string> notes_;
  bool changed_static_ = false;  // an input option changed a dim the file fixes
  Graph graph_;
};

}  // namespace

Graph import_onnx(const std::string& path, const LoadOptions& options) {
  return OnnxImporter(path, options).run();
}

Graph import_onnx_bytes(const std::string& bytes, const std::string& origin,
                        const LoadOptions& options) {
  return OnnxImporter(origin, options).run(&bytes);
}

}  // namespace reuselens
