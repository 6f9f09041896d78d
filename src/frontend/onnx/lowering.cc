// Models of opset 18 and later through libonnx 1.12, which knows opset 17:
// nodes whose op changed only in form since are rewritten to their opset-17
// form (Reduce*'s axes input back to an attribute, Split's num_outputs
// dropped, attributes that do not change shapes removed); nodes whose
// change does alter shapes, or that cannot be rewritten because an input is
// not a constant, are set aside for the registry's shape functions
// (importer.cc), so that libonnx never infers them by the old schema.
// Ops new since opset 17 are unknown to libonnx and go to the registry too.
#include <algorithm>
#include <map>

#include "frontend/onnx/importer.h"

namespace reuselens::onnx_import {

namespace {

bool is_reduce_with_axes_input(const std::string& op) {
  static const std::set<std::string> ops = {"ReduceL1",        "ReduceL2",   "ReduceLogSum",
                                            "ReduceLogSumExp", "ReduceMax",  "ReduceMean",
                                            "ReduceMin",       "ReduceProd", "ReduceSumSquare"};
  return ops.count(op) > 0;
}

void erase_attr(onnx::NodeProto& n, const std::string& name) {
  auto* attrs = n.mutable_attribute();
  attrs->erase(std::remove_if(attrs->begin(), attrs->end(),
                              [&](const onnx::AttributeProto& a) { return a.name() == name; }),
               attrs->end());
}

void set_ints(onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& values) {
  erase_attr(n, name);
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto_AttributeType_INTS);
  for (int64_t v : values) a->add_ints(v);
}

}  // namespace

void OnnxImporter::lower_newer_opset() {
  if (opset_ <= inference_opset_) return;
  std::map<std::string, int> lowered, deferred;
  for_each_graph(*model_.mutable_graph(), [&](onnx::GraphProto& g) {
    for (auto& n : *g.mutable_node()) {
      if (!n.domain().empty() && n.domain() != "ai.onnx") continue;
      const std::string op = n.op_type();
      bool defer = false, changed = false;
      if (is_reduce_with_axes_input(op)) {
        const auto* noop = find_attr(n, "noop_with_empty_axes");
        const bool noop_empty = noop && noop->i() != 0;
        if (n.input_size() > 1 && !n.input(1).empty()) {
          const auto axes = constant_ints(n.input(1));
          if (!axes || (axes->empty() && noop_empty)) {
            defer = true;
          } else {
            if (!axes->empty()) set_ints(n, "axes", *axes);
            n.mutable_input()->RemoveLast();
            changed = true;
          }
        } else if (noop_empty) {
          defer = true;  // no axes and no-op: an identity, which the registry shapes
        }
        if (!defer && noop) {
          erase_attr(n, "noop_with_empty_axes");
          changed = true;
        }
      } else if (op == "Split" && find_attr(n, "num_outputs")) {
        erase_attr(n, "num_outputs");  // opset 13 splits evenly over the outputs
        changed = true;
      } else if (op == "Pad" && n.input_size() > 3 && !n.input(3).empty()) {
        defer = true;  // pads for some axes only
      } else if (op == "Resize") {
        const auto* axes = find_attr(n, "axes");
        const auto* policy = find_attr(n, "keep_aspect_ratio_policy");
        if (axes || (policy && policy->s() != "stretch")) {
          defer = true;
        } else if (find_attr(n, "antialias") || policy) {
          erase_attr(n, "antialias");
          erase_attr(n, "keep_aspect_ratio_policy");
          changed = true;
        }
      } else if (op == "AveragePool" && find_attr(n, "dilations")) {
        const auto* d = find_attr(n, "dilations");
        if (std::all_of(d->ints().begin(), d->ints().end(), [](int64_t v) { return v == 1; })) {
          erase_attr(n, "dilations");
          changed = true;
        } else {
          defer = true;
        }
      } else if (op == "DFT" || op == "GroupNormalization") {
        defer = true;  // inputs and semantics changed after 17
      }
      for (const char* attr : {"saturate", "block_size", "output_dtype"}) {
        if ((op == "Cast" || op == "CastLike" || op == "QuantizeLinear" ||
             op == "DequantizeLinear") &&
            find_attr(n, attr)) {
          erase_attr(n, attr);
          changed = true;
        }
      }
      if (op == "ScatterElements" || op == "ScatterND") {
        const auto* r = find_attr(n, "reduction");
        if (r && (r->s() == "max" || r->s() == "min")) {
          erase_attr(n, "reduction");  // the reduction does not change the shape
          changed = true;
        }
      }
      if (defer) {
        n.set_domain(kDeferredDomain);
        ++deferred[op];
      } else if (changed) {
        ++lowered[op];
      }
    }
  });
  if (!deferred.empty()) {  // libonnx wants an import for every domain it meets
    auto* import = model_.add_opset_import();
    import->set_domain(kDeferredDomain);
    import->set_version(1);
  }
  std::string text;
  for (const auto& [op, count] : lowered) {
    text += (text.empty() ? "" : ", ") + op + " x" + std::to_string(count);
  }
  std::string set_aside;
  for (const auto& [op, count] : deferred) {
    set_aside += (set_aside.empty() ? "" : ", ") + op + " x" + std::to_string(count);
  }
  notes_.push_back("opset " + std::to_string(opset_) + " is newer than libonnx 1.12 knows (" +
                   std::to_string(inference_opset_) + "): shapes inferred with opset-" +
                   std::to_string(inference_opset_) + " schemas" +
                   (text.empty() ? ""
                                 : "; rewritten to their opset-" +
                                       std::to_string(inference_opset_) + " form: " + text) +
                   (set_aside.empty() ? "" : "; shaped by reuselens: " + set_aside) +
                   "; costs at opset " + std::to_string(opset_));
}

void OnnxImporter::restore_deferred() {
  for_each_graph(*model_.mutable_graph(), [](onnx::GraphProto& g) {
    for (auto& n : *g.mutable_node()) {
      if (n.domain() == kDeferredDomain) n.set_domain("");
    }
  });
  auto* imports = model_.mutable_opset_import();
  imports->erase(std::remove_if(imports->begin(), imports->end(),
                                [](const onnx::OperatorSetIdProto& o) {
                                  return o.domain() == kDeferredDomain;
                                }),
                 imports->end());
}

}  // namespace reuselens::onnx_import
