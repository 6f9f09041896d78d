// ONNX models to the graph IR, through Debian's libonnx: protobuf parsing,
// the checker, shape inference with data propagation, the schemas' opset
// range. This file reads and shapes the model; build.cc makes the IR.
#include "frontend/onnx/importer.h"

#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "frontend/inputs.h"
#include "frontend/onnx/payload_skipping.h"
#include "frontend/onnx/shape_folding.h"
#include "reuselens/error.h"
#include "reuselens/ops.h"

namespace reuselens {

bool onnx_available() { return true; }

namespace onnx_import {

namespace fs = std::filesystem;

namespace {

// libonnx 1.12 knows the default domain up to this opset.
int newest_libonnx_opset() {
  const auto& ranges = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  return ranges.at("").second;
}

std::string fmt_value(double v) {
  return v == std::floor(v) && std::abs(v) < 1e15 ? std::to_string(static_cast<int64_t>(v))
                                                  : std::to_string(v);
}

}  // namespace

OnnxImporter::OnnxImporter(std::string path, const LoadOptions& options)
    : path_(std::move(path)), options_(options) {}

void OnnxImporter::fail(ErrorCode code, const std::string& what) const {
  throw_error(code, path_ + ": " + what);
}

Graph OnnxImporter::run(const std::string* bytes) {
  if (bytes) {
    parse(*bytes);
  } else {
    read_model();
  }
  check_opsets();
  check_external_data();
  set_input_values();
  set_input_shapes();
  lower_newer_opset();
  check_nodes();
  // Shaping may guess the branch of an If whose condition depends on input
  // values; when the guess cannot be shaped or built, the other branch is
  // tried, one guess at a time.
  const onnx::ModelProto unshaped = model_;
  const std::vector<std::string> notes = notes_;
  for (int attempt = 0;; ++attempt) {
    try {
      shape_model();
      restore_deferred();
      // A debugging aid: the model as shaped (payloads stripped), for onnx tools.
      if (const char* dump = std::getenv("REUSELENS_DUMP_SHAPED_ONNX")) {
        std::ofstream(dump, std::ios::binary) << model_.SerializeAsString();
      }
      build();
      return std::move(graph_);
    } catch (const Error& e) {
      const auto next =
          std::find_if(undecided_choices_.begin(), undecided_choices_.end(),
                       [this](const auto& c) { return !rejected_branches_.count(c.first); });
      if (e.code() != ErrorCode::kInvalidModel || next == undecided_choices_.end() ||
          attempt >= 16) {
        throw;
      }
      rejected_branches_[next->first] = next->second;
      model_ = unshaped;
      notes_ = notes;
      undecided_choices_.clear();
      infos_.clear();
      constants_.clear();
      tensor_index_.clear();
      registry_shaped_.clear();
      folded_constants_ = 0;
      graph_ = Graph();
    }
  }
}

// Weight payloads are skipped while reading (payload_skipping.h): only
// names, dims and types are needed to count.
void OnnxImporter::read_model() { parse_stripped(read_without_payloads(path_)); }

void OnnxImporter::parse(const std::string& bytes) {
  google::protobuf::io::ArrayInputStream stream(bytes.data(), static_cast<int>(bytes.size()));
  parse_stripped(strip_payloads(stream, path_));
}

void OnnxImporter::parse_stripped(const std::string& bytes) {
  if (!model_.ParseFromString(bytes) || !model_.has_graph()) {
    fail(ErrorCode::kParse,
         "not a valid ONNX model (protobuf cannot parse it: truncated or corrupt?)");
  }
}

// The default domain's opset decides which cost schemas apply. One newer
// than libonnx knows is run through libonnx as its newest (lowering.cc
// rewrites the ops whose schema changed since); other domains are checked
// per node when built.
void OnnxImporter::check_opsets() {
  const int newest = newest_libonnx_opset();
  for (const auto& op : model_.opset_import()) {
    if (op.domain() != "" && op.domain() != "ai.onnx") continue;
    // ONNX releases add about two opsets a year (opset 23 in 2025): 40 is
    // well beyond any real model, a larger number is a corrupt file.
    if (op.version() < 1 || op.version() > 40) {
      fail(ErrorCode::kInvalidModel,
           "opset " + std::to_string(op.version()) + " of domain 'ai.onnx' does not exist");
    }
    opset_ = static_cast<int>(op.version());
  }
  inference_opset_ = std::min(opset_, newest);
  // libonnx refuses to infer anything in a model with a node of an
  // undeclared domain: declare it (its nodes are reported as unsupported
  // unless the registry knows them).
  std::set<std::string> declared;
  for (const auto& op : model_.opset_import()) declared.insert(op.domain());
  std::set<std::string> missing;
  for_each_graph(model_.graph(), [&](const onnx::GraphProto& g) {
    for (const auto& n : g.node()) {
      if (!n.domain().empty() && n.domain() != "ai.onnx" && !declared.count(n.domain())) {
        missing.insert(n.domain());
      }
    }
  });
  for (const std::string& domain : missing) {
    auto* import = model_.add_opset_import();
    import->set_domain(domain);
    import->set_version(1);
  }
}

// External data must stay inside the model's folder (CVE-2022-25882 and
// kin): no absolute paths, no "..", no symlink that leads out. The payload
// itself is never read.
void OnnxImporter::check_external_data() {
  const fs::path dir = fs::absolute(fs::path(path_)).parent_path();
  std::error_code ec;
  const fs::path real_dir = fs::weakly_canonical(dir, ec);
  for_each_graph(model_.graph(), [&](const onnx::GraphProto& g) {
    for (const auto& init : g.initializer()) {
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
  });
}

// --value NAME=V: the input becomes an initializer holding V, so that the
// folding and libonnx's data propagation decide what depends on it (an
// If's condition on a sample rate).
void OnnxImporter::set_input_values() {
  auto* g = model_.mutable_graph();
  for (const auto& named_value : options_.values) {
    // A plain reference: clang before 16 cannot capture structured bindings.
    const std::string& name = named_value.first;
    const auto& value = named_value.second;
    auto it = std::find_if(g->input().begin(), g->input().end(),
                           [&](const onnx::ValueInfoProto& v) { return v.name() == name; });
    if (it == g->input().end()) {
      std::string inputs;
      for (const auto& v : g->input()) inputs += (inputs.empty() ? "" : ", ") + v.name();
      fail(ErrorCode::kUsage,
           "--value " + name + ": not an input of the model (its inputs: " + inputs + ")");
    }
    const TensorInfo info = info_of(*it);
    int64_t elements = 1;
    for (int64_t d : info.dims) elements *= d;
    if (!info.has_shape || elements != 1) {
      fail(ErrorCode::kUsage, "--value " + name + ": the input is not a scalar (" +
                                  (info.has_shape ? shape_to_string(info.dims) : "no shape") +
                                  "); --value sets one number");
    }
    onnx::TensorProto t;
    t.set_name(name);
    t.set_data_type(info.elem_type);
    for (int64_t d : info.dims) t.add_dims(d);
    switch (info.elem_type) {
      case onnx::TensorProto_DataType_FLOAT:
        t.add_float_data(static_cast<float>(value));
        break;
      case onnx::TensorProto_DataType_DOUBLE:
        t.add_double_data(value);
        break;
      case onnx::TensorProto_DataType_INT64:
        t.add_int64_data(static_cast<int64_t>(std::llround(value)));
        break;
      case onnx::TensorProto_DataType_INT32:
      case onnx::TensorProto_DataType_BOOL:
        t.add_int32_data(static_cast<int32_t>(std::llround(value)));
        break;
      default:
        fail(ErrorCode::kUsage, "--value " + name + ": inputs of ONNX type " +
                                    std::to_string(info.elem_type) + " take no --value");
    }
    *g->add_initializer() = t;
    g->mutable_input()->erase(it);
    notes_.push_back("input '" + name + "' is the constant " + fmt_value(value) + " (--value)");
  }
}

// The model's inputs as declared, through the shared rules for --input,
// --batch and --dim (frontend/inputs.h). A dim stored as 0 is unknown.
// When an option changes a static dim, the file's intermediate shapes are
// stale: they are dropped and inferred again.
void OnnxImporter::set_input_shapes() {
  std::set<std::string> initializers;
  for (const auto& i : model_.graph().initializer()) initializers.insert(i.name());
  std::vector<frontend::DeclaredInput> declared;
  std::vector<onnx::ValueInfoProto*> protos;
  for (auto& in : *model_.mutable_graph()->mutable_input()) {
    if (initializers.count(in.name()) || !in.type().has_tensor_type()) continue;
    frontend::DeclaredInput d{in.name(), {}, {}};
    const auto& shape = in.type().tensor_type().shape();
    for (const auto& dim : shape.dim()) {
      if (dim.has_dim_value() && dim.dim_value() < 0) {
        fail(ErrorCode::kInvalidModel,
             "input '" + in.name() + "' has dimension " + std::to_string(dim.dim_value()));
      }
      d.dims.push_back(dim.has_dim_value() && dim.dim_value() > 0 ? dim.dim_value() : -1);
      d.dim_names.push_back(dim.has_dim_param() ? dim.dim_param() : "");
    }
    if (!in.type().tensor_type().has_shape()) d.dims.clear();
    declared.push_back(std::move(d));
    protos.push_back(&in);
  }
  frontend::InputResolver resolver(options_, path_, declared);
  const std::vector<std::vector<int64_t>> shapes = resolver.resolve();
  for (size_t i = 0; i < protos.size(); ++i) {
    auto* shape = protos[i]->mutable_type()->mutable_tensor_type()->mutable_shape();
    for (size_t d = 0; d < declared[i].dims.size() && d < shapes[i].size(); ++d) {
      changed_static_ |= declared[i].dims[d] > 0 && declared[i].dims[d] != shapes[i][d];
    }
    changed_static_ |= !declared[i].dims.empty() && declared[i].dims.size() != shapes[i].size();
    shape->clear_dim();
    for (int64_t d : shapes[i]) shape->add_dim()->set_dim_value(d);
  }
  if (changed_static_) {
    for_each_graph(*model_.mutable_graph(), [](onnx::GraphProto& g) { g.clear_value_info(); });
    for (auto& out : *model_.mutable_graph()->mutable_output()) {
      out.mutable_type()->mutable_tensor_type()->clear_shape();
    }
  }
  for (const std::string& note : resolver.notes()) notes_.push_back(note);
}

// Every default-domain node against its schema before shape inference:
// libonnx's inference trusts node structure and can crash on malformed
// nodes (found by the fuzzer), the checker reports them. Subgraphs see the
// names of the graphs around them. Ops libonnx does not know at the opset it
// runs (newer opsets, other domains) are left to the registry.
void OnnxImporter::check_nodes() {
  onnx::checker::CheckerContext ctx;
  ctx.set_ir_version(static_cast<int>(std::min<int64_t>(model_.ir_version(), 8)));
  std::unordered_map<std::string, int> imports;
  for (const auto& op : model_.opset_import()) {
    imports[op.domain()] = static_cast<int>(op.version());
  }
  imports[""] = inference_opset_;
  imports.erase("ai.onnx");
  ctx.set_opset_imports(imports);
  ctx.set_schema_registry(onnx::OpSchemaRegistry::Instance());
  onnx::checker::LexicalScopeContext outer;
  const auto& g = model_.graph();
  for (const auto& v : g.input()) outer.add(v.name());
  for (const auto& i : g.initializer()) outer.add(i.name());
  for (const auto& n : g.node()) {
    for (const auto& o : n.output()) outer.add(o);
  }
  const auto& nodes = g.node();
  for (int i = 0; i < nodes.size(); ++i) {
    const onnx::NodeProto& n = nodes[i];
    if (!n.domain().empty() && n.domain() != "ai.onnx") continue;
    if (!onnx::OpSchemaRegistry::Schema(n.op_type(), inference_opset_, "")) continue;
    try {
      onnx::checker::check_node(n, ctx, outer);
    } catch (const std::exception& e) {
      std::string what = e.what();
      what = what.substr(0, what.find('\n'));
      fail(ErrorCode::kInvalidModel, node_label(n, i) + " is malformed: " + what);
    }
  }
}

// libonnx's inference, the folding of integer shape subgraphs, and the
// registry's shape functions, again until nothing changes.
void OnnxImporter::shape_model() {
  infer_shapes();
  for (int round = 0; round < 64; ++round) {
    collect_infos();
    std::map<std::string, std::vector<int64_t>> static_shapes;
    for (const auto& [name, info] : infos_) {
      if (info.is_static()) static_shapes[name] = info.dims;
    }
    int progress = fold_shape_subgraphs(model_, static_shapes);
    if (progress == 0) progress = inline_ifs(/*undecided=*/false);
    if (progress == 0) progress = complete_shapes_with_registry();
    if (progress == 0) progress = inline_ifs(/*undecided=*/true);
    if (progress == 0) break;
    infer_shapes();
  }
  infos_.clear();
  constants_.clear();
  collect_infos();
  if (!registry_shaped_.empty()) {
    std::string names;
    int listed = 0;
    for (const std::string& n : registry_shaped_) {
      if (listed++ < 8) names += (names.empty() ? "" : ", ") + n;
    }
    if (listed > 8) names += ", ...";
    notes_.push_back(std::to_string(registry_shaped_.size()) +
                     " nodes shaped by reuselens's own shape functions where libonnx 1.12 has "
                     "none: " +
                     names);
  }
}

// ONNX's shape inference runs in a forked child: libonnx 1.12 can crash on
// malformed models (the fuzzer found a segfault in
// ShapeInferenceImplBase::process), and a crash there must become an
// error message, not take reuselens down. The child sends the inferred
// model back (payloads are already stripped, so it is small). The default
// domain is declared at the opset libonnx runs.
void OnnxImporter::infer_shapes() {
  for (auto& op : *model_.mutable_opset_import()) {
    if (op.domain().empty() || op.domain() == "ai.onnx") op.set_version(inference_opset_);
  }
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
    fail(ErrorCode::kInvalidModel, "ONNX shape inference crashed (signal " +
                                       std::to_string(WTERMSIG(status)) +
                                       ") on this model: it is malformed in a way libonnx does not "
                                       "check");
  }
  if (WEXITSTATUS(status) == 2) {
    std::replace(reply.begin(), reply.end(), '\n', ' ');
    fail(ErrorCode::kInvalidModel, "shape inference failed: " + reply);
  }
  if (WEXITSTATUS(status) != 0 || !model_.ParseFromString(reply)) {
    fail(ErrorCode::kInternal, "shape inference returned no model");
  }
}

void OnnxImporter::collect_infos() {
  for_each_graph(model_.graph(), [this](const onnx::GraphProto& g) {
    for (const auto& v : g.input()) {
      if (!infos_.count(v.name()) || !infos_[v.name()].is_static()) infos_[v.name()] = info_of(v);
    }
    for (const auto& v : g.value_info()) {
      const TensorInfo t = info_of(v);
      if (!infos_.count(v.name()) || t.is_static()) infos_[v.name()] = t;
    }
    for (const auto& v : g.output()) {
      if (!infos_.count(v.name()) || !infos_[v.name()].has_shape) infos_[v.name()] = info_of(v);
    }
    for (const auto& init : g.initializer()) constants_[init.name()] = info_of(init);
    for (const auto& n : g.node()) {
      if (n.op_type() != "Constant" || n.output_size() != 1 || !n.domain().empty()) continue;
      TensorInfo t;
      t.has_shape = true;
      for (const auto& a : n.attribute()) {
        if (a.name() == "value" && a.has_t()) {
          t = info_of(a.t());
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
  });
}

}  // namespace onnx_import

Graph import_onnx(const std::string& path, const LoadOptions& options) {
  return onnx_import::OnnxImporter(path, options).run();
}

Graph import_onnx_bytes(const std::string& bytes, const std::string& origin,
                        const LoadOptions& options) {
  return onnx_import::OnnxImporter(origin, options).run(&bytes);
}

}  // namespace reuselens
