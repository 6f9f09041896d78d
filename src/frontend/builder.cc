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

std::string GraphBuilder::next_name(const std::string& base, const std::string& given) {
  if (!given.empty()) return scope_ + given;
  std::string name = scope_ + base;
  name += std::to_string(++counters_[name]);
  return name;
}

std::vector<Ref> GraphBuilder::add_node(const std::string& domain, const std::string& op_type,
                                        const std::vector<Ref>& inputs, Node node, bool in_place) {
  const OpSchema* schema = builtin_ops().find(domain, op_type);
  if (!schema)
    throw_error(ErrorCode::kInvalidModel, "builder: unknown op " + domain + "::" + op_type);
  node.domain = domain;
  node.op_type = op_type;
  for (Ref r : inputs) node.inputs.push_back(r.index);
  if (schema->params) {
    OpContext ctx{node, {}, {}, {}};
    for (int i : node.inputs) ctx.inputs.push_back(&graph_.tensor(i).shape);
    for (ParamSpec& p : schema->params(ctx)) {
      node.weights.push_back(graph_.add_tensor(
          {.name = node.name + "/" + p.suffix, .shape = std::move(p.shape), .role = p.role}));
    }
  }
  auto shapes = infer_output_shapes(*schema, graph_, node);
  std::vector<Ref> outs;
  for (size_t i = 0; i < shapes.size(); ++i) {
    Tensor t{.name = i == 0 ? node.name : node.name + ":" + std::to_string(i),
             .shape = std::move(shapes[i])};
    if (in_place && i == 0) t.aliases = node.inputs.at(0);
    const int index = graph_.add_tensor(std::move(t));
    node.outputs.push_back(index);
    outs.push_back({index});
  }
  graph_.add_node(std::move(node));
  return outs;
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
  n.attrs["kernel_shape"] = std::vector<int64_t>{kh, kw};
  n.attrs["strides"] = std::vector<int64_t>{sh, sw};
  n.attrs["pads"] = std::vector<int64_t>{ph, pw, ph, pw};
  n.attrs["dilations"] = std::vector<int64_t>{o.dilation, o.dilation};
  n.attrs["group"] = o.group;
  n.attrs["bias"] = int64_t{o.bias ? 1 : 0};
  return add_node("", "Conv", {x}, std::move(n))[0];
}

Ref GraphBuilder::fc(Ref x, int64_t out_features, bool bias, const std::string& name) {
  Node n = named(next_name("fc", name));
  n.attrs["num_output"] = out_features;
  n.attrs["bias"] = int64_t{bias ? 1 : 0};
  n.attrs["transB"] = int64_t{1};  // weight stored (out, in), as Caffe and PyTorch
  return add_node("", "Gemm", {x}, std::move(n))[0];
}

namespace {
Node pool_node(std::string name, const PoolOptions& o) {
  Node n = named(std::move(name));
  n.attrs["kernel_shape"] = std::vector<int64_t>{o.kernel, o.kernel};
  n.attrs["strides"] = std::vector<int64_t>{o.stride, o.stride};
  n.attrs["pads"] = std::vector<int64_t>{o.pad, o.pad, o.pad, o.pad};
  n.attrs["ceil_mode"] = int64_t{o.ceil ? 1 : 0};
  return n;
}
}  // namespace

Ref GraphBuilder::max_pool(Ref x, const PoolOptions& o) {
  return add_node("", "MaxPool", {x}, pool_node(next_name("pool", o.name), o))[0];
}

Ref GraphBuilder::avg_pool(Ref x, const PoolOptions& o) {
  return add_node("", "AveragePool", {x}, pool_node(next_name("pool", o.name), o))[0];
}

Ref GraphBuilder::global_avg_pool(Ref x, const std::string& name) {
  return add_node("", "GlobalAveragePool", {x}, named(next_name("pool", name)))[0];
}

Ref GraphBuilder::lrn(Ref x, int64_t local_size, const std::string& name) {
  Node n = named(next_name("norm", name));
  n.attrs["size"] = local_size;
  return add_node("", "LRN", {x}, std::move(n))[0];
}

Ref GraphBuilder::relu(Ref x, const std::string& name, bool in_place) {
  return add_node("", "Relu", {x}, named(next_name("relu", name)), in_place)[0];
}

Ref GraphBuilder::batch_norm(Ref x, const std::string& name, bool in_place) {
  return add_node("caffe", "BatchNorm", {x}, named(next_name("bn", name)), in_place)[0];
}

Ref GraphBuilder::scale(Ref x, bool bias, const std::string& name) {
  Node n = named(next_name("scale", name));
  n.attrs["bias"] = int64_t{bias ? 1 : 0};
  return add_node("caffe", "Scale", {x}, std::move(n), true)[0];
}

Ref GraphBuilder::dropout(Ref x, const std::string& name, bool in_place) {
  return add_node("", "Dropout", {x}, named(next_name("drop", name)), in_place)[0];
}

Ref GraphBuilder::layer_norm(Ref x, const std::string& name) {
  return add_node("", "LayerNormalization", {x}, named(next_name("ln", name)))[0];
}

Ref GraphBuilder::conv_bn(Ref x, int64_t out_channels, ConvOptions options, bool with_relu,
                          bool bn_in_place) {
  options.bias = false;
  x = conv(x, out_channels, options);
  x = scale(batch_norm(x, "", bn_in_place));
  return with_relu ? relu(x) : x;
}

Ref GraphBuilder::concat(const std::vector<Ref>& xs, const std::string& name) {
  return add_node("", "Concat", xs, named(next_name("concat", name)))[0];
}

Ref GraphBuilder::add(const std::vector<Ref>& xs, const std::string& name) {
  return add_node("", "Add", xs, named(next_name("add", name)))[0];
}

Ref GraphBuilder::softmax(Ref x, const std::string& name) {
  return add_node("", "Softmax", {x}, named(next_name("prob", name)))[0];
}

Graph GraphBuilder::finish() {
  if (graph_.outputs.empty() && !graph_.nodes().empty()) {
    graph_.outputs = graph_.nodes().back().outputs;
  }
  graph_.validate();
  return std::move(graph_);
}

}  // namespace reuselens
