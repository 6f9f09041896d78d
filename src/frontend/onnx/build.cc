// The shaped ONNX model to the graph IR: every node counted or reported,
// parameters found wherever ONNX keeps them, and control flow counted as it
// runs: an If's taken branch (or the costlier one, said in the notes), a
// Loop's body times its trip count, a Scan's body times its sequence length.
#include <algorithm>
#include <filesystem>
#include <optional>

#include "frontend/onnx/importer.h"
#include "ir/checked.h"
#include "reuselens/error.h"
#include "reuselens/ops.h"

namespace reuselens::onnx_import {

namespace fs = std::filesystem;

namespace {

// What a branch costs once imported, to pick the costlier of two.
struct Cost {
  int64_t macs = 0, flops = 0;
  bool operator<(const Cost& o) const { return macs != o.macs ? macs < o.macs : flops < o.flops; }
};

Cost cost_of_nodes(const Graph& graph, size_t first, int opset) {
  Cost c;
  for (size_t i = first; i < graph.nodes().size(); ++i) {
    const Node& node = graph.node(static_cast<int>(i));
    const OpSchema* schema = builtin_ops().find(node.domain, node.op_type, opset);
    if (!schema || !schema->cost) continue;
    const OpCost cost = cost_node(*schema, graph, node);
    c.macs += (cost.macs + cost.elementwise_macs) * node.repeats;
    c.flops += cost.flops * node.repeats;
  }
  return c;
}

std::string si(int64_t v) {
  if (v >= 1000000000) return std::to_string(v / 1000000) + "M";
  if (v >= 10000) return std::to_string(v / 1000) + "k";
  return std::to_string(v);
}

}  // namespace

void OnnxImporter::build() {
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
  import_nodes(g, execution_order(), 1, "");
  for (const auto& out : g.output()) {
    auto it = tensor_index_.find(out.name());
    if (it != tensor_index_.end()) graph_.outputs.push_back(it->second);
  }
  for (const std::string& note : notes_) graph_.notes.push_back(note);
  if (folded_constants_) {
    graph_.notes.push_back(
        std::to_string(folded_constants_) +
        " Constant nodes and views of constants read as parameters or metadata, not as layers");
  }
  check_views();
  graph_.validate();
}

void OnnxImporter::import_nodes(const onnx::GraphProto& g, const std::vector<int>& order,
                                int64_t repeats, const std::string& scope) {
  for (int i : order) import_node(g.node(i), i, repeats, scope);
}

void OnnxImporter::import_node(const onnx::NodeProto& n, int index, int64_t repeats,
                               const std::string& scope) {
  const bool default_domain = n.domain().empty() || n.domain() == "ai.onnx";
  if (n.op_type() == "Constant" && default_domain) {
    ++folded_constants_;
    return;
  }
  if (folds_to_constant(n)) {  // e.g. the exporter's Identity over a shared initializer
    for (const auto& out : n.output()) {
      TensorInfo t = infos_.count(out) ? infos_[out] : constants_[n.input(0)];
      if (!t.has_shape || t.elem_type == 0) t = constants_[n.input(0)];
      if (n.op_type() == "DequantizeLinear") t.elem_type = constants_[n.input(0)].elem_type;
      constants_[out] = t;
    }
    ++folded_constants_;
    return;
  }
  // Unnamed nodes of a subgraph take the path to it, to stay unique.
  const std::string name = n.name().empty() ? scope + node_name(n, index) : n.name();
  if (default_domain && n.op_type() == "If") return import_if(n, name, repeats, scope);
  if (default_domain && n.op_type() == "Loop") return import_loop(n, name, repeats, scope);
  if (default_domain && n.op_type() == "Scan") return import_scan(n, name, repeats, scope);
  const std::string label = "node '" + name + "' (" + n.op_type() + ")";
  Node node;
  node.name = name;
  node.domain = default_domain ? "" : n.domain();
  node.op_type = n.op_type();
  node.source = path_ + ": node " + std::to_string(index);
  node.repeats = repeats;
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
  // Which ONNX input each parameter came from, for cost functions that must
  // tell a bias from a scale (ops/contrib_ops.cc).
  std::vector<int64_t> param_inputs;
  for (int slot = 0; slot < n.input_size(); ++slot) {
    const std::string& in = n.input(slot);
    if (in.empty()) continue;
    auto c = constants_.find(in);
    if (c != constants_.end()) {
      if (!is_parameter(c->second, node.domain, node.op_type)) continue;
      param_inputs.push_back(slot);
      int idx = -1;
      auto it = tensor_index_.find(in);
      if (it != tensor_index_.end()) {
        idx = it->second;
      } else {
        Tensor t{.name = in, .shape = c->second.dims, .role = TensorRole::kWeight};
        t.type = to_data_type(c->second.elem_type, "initializer '" + in + "'");
        if (t.shape.empty()) t.shape = {1};
        element_count(t.shape);
        idx = graph_.add_tensor(std::move(t));
        tensor_index_[in] = idx;
      }
      node.weights.push_back(idx);
      continue;
    }
    node.inputs.push_back(activation(in, "input of " + label));
  }
  if (!param_inputs.empty()) node.attrs["reuselens.param_inputs"] = param_inputs;
  const bool known = builtin_ops().find(node.domain, node.op_type, opset_) != nullptr;
  for (const auto& out : n.output()) {
    if (out.empty()) continue;
    if (!known && (!infos_.count(out) || !infos_[out].is_static())) {
      // Reported as unsupported when the file gives its output shapes; with
      // none, nothing after it can be counted.
      fail(ErrorCode::kInvalidModel,
           label + (node.domain.empty() ? "" : " of domain '" + node.domain + "'") +
               " is an op reuselens does not know, and the file gives no shape for its output '" +
               out + "'");
    }
    node.outputs.push_back(activation(out, "output of " + label));
  }
  graph_.add_node(std::move(node));
}

// A state of the importer to come back to after trying a branch.
struct OnnxImporter::Checkpoint {
  size_t tensors, nodes, notes;
  std::map<std::string, int> tensor_index;
  std::map<std::string, TensorInfo> constants;
  int folded_constants;
};

OnnxImporter::Checkpoint OnnxImporter::checkpoint() const {
  return {graph_.tensors().size(), graph_.nodes().size(), notes_.size(), tensor_index_, constants_,
          folded_constants_};
}

void OnnxImporter::restore(const Checkpoint& c) {
  graph_.truncate(c.tensors, c.nodes);
  notes_.resize(c.notes);
  tensor_index_ = c.tensor_index;
  constants_ = c.constants;
  folded_constants_ = c.folded_constants;
}

void OnnxImporter::import_if(const onnx::NodeProto& n, const std::string& name, int64_t repeats,
                             const std::string& scope) {
  const onnx::AttributeProto* then_attr = find_attr(n, "then_branch");
  const onnx::AttributeProto* else_attr = find_attr(n, "else_branch");
  if (!then_attr || !else_attr || !then_attr->has_g() || !else_attr->has_g()) {
    fail(ErrorCode::kInvalidModel, "node '" + name + "' (If) lacks a branch");
  }
  const onnx::GraphProto* branches[2] = {&then_attr->g(), &else_attr->g()};
  const char* which[2] = {"then", "else"};
  const auto import_branch = [&](int b) {
    std::vector<int> order(branches[b]->node_size());
    for (int i = 0; i < branches[b]->node_size(); ++i) order[i] = i;
    import_nodes(*branches[b], order, repeats, scope + name + "/" + which[b] + "/");
  };
  int chosen = 0;
  const auto cond = constant_ints(n.input(0));
  if (cond && cond->size() == 1) {
    chosen = (*cond)[0] != 0 ? 0 : 1;
    notes_.push_back("node '" + name + "' (If): its condition is known, " +
                     ((*cond)[0] ? "true" : "false") + "; the " + which[chosen] +
                     " branch is counted");
  } else {
    // Undecided: count the costlier branch, and say so. A branch that
    // cannot be shaped for these inputs (written for another sample rate,
    // say) is not the one that runs.
    const Checkpoint before = checkpoint();
    std::optional<Cost> costs[2];
    std::optional<Error> errors[2];
    for (int b = 0; b < 2; ++b) {
      try {
        import_branch(b);
        costs[b] = cost_of_nodes(graph_, before.nodes, opset_);
      } catch (const Error& e) {
        errors[b] = e;
      }
      restore(before);
    }
    if (!costs[0] && !costs[1]) throw *errors[0];
    chosen = !costs[0] || (costs[1] && *costs[0] < *costs[1]) ? 1 : 0;
    std::string why = "counted the " + std::string(which[chosen]) + " branch";
    if (costs[0] && costs[1]) {
      why += " (the costlier: " + si(costs[chosen]->macs) + " MACs against " +
             si(costs[1 - chosen]->macs) + ")";
    } else {
      why +=
          " (the " + std::string(which[1 - chosen]) + " branch cannot be shaped for these inputs)";
    }
    notes_.push_back("node '" + name + "' (If): its condition depends on input values; " + why +
                     "; --value NAME=V decides it");
  }
  import_branch(chosen);
  std::vector<std::string> results;
  for (int i = 0; i < branches[chosen]->output_size(); ++i) {
    const std::string& result = branches[chosen]->output(i).name();
    results.push_back(result);
    if (i < n.output_size() && !infos_[n.output(i)].is_static() && infos_.count(result)) {
      infos_[n.output(i)] = infos_[result];
    }
    if (i < n.output_size() && constants_.count(result))
      constants_[n.output(i)] = constants_[result];
  }
  add_control_node(n, name, results, repeats);
}

void OnnxImporter::import_loop(const onnx::NodeProto& n, const std::string& name, int64_t repeats,
                               const std::string& scope) {
  const onnx::AttributeProto* body_attr = find_attr(n, "body");
  if (!body_attr || !body_attr->has_g()) {
    fail(ErrorCode::kInvalidModel, "node '" + name + "' (Loop) has no body");
  }
  const onnx::GraphProto& body = body_attr->g();
  std::optional<int64_t> trip;
  if (n.input_size() > 0 && !n.input(0).empty()) {
    if (auto v = constant_ints(n.input(0)); v && v->size() == 1) trip = (*v)[0];
  }
  for (const std::string& key : {name, std::string()}) {
    auto it = options_.trip_counts.find(key);
    if (it != options_.trip_counts.end() && (!trip || !key.empty())) {
      trip = it->second;
      break;
    }
  }
  if (!trip) {
    fail(ErrorCode::kInvalidModel, "node '" + name +
                                       "' (Loop): its trip count depends on input values; give "
                                       "--trip-count " +
                                       name + "=N (or --trip-count N for every such loop)");
  }
  notes_.push_back("node '" + name + "' (Loop): its body counted " + std::to_string(*trip) +
                   " times (the trip count; its condition may end it sooner)");
  // Body inputs: the iteration number, the condition, the carried values.
  for (int i = 0; i < body.input_size(); ++i) {
    const std::string& in = body.input(i).name();
    TensorInfo info = infos_.count(in) ? infos_[in] : info_of(body.input(i));
    if (!info.is_static() && i >= 2 && i < n.input_size() && infos_.count(n.input(i))) {
      info = infos_[n.input(i)];
    }
    if (i < 2) info = TensorInfo{{}, onnx::TensorProto_DataType_INT64, true};
    bind(in, info);
  }
  std::vector<int> order(body.node_size());
  for (int i = 0; i < body.node_size(); ++i) order[i] = i;
  import_nodes(body, order, checked_mul(repeats, *trip, "loop runs"), scope + name + "/body/");
  // Body outputs: the condition, the carried values, the scan outputs (stacked).
  std::vector<std::string> results;
  const int carried = n.input_size() - 2;
  for (int i = 1; i < body.output_size(); ++i) {
    const std::string& result = body.output(i).name();
    results.push_back(result);
    const int out = i - 1;
    if (out >= n.output_size() || infos_[n.output(out)].is_static()) continue;
    TensorInfo info = infos_[result];
    if (out >= carried && info.is_static()) info.dims.insert(info.dims.begin(), *trip);
    infos_[n.output(out)] = info;
  }
  add_control_node(n, name, results, repeats);
}

void OnnxImporter::import_scan(const onnx::NodeProto& n, const std::string& name, int64_t repeats,
                               const std::string& scope) {
  const onnx::AttributeProto* body_attr = find_attr(n, "body");
  const onnx::AttributeProto* scans_attr = find_attr(n, "num_scan_inputs");
  if (!body_attr || !body_attr->has_g() || !scans_attr) {
    fail(ErrorCode::kInvalidModel, "node '" + name + "' (Scan) lacks body or num_scan_inputs");
  }
  const onnx::GraphProto& body = body_attr->g();
  const int scans = static_cast<int>(scans_attr->i());
  const int states = n.input_size() - scans;
  if (scans < 1 || states < 0 || body.input_size() != n.input_size()) {
    fail(ErrorCode::kInvalidModel, "node '" + name + "' (Scan): inputs and body do not match");
  }
  std::vector<int64_t> in_axes(scans, 0), out_axes;
  if (const auto* a = find_attr(n, "scan_input_axes"))
    in_axes.assign(a->ints().begin(), a->ints().end());
  if (const auto* a = find_attr(n, "scan_output_axes"))
    out_axes.assign(a->ints().begin(), a->ints().end());
  const std::vector<int64_t> first =
      static_shape(n.input(states), "scan input of node '" + name + "'");
  int64_t axis = in_axes.empty() ? 0 : in_axes[0];
  if (axis < 0) axis += static_cast<int64_t>(first.size());
  if (axis < 0 || axis >= static_cast<int64_t>(first.size())) {
    fail(ErrorCode::kInvalidModel, "node '" + name + "' (Scan): scan axis out of range");
  }
  const int64_t trip = first[axis];
  notes_.push_back("node '" + name + "' (Scan): its body counted " + std::to_string(trip) +
                   " times (the scan length)");
  for (int i = 0; i < body.input_size(); ++i) {
    TensorInfo info = infos_.count(n.input(i)) ? infos_[n.input(i)] : TensorInfo{};
    if (i >= states && info.is_static()) {
      int64_t a = i - states < static_cast<int>(in_axes.size()) ? in_axes[i - states] : 0;
      if (a < 0) a += static_cast<int64_t>(info.dims.size());
      info.dims.erase(info.dims.begin() + a);
    }
    const std::string& in = body.input(i).name();
    if (infos_.count(in) && infos_[in].is_static()) info = infos_[in];
    bind(in, info);
  }
  std::vector<int> order(body.node_size());
  for (int i = 0; i < body.node_size(); ++i) order[i] = i;
  import_nodes(body, order, checked_mul(repeats, trip, "scan runs"), scope + name + "/body/");
  std::vector<std::string> results;
  for (int i = 0; i < body.output_size(); ++i) {
    const std::string& result = body.output(i).name();
    results.push_back(result);
    if (i >= n.output_size() || infos_[n.output(i)].is_static()) continue;
    TensorInfo info = infos_[result];
    if (i >= states && info.is_static()) {
      int64_t a = i - states < static_cast<int>(out_axes.size()) ? out_axes[i - states] : 0;
      if (a < 0) a += static_cast<int64_t>(info.dims.size()) + 1;
      info.dims.insert(info.dims.begin() + a, trip);
    }
    infos_[n.output(i)] = info;
  }
  add_control_node(n, name, results, repeats);
}

void OnnxImporter::add_control_node(const onnx::NodeProto& n, const std::string& name,
                                    const std::vector<std::string>& body_outputs, int64_t repeats) {
  Node node;
  node.name = name;
  node.op_type = n.op_type();
  node.source = path_ + ": " + n.op_type() + " '" + name + "'";
  node.repeats = repeats;
  const std::string label = "node '" + name + "' (" + n.op_type() + ")";
  for (const std::string& result : body_outputs) {
    if (result.empty() || constants_.count(result)) continue;
    node.inputs.push_back(activation(result, "result of the body of " + label));
  }
  for (const auto& out : n.output()) {
    if (out.empty() || constants_.count(out)) continue;
    node.outputs.push_back(activation(out, "output of " + label));
  }
  if (node.outputs.empty()) {  // every result a constant
    ++folded_constants_;
    return;
  }
  graph_.add_node(std::move(node));
}

void OnnxImporter::bind(const std::string& name, const TensorInfo& info) {
  int64_t elements = 1;
  for (int64_t d : info.dims) elements *= d;
  const bool scalar = info.is_static() && elements == 1;
  if (scalar && (info.elem_type == onnx::TensorProto_DataType_INT64 ||
                 info.elem_type == onnx::TensorProto_DataType_INT32 ||
                 info.elem_type == onnx::TensorProto_DataType_BOOL)) {
    constants_[name] = info;  // an iteration number or condition: metadata
    return;
  }
  if (!info.is_static()) {
    fail(ErrorCode::kInvalidModel, "body input '" + name + "' has no static shape");
  }
  Tensor t{.name = name, .shape = info.dims, .role = TensorRole::kBound};
  t.type = to_data_type(info.elem_type ? info.elem_type : onnx::TensorProto_DataType_FLOAT,
                        "body input '" + name + "'");
  element_count(t.shape);
  tensor_index_[name] = graph_.add_tensor(std::move(t));
}

// Kahn's algorithm over tensor names, keeping the file's order where it is
// already valid; names nobody produces and cycles are errors. Subgraphs may
// read the outer graph's values: they count as inputs of their If/Loop/Scan.
std::vector<int> OnnxImporter::execution_order() const {
  const auto& nodes = model_.graph().node();
  std::set<std::string> available;
  for (const auto& v : model_.graph().input()) available.insert(v.name());
  for (const auto& [name, t] : constants_) available.insert(name);
  std::vector<std::vector<std::string>> reads(nodes.size());
  std::map<std::string, int> producer;
  for (int i = 0; i < nodes.size(); ++i) {
    for (const auto& o : nodes[i].output()) {
      if (!o.empty()) producer[o] = i;
    }
  }
  for (int i = 0; i < nodes.size(); ++i) {
    std::set<std::string> local;  // names defined inside the node's subgraphs
    for (const auto& a : nodes[i].attribute()) {
      if (!a.has_g()) continue;
      for_each_graph(a.g(), [&](const onnx::GraphProto& g) {
        for (const auto& v : g.input()) local.insert(v.name());
        for (const auto& init : g.initializer()) local.insert(init.name());
        for (const auto& sn : g.node()) {
          for (const auto& o : sn.output()) local.insert(o);
        }
      });
      for_each_graph(a.g(), [&](const onnx::GraphProto& g) {
        for (const auto& sn : g.node()) {
          for (const auto& in : sn.input()) {
            if (!in.empty() && !local.count(in)) reads[i].push_back(in);
          }
        }
        for (const auto& out : g.output()) {
          if (!local.count(out.name())) reads[i].push_back(out.name());
        }
      });
    }
    for (const auto& in : nodes[i].input()) {
      if (!in.empty()) reads[i].push_back(in);
    }
    for (const auto& in : reads[i]) {
      if (!available.count(in) && !producer.count(in)) {
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
      for (const auto& in : reads[i]) ready &= available.count(in) > 0;
      if (!ready) continue;
      done[i] = true;
      progress = true;
      order.push_back(i);
      for (const auto& o : nodes[i].output()) available.insert(o);
    }
  }
  if (order.size() < static_cast<size_t>(nodes.size())) {
    for (int i = 0; i < nodes.size(); ++i) {
      if (!done[i]) {
        fail(ErrorCode::kInvalidModel, "the graph has a cycle through " + node_label(nodes[i], i));
      }
    }
  }
  return order;
}

std::vector<int64_t> OnnxImporter::static_shape(const std::string& name, const std::string& where) {
  auto it = infos_.find(name);
  if (it == infos_.end() || !it->second.is_static()) {
    if (const auto why = registry_failures_.find(name); why != registry_failures_.end()) {
      fail(ErrorCode::kInvalidModel,
           "tensor '" + name + "' (" + where + ") has no shape: " + why->second);
    }
    fail(ErrorCode::kInvalidModel, "tensor '" + name + "' (" + where +
                                       ") has no static shape after shape inference; give the "
                                       "inputs' shapes with --input, --dim or --batch");
  }
  try {
    element_count(it->second.dims);
  } catch (const Error& e) {
    throw e.with_context(path_ + ": tensor '" + name + "' (" + where + ")");
  }
  return it->second.dims;
}

int OnnxImporter::activation(const std::string& name, const std::string& where) {
  auto it = tensor_index_.find(name);
  if (it != tensor_index_.end()) return it->second;
  Tensor t{.name = name, .shape = static_shape(name, where)};
  t.type = to_data_type(
      infos_[name].elem_type ? infos_[name].elem_type : onnx::TensorProto_DataType_FLOAT,
      "tensor '" + name + "'");
  const int index = graph_.add_tensor(std::move(t));
  tensor_index_[name] = index;
  return index;
}

// Constants that are parameters: multi-element floating-point tensors (an
// embedding table, a class token, a bias), and anything a MAC or
// normalisation op consumes (quantized weights are integers). Scalars,
// integer shapes, axes and indices, and Resize's scales are metadata.
bool OnnxImporter::is_parameter(const TensorInfo& c, const std::string& domain,
                                const std::string& op_type) {
  const OpSchema* schema = builtin_ops().find(domain, op_type, opset_);
  const DataType type = to_data_type(c.elem_type, "constant");
  int64_t n = 1;
  for (int64_t d : c.dims) n *= d;
  // Integer scalars (a sequence length, a zero point) are metadata even there.
  if (schema && (is_mac_layer(schema->kind) || schema->kind == OpKind::kNormalization ||
                 schema->kind == OpKind::kRecurrent)) {
    return is_float_type(type) || n > 1;
  }
  if (op_type == "Resize" || op_type == "Upsample") return false;
  return is_float_type(type) && n > 1;
}

// A view or copy of constants is itself a constant (a weight read through
// Identity, a transposed or reshaped weight), not a layer. So is a
// dequantized constant (QDQ models: DequantizeLinear over int8 or int4
// weights), stored at its quantized type.
bool OnnxImporter::folds_to_constant(const onnx::NodeProto& n) const {
  static const std::set<std::string> views = {
      "Identity",  "Cast",    "Reshape",         "Transpose",       "Squeeze",
      "Unsqueeze", "Flatten", "ConstantOfShape", "DequantizeLinear"};
  if (!(n.domain().empty() || n.domain() == "ai.onnx") || !views.count(n.op_type()) ||
      n.input_size() == 0) {
    return false;
  }
  for (const auto& in : n.input()) {
    if (!in.empty() && !constants_.count(in)) return false;
  }
  return true;
}

std::optional<std::vector<int64_t>> OnnxImporter::constant_ints(const std::string& name) const {
  std::optional<std::vector<int64_t>> found;
  for_each_graph(model_.graph(), [&](const onnx::GraphProto& g) {
    if (found) return;
    for (const auto& init : g.initializer()) {
      if (init.name() == name) {
        found = int_values(init);
        return;
      }
    }
    for (const auto& n : g.node()) {
      if (n.op_type() != "Constant" || n.output_size() != 1 || n.output(0) != name) continue;
      if (const auto* a = find_attr(n, "value"); a && a->has_t()) found = int_values(a->t());
      if (const auto* a = find_attr(n, "value_int")) found = std::vector<int64_t>{a->i()};
      return;
    }
  });
  return found;
}

// Ops that only re-view their data must keep the element count. Shape
// inference does not check it, and an export traced at one input size can
// carry fixed target shapes (Reshape to 1x64x128) that another size breaks:
// such a model cannot take the shape, and counting it would be wrong.
void OnnxImporter::check_views() const {
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

}  // namespace reuselens::onnx_import
