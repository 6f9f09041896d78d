#include "reuselens/builder.h"

#include "reuselens/error.h"
#include "reuselens/ops.h"

namespace reuselens {

GraphBuilder::GraphBuilder(std::string model_name, std::vector<int64_t> input_shape) {
  graph_.name = std::move(model_name);
  graph_.reserve(4096, 2048);  // the zoo's largest network has ~2,000 tensors
  element_count(input_shape);  // validates the dims
  Tensor data{.name = "data", .shape = std::move(input_shape)};
  input_.index = graph_.add_tensor(std::move(data));
  graph_.inputs.push_back(input_.index);
}

std::vector<int64_t> GraphBuilder::shape(Ref x) const { return graph_.tensor(x.index).shape; }

void GraphBuilder::scope(const std::string& prefix) {
  scope_ = prefix;
  for (scope_index_ = 0; scope_index_ < counters_.size(); ++scope_index_) {
    if (counters_[scope_index_].first == prefix) return;
  }
  counters_.emplace_back(prefix, BaseCounters{});
}

std::string GraphBuilder::next_name(const std::string& base, const std::string& given) {
  if (!given.empty()) return scope_ + given;
  BaseCounters& counters = counters_[scope_index_].second;
  int* count = nullptr;
  for (auto& [counted_base, n] : counters) {
    if (counted_base == base) count = &n;
  }
  if (!count) count = &counters.emplace_back(base, 0).second;
  const std::string number = std::to_string(++*count);
  std::string name;
  name.reserve(scope_.size() + base.size() + number.size());
  name.append(scope_).append(base).append(number);
  return name;
}

std::vector<Ref> GraphBuilder::add_node(const std::string& domain, const std::string& op_type,
                                        const std::vector<Ref>& inputs, Node node, bool in_place) {
  const Node& added = graph_.node(append_node(domain, op_type, inputs, std::move(node), in_place));
  std::vector<Ref> outs;
  outs.reserve(added.outputs.size());
  for (int index : added.outputs) outs.push_back({index});
  return outs;
}

Ref GraphBuilder::add_one(const std::string& domain, const std::string& op_type,
                          std::initializer_list<Ref> inputs, Node&& node, bool in_place) {
  const std::span<const Ref> refs(inputs.begin(), inputs.size());
  return {graph_.node(append_node(domain, op_type, refs, std::move(node), in_place)).outputs[0]};
}

int GraphBuilder::append_node(const std::string& domain, const std::string& op_type,
                              std::span<const Ref> inputs, Node&& node, bool in_place) {
  const OpSchema* schema = builtin_ops().find(domain, op_type);
  if (!schema)
    throw_error(ErrorCode::kInvalidModel, "builder: unknown op " + domain + "::" + op_type);
  node.domain = domain;
  node.op_type = op_type;
  node.inputs.reserve(inputs.size());
  for (Ref r : inputs) node.inputs.push_back(r.index);
  if (schema->params) {
    OpContext ctx{node, {}, {}, {}};
    for (int i : node.inputs) ctx.inputs.push_back(&graph_.tensor(i).shape);
    std::vector<ParamSpec> params = schema->params(ctx);
    node.weights.reserve(params.size());
    for (ParamSpec& p : params) {
      std::string name;
      name.reserve(node.name.size() + 1 + p.suffix.size());
      name.append(node.name).append(1, '/').append(p.suffix);
      node.weights.push_back(graph_.add_tensor(
          {.name = std::move(name), .shape = std::move(p.shape), .role = p.role}));
    }
  }
  auto shapes = infer_output_shapes(*schema, graph_, node);
  node.outputs.reserve(shapes.size());
  for (size_t i = 0; i < shapes.size(); ++i) {
    Tensor t{.name = i == 0 ? node.name : node.name + ":" + std::to_string(i),
             .shape = std::move(shapes[i])};
    if (in_place && i == 0) t.aliases = node.inputs.at(0);
    node.outputs.push_back(graph_.add_tensor(std::move(t)));
  }
  return graph_.add_node(std::move(node));
}

namespace {
Node named(std::string name) {
  Node n;
  n.name = std::move(name);
  return n;
}
}  // namespace

Ref GraphBuilder::conv(Ref x, int64_t out_channels, const ConvOptions& o) {
  Node n = named(next_name("conv", o.name));
  n.attrs.reserve(7);
  const int64_t kh = o.kernel_h ? o.kernel_h : o.kernel;
  const int64_t kw = o.kernel_w ? o.kernel_w : o.kernel;
  const int64_t ph = o.pad_h >= 0 ? o.pad_h : o.pad;
  const int64_t pw = o.pad_w >= 0 ? o.pad_w : o.pad;
  const int64_t sh = o.stride_h ? o.stride_h : o.stride;
  const int64_t sw = o.stride_w ? o.stride_w : o.stride;
  n.attrs["num_output"] = out_channels;
  n.attrs["kernel_shape"] = IntList{kh, kw};
  n.attrs["strides"] = IntList{sh, sw};
  n.attrs["pads"] = IntList{ph, pw, ph, pw};
  n.attrs["dilations"] = IntList{o.dilation, o.dilation};
  n.attrs["group"] = o.group;
  n.attrs["bias"] = int64_t{o.bias ? 1 : 0};
  return add_one("", "Conv", {x}, std::move(n));
}

Ref GraphBuilder::fc(Ref x, int64_t out_features, bool bias, const std::string& name) {
  Node n = named(next_name("fc", name));
  n.attrs["num_output"] = out_features;
  n.attrs["bias"] = int64_t{bias ? 1 : 0};
  n.attrs["transB"] = int64_t{1};  // weight stored (out, in), as Caffe and PyTorch
  return add_one("", "Gemm", {x}, std::move(n));
}

namespace {
Node pool_node(std::string name, const PoolOptions& o) {
  Node n = named(std::move(name));
  n.attrs["kernel_shape"] = IntList{o.kernel, o.kernel};
  n.attrs["strides"] = IntList{o.stride, o.stride};
  n.attrs["pads"] = IntList{o.pad, o.pad, o.pad, o.pad};
  n.attrs["ceil_mode"] = int64_t{o.ceil ? 1 : 0};
  return n;
}
}  // namespace

Ref GraphBuilder::max_pool(Ref x, const PoolOptions& o) {
  return add_one("", "MaxPool", {x}, pool_node(next_name("pool", o.name), o));
}

Ref GraphBuilder::avg_pool(Ref x, const PoolOptions& o) {
  return add_one("", "AveragePool", {x}, pool_node(next_name("pool", o.name), o));
}

Ref GraphBuilder::global_avg_pool(Ref x, const std::string& name) {
  return add_one("", "GlobalAveragePool", {x}, named(next_name("pool", name)));
}

Ref GraphBuilder::lrn(Ref x, int64_t local_size, const std::string& name) {
  Node n = named(next_name("norm", name));
  n.attrs["size"] = local_size;
  return add_one("", "LRN", {x}, std::move(n));
}

Ref GraphBuilder::relu(Ref x, const std::string& name, bool in_place) {
  return add_one("", "Relu", {x}, named(next_name("relu", name)), in_place);
}

Ref GraphBuilder::batch_norm(Ref x, const std::string& name, bool in_place) {
  return add_one("caffe", "BatchNorm", {x}, named(next_name("bn", name)), in_place);
}

Ref GraphBuilder::scale(Ref x, bool bias, const std::string& name) {
  Node n = named(next_name("scale", name));
  n.attrs["bias"] = int64_t{bias ? 1 : 0};
  return add_one("caffe", "Scale", {x}, std::move(n), true);
}

Ref GraphBuilder::dropout(Ref x, const std::string& name, bool in_place) {
  return add_one("", "Dropout", {x}, named(next_name("drop", name)), in_place);
}

Ref GraphBuilder::layer_norm(Ref x, const std::string& name) {
  return add_one("", "LayerNormalization", {x}, named(next_name("ln", name)));
}

Ref GraphBuilder::conv_bn(Ref x, int64_t out_channels, ConvOptions options, bool with_relu,
                          bool bn_in_place) {
  options.bias = false;
  x = conv(x, out_channels, options);
  x = scale(batch_norm(x, "", bn_in_place));
  return with_relu ? relu(x) : x;
}

Ref GraphBuilder::concat(const std::vector<Ref>& xs, const std::string& name) {
  return {graph_.node(append_node("", "Concat", xs, named(next_name("concat", name)))).outputs[0]};
}

Ref GraphBuilder::add(const std::vector<Ref>& xs, const std::string& name) {
  return {graph_.node(append_node("", "Add", xs, named(next_name("add", name)))).outputs[0]};
}

Ref GraphBuilder::softmax(Ref x, const std::string& name) {
  return add_one("", "Softmax", {x}, named(next_name("prob", name)));
}

Graph GraphBuilder::finish() {
  if (graph_.outputs.empty() && !graph_.nodes().empty()) {
    graph_.outputs = graph_.nodes().back().outputs.to_vector();
  }
  graph_.validate();
  return std::move(graph_);
}

}  // namespace reuselens
