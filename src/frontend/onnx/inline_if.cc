// If nodes decided while shaping: once the folding knows a condition (a
// shape test, a --value), the taken branch replaces the If in the model, so
// that libonnx shapes everything after it (it cannot merge two branches
// that produce different shapes). An If whose condition depends on input
// values and whose outputs libonnx cannot shape is replaced by the branch
// with more compute (MAC ops, then nodes), and the note says so; an If it
// can shape stays, and build.cc counts its costlier branch exactly.
#include <algorithm>
#include <functional>

#include "frontend/onnx/importer.h"

namespace reuselens::onnx_import {

namespace {

// Compute nodes and all nodes of a branch, nested graphs included.
std::pair<int, int> weight_of(const onnx::GraphProto& g) {
  static const std::set<std::string> compute = {
      "Conv", "ConvTranspose", "MatMul",      "Gemm",        "LSTM",         "GRU",
      "RNN",  "Einsum",        "QLinearConv", "ConvInteger", "MatMulInteger"};
  std::pair<int, int> w{0, 0};
  for_each_graph(g, [&w](const onnx::GraphProto& sub) {
    for (const auto& n : sub.node()) {
      w.first += compute.count(n.op_type()) ? 1 : 0;
      ++w.second;
    }
  });
  return w;
}

void rename_uses(onnx::GraphProto& g, const std::string& from, const std::string& to) {
  for_each_graph(g, [&](onnx::GraphProto& sub) {
    for (auto& n : *sub.mutable_node()) {
      for (auto& in : *n.mutable_input()) {
        if (in == from) in = to;
      }
    }
    for (auto& out : *sub.mutable_output()) {
      if (out.name() == from) out.set_name(to);
    }
  });
}

}  // namespace

int OnnxImporter::inline_ifs(bool undecided) {
  int inlined = 0;
  // Outer graphs first: inlining an outer If can decide the ones inside.
  // An undecided If is a last resort, taken one at a time.
  std::function<void(onnx::GraphProto&)> visit = [&](onnx::GraphProto& g) {
    for (int i = 0; i < g.node_size(); ++i) {
      if (undecided && inlined) return;
      onnx::NodeProto& n = *g.mutable_node(i);
      if (!(n.domain().empty() || n.domain() == "ai.onnx") || n.op_type() != "If") continue;
      const auto* then_attr = find_attr(n, "then_branch");
      const auto* else_attr = find_attr(n, "else_branch");
      if (!then_attr || !else_attr) continue;
      const std::string name = n.name().empty() ? "If#" + std::to_string(i) : n.name();
      const auto cond = constant_ints(n.input(0));
      int chosen = -1;
      if (cond && cond->size() == 1 && !undecided) {
        chosen = (*cond)[0] != 0 ? 0 : 1;
        notes_.push_back("node '" + name + "' (If): its condition is known, " +
                         ((*cond)[0] ? "true" : "false") + "; the " +
                         (chosen == 0 ? "then" : "else") + " branch is counted");
      } else if (!undecided || (cond && cond->size() == 1)) {
        continue;
      } else {
        bool open = false;
        for (const auto& out : n.output()) open |= !infos_.count(out) || !infos_[out].is_static();
        if (!open) continue;
        const auto t = weight_of(then_attr->g()), e = weight_of(else_attr->g());
        chosen = t >= e ? 0 : 1;
        std::string why = "more compute: " + std::to_string(chosen == 0 ? t.first : e.first) +
                          " MAC ops against " + std::to_string(chosen == 0 ? e.first : t.first);
        // A branch that could not be shaped for these inputs on an earlier
        // attempt (run() retries) is not the one that runs.
        if (rejected_branches_.count(name)) {
          chosen = 1 - rejected_branches_.at(name);
          why = "the other cannot be shaped for these inputs";
        }
        undecided_choices_.emplace_back(name, chosen);
        notes_.push_back("node '" + name +
                         "' (If): its condition depends on input values and its branches give "
                         "different shapes; counted the " +
                         (chosen == 0 ? "then" : "else") + " branch (" + why +
                         "); --value NAME=V decides it");
      }
      const onnx::GraphProto branch = (chosen == 0 ? then_attr : else_attr)->g();
      std::vector<std::string> outputs(n.output().begin(), n.output().end());
      std::set<std::string> graph_outputs;
      for (const auto& o : g.output()) graph_outputs.insert(o.name());
      std::vector<onnx::NodeProto> replacement(branch.node().begin(), branch.node().end());
      // Sibling branches may reuse names: the branch's own shapes replace
      // whatever the graph held under them.
      std::set<std::string> defined(outputs.begin(), outputs.end());
      for (const auto& node : branch.node())
        defined.insert(node.output().begin(), node.output().end());
      for (const auto& v : branch.value_info()) defined.insert(v.name());
      auto* infos = g.mutable_value_info();
      infos->erase(std::remove_if(
                       infos->begin(), infos->end(),
                       [&](const onnx::ValueInfoProto& v) { return defined.count(v.name()) > 0; }),
                   infos->end());
      for (const std::string& d : defined) infos_.erase(d);
      for (const auto& init : branch.initializer()) *g.add_initializer() = init;
      for (const auto& v : branch.value_info()) *g.add_value_info() = v;
      std::vector<std::pair<std::string, std::string>> renames;
      for (int k = 0; k < branch.output_size() && k < static_cast<int>(outputs.size()); ++k) {
        const std::string& result = branch.output(k).name();
        if (outputs[k].empty()) continue;
        if (graph_outputs.count(outputs[k])) {  // keep the graph's output name
          onnx::NodeProto id;
          id.set_op_type("Identity");
          id.set_name(name + "/result" + std::to_string(k));
          id.add_input(result);
          id.add_output(outputs[k]);
          replacement.push_back(id);
        } else {
          renames.emplace_back(outputs[k], result);
        }
      }
      std::vector<onnx::NodeProto> all(g.node().begin(), g.node().end());
      all.erase(all.begin() + i);
      all.insert(all.begin() + i, replacement.begin(), replacement.end());
      g.clear_node();
      for (auto& node : all) *g.add_node() = std::move(node);
      for (const auto& [from, to] : renames) rename_uses(g, from, to);
      // The declared output shapes were written for whatever branch the
      // exporter traced; the branch counted decides them now.
      for (auto& out : *g.mutable_output()) {
        out.mutable_type()->mutable_tensor_type()->clear_shape();
        infos_.erase(out.name());
      }
      i += static_cast<int>(replacement.size()) - 1;
      ++inlined;
    }
    for (auto& n : *g.mutable_node()) {
      for (auto& a : *n.mutable_attribute()) {
        if (a.has_g()) visit(*a.mutable_g());
      }
    }
  };
  visit(*model_.mutable_graph());
  return inlined;
}

}  // namespace reuselens::onnx_import
