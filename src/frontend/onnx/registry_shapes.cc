// Shapes libonnx 1.12 leaves open, from the cost registry's own shape
// functions: ops it has no schema for (com.microsoft's fused and quantized
// ops, ops newer than opset 17), nodes lowering.cc set aside, and anything
// its inference gave up on. Each shape found goes into the graph's
// value_info, so that the next libonnx pass carries it downstream.
#include "frontend/onnx/importer.h"
#include "reuselens/error.h"
#include "reuselens/ops.h"

namespace reuselens::onnx_import {

namespace {

void add_value_info(onnx::GraphProto& g, const std::string& name, int elem_type,
                    const std::vector<int64_t>& dims) {
  for (auto& v : *g.mutable_value_info()) {
    if (v.name() != name) continue;
    auto* shape = v.mutable_type()->mutable_tensor_type()->mutable_shape();
    shape->clear_dim();
    for (int64_t d : dims) shape->add_dim()->set_dim_value(d);
    return;
  }
  auto* v = g.add_value_info();
  v->set_name(name);
  auto* tt = v->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(elem_type);
  auto* shape = tt->mutable_shape();
  for (int64_t d : dims) shape->add_dim()->set_dim_value(d);
}

}  // namespace

int OnnxImporter::complete_shapes_with_registry() {
  int shaped = 0;
  for_each_graph(*model_.mutable_graph(), [&](onnx::GraphProto& g) {
    for (int index = 0; index < g.node_size(); ++index) {
      const onnx::NodeProto& n = g.node(index);
      bool open = false;
      for (const auto& out : n.output()) {
        if (!out.empty() && !constants_.count(out) &&
            (!infos_.count(out) || !infos_[out].is_static())) {
          open = true;
        }
      }
      if (!open) continue;
      const std::string domain =
          n.domain() == kDeferredDomain || n.domain() == "ai.onnx" ? "" : n.domain();
      if (domain.empty() && (n.op_type() == "If" || n.op_type() == "Loop" ||
                             n.op_type() == "Scan" || n.op_type() == "Constant")) {
        continue;
      }
      const OpSchema* schema = builtin_ops().find(domain, n.op_type(), opset_);
      if (!schema || !schema->infer) continue;
      // The node as build.cc will make it: attributes, activation inputs,
      // parameters; every input must have a static shape.
      Node node;
      node.name = node_name(n, index);
      node.domain = domain;
      node.op_type = n.op_type();
      for (const auto& a : n.attribute()) {
        if (a.type() == onnx::AttributeProto_AttributeType_INT)
          node.attrs[a.name()] = static_cast<int64_t>(a.i());
        if (a.type() == onnx::AttributeProto_AttributeType_FLOAT)
          node.attrs[a.name()] = static_cast<double>(a.f());
        if (a.type() == onnx::AttributeProto_AttributeType_STRING) node.attrs[a.name()] = a.s();
        if (a.type() == onnx::AttributeProto_AttributeType_INTS) {
          node.attrs[a.name()] = std::vector<int64_t>(a.ints().begin(), a.ints().end());
        }
      }
      std::vector<std::vector<int64_t>> input_shapes, param_shapes;
      int elem_type = 0;
      bool ready = true;
      std::vector<int64_t> param_inputs;
      for (int slot = 0; slot < n.input_size(); ++slot) {
        const std::string& in = n.input(slot);
        if (in.empty()) continue;
        auto c = constants_.find(in);
        if (c != constants_.end()) {
          if (is_parameter(c->second, domain, n.op_type())) {
            param_shapes.push_back(c->second.dims);
            param_inputs.push_back(slot);
          } else if (auto values = constant_ints(in)) {
            // Shape functions of ops whose shape depends on an integer input
            // (Pad's pads, Reduce's axes) read it here.
            node.attrs["reuselens.input" + std::to_string(slot)] = *values;
          }
          continue;
        }
        auto it = infos_.find(in);
        if (it == infos_.end() || !it->second.is_static()) {
          ready = false;
          break;
        }
        input_shapes.push_back(it->second.dims);
        if (!elem_type) elem_type = it->second.elem_type;
      }
      if (!ready) continue;
      if (!param_inputs.empty()) node.attrs["reuselens.param_inputs"] = param_inputs;
      OpContext ctx{node, {}, {}, {}};
      for (const auto& s : input_shapes) ctx.inputs.push_back(&s);
      for (const auto& s : param_shapes) ctx.params.push_back(&s);
      std::vector<std::vector<int64_t>> shapes;
      try {
        if (static_cast<int>(ctx.inputs.size()) < schema->min_inputs) continue;
        shapes = schema->infer(ctx);
      } catch (const Error& e) {
        // Left open: the error names the tensor, and this reason, when it is needed.
        for (const auto& out : n.output()) registry_failures_[out] = e.message();
        continue;
      }
      int outputs = 0;
      for (int i = 0; i < n.output_size() && i < static_cast<int>(shapes.size()); ++i) {
        const std::string& out = n.output(i);
        if (out.empty() || (infos_.count(out) && infos_[out].is_static())) continue;
        const int type = infos_.count(out) && infos_[out].elem_type ? infos_[out].elem_type
                         : elem_type                                ? elem_type
                                     : onnx::TensorProto_DataType_FLOAT;
        add_value_info(g, out, type, shapes[i]);
        infos_[out] = TensorInfo{shapes[i], type, true};
        ++outputs;
      }
      if (outputs) {
        registry_shaped_.insert(node.name);
        shaped += outputs;
      }
    }
  });
  return shaped;
}

}  // namespace reuselens::onnx_import
