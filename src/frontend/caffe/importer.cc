// Caffe prototxt (deploy or train_val, new `layer` and V1 `layers` syntax)
// to the graph IR, TEST phase.
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "frontend/caffe/prototxt.h"
#include "frontend/inputs.h"
#include "reuselens/error.h"
#include "reuselens/model.h"
#include "reuselens/ops.h"

namespace reuselens {
namespace {

using caffe::Field;
using caffe::Message;

// Canonical Caffe layer type from a new-style string or a V1 enum name.
std::string layer_type(const Field& type_field) {
  static const std::map<std::string, std::string> v1 = {{"CONVOLUTION", "Convolution"},
                                                        {"POOLING", "Pooling"},
                                                        {"RELU", "ReLU"},
                                                        {"INNER_PRODUCT", "InnerProduct"},
                                                        {"DROPOUT", "Dropout"},
                                                        {"SOFTMAX", "Softmax"},
                                                        {"SOFTMAX_LOSS", "SoftmaxWithLoss"},
                                                        {"ACCURACY", "Accuracy"},
                                                        {"DATA", "Data"},
                                                        {"LRN", "LRN"},
                                                        {"CONCAT", "Concat"},
                                                        {"ELTWISE", "Eltwise"},
                                                        {"SIGMOID", "Sigmoid"},
                                                        {"TANH", "TanH"},
                                                        {"FLATTEN", "Flatten"},
                                                        {"IMAGE_DATA", "ImageData"},
                                                        {"DUMMY_DATA", "DummyData"},
                                                        {"MEMORY_DATA", "MemoryData"},
                                                        {"HDF5_DATA", "HDF5Data"},
                                                        {"SPLIT", "Split"}};
  auto it = v1.find(type_field.scalar);
  return it == v1.end() ? type_field.scalar : it->second;
}

bool is_data_layer(const std::string& type) {
  std::string lower = type;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  return lower == "data" || lower == "input" || lower == "imagedata" || lower == "dummydata" ||
         lower == "memorydata" || lower == "hdf5data" || lower == "windowdata";
}

class Importer {
 public:
  Importer(const std::string& origin, const LoadOptions& options)
      : origin_(origin), options_(options) {}

  Graph run(const Message& net) {
    if (options_.batch < 0) {
      throw_error(ErrorCode::kUsage, "batch " + std::to_string(options_.batch) + " is not >= 1");
    }
    if (const Field* name = net.find("name")) graph_.name = name->scalar;
    if (graph_.name.empty()) graph_.name = std::filesystem::path(origin_).stem().string();
    graph_.source = origin_;
    declare_net_inputs(net);
    std::vector<const Field*> layers = net.all("layer");
    for (const Field* f : net.all("layers")) layers.push_back(f);
    std::sort(layers.begin(), layers.end(),
              [](const Field* a, const Field* b) { return a->line < b->line; });
    for (const Field* layer : layers) {
      if (!layer->message) fail(layer->line, "'" + layer->name + "' is not a block");
      import_layer(*layer->message, layer->line);
    }
    if (graph_.inputs.empty()) fail(1, "no input blob: add input/input_shape or a data layer");
    for (const auto& [name, shape] : options_.named_input_shapes) {
      if (!blobs_.count(name) || std::find(graph_.inputs.begin(), graph_.inputs.end(),
                                           blobs_.at(name)) == graph_.inputs.end()) {
        throw_error(ErrorCode::kUsage, "--input names '" + name + "', which is not an input of " +
                                           origin_ + " (its inputs: " + input_names() + ")");
      }
    }
    if (graph_.nodes().empty()) fail(1, "no layers");
    for (const auto& [op, count] : dropped_) {
      graph_.notes.push_back(op + " x" + std::to_string(count) +
                             " ignored: evaluation-only layer, not part of inference");
    }
    // Network outputs: tensors nobody reads.
    std::set<int> read;
    for (const Node& n : graph_.nodes()) read.insert(n.inputs.begin(), n.inputs.end());
    for (const auto& [name, index] : blobs_) {
      if (!read.count(index) && graph_.tensor(index).producer >= 0) graph_.outputs.push_back(index);
    }
    graph_.validate();
    return std::move(graph_);
  }

 private:
  [[noreturn]] void fail(int line, const std::string& what) const {
    throw_error(ErrorCode::kInvalidModel, origin_ + ":" + std::to_string(line) + ": " + what);
  }

  static constexpr long long kMaxField = 1LL << 31;

  int64_t to_int(const Field& f, const std::string& context) const {
    try {
      size_t used = 0;
      const long long v = std::stoll(f.scalar, &used);
      if (used != f.scalar.size()) throw std::invalid_argument(f.scalar);
      // Sizes, kernels, pads, strides and axes: no real network comes near
      // 2^31, and within it every shape product is checked.
      if (v < -kMaxField || v > kMaxField) {
        fail(f.line, context + "field '" + f.name + "' = " + f.scalar + " is not in [-2^31, 2^31]");
      }
      return v;
    } catch (const std::invalid_argument&) {
      fail(f.line, context + "field '" + f.name + "' is not an integer: '" + f.scalar + "'");
    } catch (const std::out_of_range&) {
      fail(f.line, context + "field '" + f.name + "' = " + f.scalar + " is not in [-2^31, 2^31]");
    }
  }

  int64_t int_field(const Message& m, const std::string& name, int64_t fallback,
                    const std::string& context) const {
    const Field* f = m.find(name);
    return f ? to_int(*f, context) : fallback;
  }

  bool bool_field(const Message& m, const std::string& name, bool fallback) const {
    const Field* f = m.find(name);
    return f ? f->scalar == "true" || f->scalar == "1" : fallback;
  }

  std::string input_names() const {
    std::string out;
    for (int i : graph_.inputs) out += (out.empty() ? "" : ", ") + graph_.tensor(i).name;
    return out;
  }

  // The model's shape for one input, with --input/--batch applied by the
  // shared rules (frontend/inputs.h). A Caffe file's N is a deployment
  // detail (10 for oversampled crops): it stays open, so the batch is 1
  // unless --batch says otherwise.
  void add_input(const std::string& name, std::vector<int64_t> dims, int line) {
    if (!options_.input_shape.empty() && !graph_.inputs.empty()) {
      throw_error(ErrorCode::kUsage, origin_ + " has several inputs (" + input_names() + ", " +
                                         name + "): name the one --input sets, e.g. --input " +
                                         name + "=SHAPE");
    }
    frontend::DeclaredInput declared{name, std::move(dims), {}};
    if (declared.dims.size() == 3) declared.dims.insert(declared.dims.begin(), 1);
    if (!declared.dims.empty()) {
      declared.dims[0] = -1;
      declared.dim_names.assign(declared.dims.size(), "");
      declared.dim_names[0] = "batch";
    }
    LoadOptions one = options_;
    one.named_input_shapes.clear();
    auto named = options_.named_input_shapes.find(name);
    if (named != options_.named_input_shapes.end()) one.named_input_shapes.insert(*named);
    frontend::InputResolver resolver(one, origin_ + ":" + std::to_string(line), {declared});
    const std::vector<int64_t> shape = resolver.resolve().front();
    if (shape.empty()) fail(line, "input '" + name + "' has no shape; pass --input");
    Tensor t{.name = name, .shape = std::move(shape)};
    const int index = graph_.add_tensor(std::move(t));
    graph_.inputs.push_back(index);
    blobs_[name] = index;
  }

  std::vector<int64_t> dims_of(const Message& shape) const {
    std::vector<int64_t> dims;
    for (const Field* d : shape.all("dim")) dims.push_back(to_int(*d, "input shape: "));
    return dims;
  }

  void declare_net_inputs(const Message& net) {
    const auto names = net.all("input");
    const auto input_dims = net.all("input_dim");
    const auto shapes = net.all("input_shape");
    for (size_t i = 0; i < names.size(); ++i) {
      std::vector<int64_t> dims;
      if (i < shapes.size() && shapes[i]->message) {
        dims = dims_of(*shapes[i]->message);
      } else {
        for (size_t d = 4 * i; d < 4 * i + 4 && d < input_dims.size(); ++d) {
          dims.push_back(to_int(*input_dims[d], "input_dim: "));
        }
      }
      add_input(names[i]->scalar, dims, names[i]->line);
    }
  }

  bool in_test_phase(const Message& layer) const {
    for (const Field* inc : layer.all("include")) {
      if (!inc->message) continue;
      const Field* phase = inc->message->find("phase");
      if (phase && phase->scalar != "TEST") return false;
    }
    for (const Field* exc : layer.all("exclude")) {
      if (!exc->message) continue;
      const Field* phase = exc->message->find("phase");
      if (phase && phase->scalar == "TEST") return false;
    }
    return true;
  }

  void import_data_layer(const Message& layer, const std::vector<const Field*>& tops, int line) {
    if (tops.empty()) fail(line, "data layer has no top");
    if (blobs_.count(tops[0]->scalar)) return;  // already declared (TRAIN/TEST twins)
    std::vector<int64_t> dims;
    if (const Field* ip = layer.find("input_param"); ip && ip->message) {
      if (const Field* shape = ip->message->find("shape"); shape && shape->message) {
        dims = dims_of(*shape->message);
      }
    }
    if (dims.empty()) {
      const Field* tp = layer.find("transform_param");
      const Field* crop = tp && tp->message ? tp->message->find("crop_size") : nullptr;
      if (crop) {
        const int64_t size = to_int(*crop, "transform_param: ");
        dims = {3, size, size};  // Caffe's image data layers feed 3-channel crops
      }
    }
    add_input(tops[0]->scalar, dims, line);
    for (size_t i = 1; i < tops.size(); ++i) labels_.insert(tops[i]->scalar);
  }

  const Message& param_block(const Message& layer, const std::string& name) const {
    static const Message empty;
    const Field* f = layer.find(name);
    return f && f->message ? *f->message : empty;
  }

  // Spatial parameter with _h/_w variants and a repeated plain form.
  std::pair<int64_t, int64_t> hw(const Message& p, const std::string& base, int64_t fallback,
                                 const std::string& ctx) const {
    int64_t h = fallback, w = fallback;
    const auto plain = p.all(base == "kernel" ? "kernel_size" : base);
    if (!plain.empty()) {
      h = to_int(*plain[0], ctx);
      w = plain.size() > 1 ? to_int(*plain[1], ctx) : h;
    }
    h = int_field(p, base + "_h", h, ctx);
    w = int_field(p, base + "_w", w, ctx);
    return {h, w};
  }

  void conv_attrs(Node& node, const Message& layer, const std::string& ctx) {
    const Message& p = param_block(layer, "convolution_param");
    const int64_t k = int_field(p, "num_output", 0, ctx);
    if (k <= 0) fail(node_line_, ctx + "num_output " + std::to_string(k) + " is not positive");
    const auto [kh, kw] = hw(p, "kernel", 0, ctx);
    if (kh <= 0 || kw <= 0) fail(node_line_, ctx + "kernel size must be positive");
    const auto [sh, sw] = hw(p, "stride", 1, ctx);
    const auto [ph, pw] = hw(p, "pad", 0, ctx);
    const auto dil = p.all("dilation");
    const int64_t d = dil.empty() ? 1 : to_int(*dil[0], ctx);
    node.attrs["num_output"] = k;
    node.attrs["kernel_shape"] = std::vector<int64_t>{kh, kw};
    node.attrs["strides"] = std::vector<int64_t>{sh, sw};
    node.attrs["pads"] = std::vector<int64_t>{ph, pw, ph, pw};
    node.attrs["dilations"] = std::vector<int64_t>{d, d};
    node.attrs["group"] = int_field(p, "group", 1, ctx);
    node.attrs["bias"] = int64_t{bool_field(p, "bias_term", true) ? 1 : 0};
  }

  void pool_attrs(Node& node, const Message& layer, const std::string& ctx) {
    const Message& p = param_block(layer, "pooling_param");
    const Field* pool = p.find("pool");
    const bool average = pool && (pool->scalar == "AVE" || pool->scalar == "1");
    if (pool && !average && pool->scalar != "MAX" && pool->scalar != "0") {
      fail(node_line_, ctx + "pooling method '" + pool->scalar + "' is not supported");
    }
    if (bool_field(p, "global_pooling", false)) {
      node.op_type = average ? "GlobalAveragePool" : "GlobalMaxPool";
      return;
    }
    node.op_type = average ? "AveragePool" : "MaxPool";
    const auto [kh, kw] = hw(p, "kernel", 0, ctx);
    if (kh <= 0 || kw <= 0) fail(node_line_, ctx + "kernel size must be positive");
    const auto [sh, sw] = hw(p, "stride", 1, ctx);
    const auto [ph, pw] = hw(p, "pad", 0, ctx);
    node.attrs["kernel_shape"] = std::vector<int64_t>{kh, kw};
    node.attrs["strides"] = std::vector<int64_t>{sh, sw};
    node.attrs["pads"] = std::vector<int64_t>{ph, pw, ph, pw};
    node.attrs["ceil_mode"] = int64_t{1};
    if (const Field* cm = p.find("ceil_mode"); cm && cm->scalar == "false") {
      graph_.notes.push_back(node.name +
                             ": 'ceil_mode: false' ignored (a fork's field, not BVLC "
                             "Caffe's; Caffe and Table 7 round pooling up)");
    }
  }

  // Fills op type and attributes; returns false for layers that are dropped.
  bool translate(Node& node, const std::string& type, const Message& layer,
                 const std::string& ctx) {
    if (type == "Convolution") {
      node.op_type = "Conv";
      conv_attrs(node, layer, ctx);
    } else if (type == "InnerProduct") {
      node.op_type = "Gemm";
      const Message& p = param_block(layer, "inner_product_param");
      const int64_t k = int_field(p, "num_output", 0, ctx);
      if (k <= 0) fail(node_line_, ctx + "num_output " + std::to_string(k) + " is not positive");
      node.attrs["num_output"] = k;
      node.attrs["bias"] = int64_t{bool_field(p, "bias_term", true) ? 1 : 0};
      node.attrs["transB"] = int64_t{1};  // Caffe stores the weight (out, in)
    } else if (type == "Pooling") {
      pool_attrs(node, layer, ctx);
    } else if (type == "ReLU") {
      node.op_type = "Relu";
    } else if (type == "Sigmoid") {
      node.op_type = "Sigmoid";
    } else if (type == "TanH") {
      node.op_type = "Tanh";
    } else if (type == "LRN") {
      node.op_type = "LRN";
      node.attrs["size"] = int_field(param_block(layer, "lrn_param"), "local_size", 5, ctx);
    } else if (type == "BatchNorm") {
      node.domain = "caffe";
      node.op_type = "BatchNorm";
    } else if (type == "Scale") {
      node.domain = "caffe";
      node.op_type = "Scale";
      node.attrs["bias"] =
          int64_t{bool_field(param_block(layer, "scale_param"), "bias_term", false) ? 1 : 0};
    } else if (type == "Concat") {
      node.op_type = "Concat";
      const Message& p = param_block(layer, "concat_param");
      node.attrs["axis"] = int_field(p, "axis", int_field(p, "concat_dim", 1, ctx), ctx);
    } else if (type == "Eltwise") {
      const Field* op = param_block(layer, "eltwise_param").find("operation");
      const std::string operation = op ? op->scalar : "SUM";
      if (operation == "SUM" || operation == "1")
        node.op_type = "Add";
      else if (operation == "PROD" || operation == "0")
        node.op_type = "Mul";
      else if (operation == "MAX" || operation == "2")
        node.op_type = "Max";
      else
        fail(node_line_, ctx + "eltwise operation '" + operation + "' is not supported");
    } else if (type == "Dropout") {
      node.op_type = "Dropout";
    } else if (type == "Flatten") {
      node.op_type = "Flatten";
    } else if (type == "Softmax") {
      node.op_type = "Softmax";
    } else if (type == "SoftmaxWithLoss") {
      node.op_type = "Softmax";  // the loss is training-only; inference runs the softmax
      ++dropped_["SoftmaxWithLoss (counted as Softmax; loss)"];
    } else if (type == "Accuracy") {
      ++dropped_["Accuracy"];
      return false;
    } else {
      fail(node_line_, ctx + "unsupported layer type '" + type + "'");
    }
    return true;
  }

  void import_layer(const Message& layer, int line) {
    node_line_ = line;
    const Field* name_field = layer.find("name");
    const Field* type_field = layer.find("type");
    const std::string name = name_field ? name_field->scalar : "layer@" + std::to_string(line);
    if (!type_field) fail(line, "layer '" + name + "' has no type");
    const std::string type = layer_type(*type_field);
    const std::string ctx = "layer '" + name + "' (" + type + "): ";
    if (!in_test_phase(layer)) return;
    const auto tops = layer.all("top");
    if (is_data_layer(type)) {
      import_data_layer(layer, tops, line);
      return;
    }
    Node node;
    node.name = name;
    node.source = origin_ + ":" + std::to_string(line);
    if (!translate(node, type, layer, ctx)) return;
    for (const Field* bottom : layer.all("bottom")) {
      if (labels_.count(bottom->scalar)) continue;  // labels feed only loss/accuracy
      auto it = blobs_.find(bottom->scalar);
      if (it == blobs_.end()) {
        fail(bottom->line, ctx + "bottom blob '" + bottom->scalar +
                               "' is not produced by any "
                               "earlier layer or input");
      }
      node.inputs.push_back(it->second);
    }
    if (tops.empty()) fail(line, ctx + "has no top blob");
    const OpSchema* schema = builtin_ops().find(node.domain, node.op_type);
    if (!schema) fail(line, ctx + "no cost schema for " + node.op_type);
    if (schema->params) {
      OpContext pctx{node, {}, {}, {}};
      for (int i : node.inputs) pctx.inputs.push_back(&graph_.tensor(i).shape);
      std::vector<ParamSpec> specs;
      try {
        if (node.inputs.empty()) fail(line, ctx + "has no bottom blob");
        specs = schema->params(pctx);
      } catch (const Error& e) {
        throw e.with_context(node.source + ": node '" + node.name + "' (" + node.op_type + ")");
      }
      for (ParamSpec& p : specs) {
        node.weights.push_back(graph_.add_tensor(
            {.name = node.name + "/" + p.suffix, .shape = std::move(p.shape), .role = p.role}));
      }
    }
    auto shapes = infer_output_shapes(*schema, graph_, node);
    const bool in_place =
        node.inputs.size() == 1 && tops[0]->scalar == graph_.tensor(node.inputs[0]).name;
    Tensor out{.name = tops[0]->scalar, .shape = std::move(shapes[0])};
    if (in_place) out.aliases = node.inputs[0];
    const int index = graph_.add_tensor(std::move(out));
    node.outputs.push_back(index);
    blobs_[tops[0]->scalar] = index;
    graph_.add_node(std::move(node));
  }

  std::string origin_;
  LoadOptions options_;
  Graph graph_;
  std::map<std::string, int> blobs_;  // blob name -> current tensor
  std::set<std::string> labels_;
  std::map<std::string, int> dropped_;
  int node_line_ = 0;
};

}  // namespace

Graph import_caffe_prototxt(const std::string& text, const std::string& origin,
                            const LoadOptions& options) {
  const caffe::Message net = caffe::parse_prototxt(text, origin);
  return Importer(origin, options).run(net);
}

}  // namespace reuselens
