#include <algorithm>
#include <cmath>

#include "ir/checked.h"
#include "metrics/totals.h"
#include "reuselens/error.h"
#include "reuselens/metrics.h"

namespace reuselens {

double data_reuse_index(double mc_over_w, double mc_over_a, double alpha) {
  return (alpha * mc_over_a + (1.0 - alpha) * mc_over_w) / 4.0;
}

double disparity_factor(double ai_c, double di) {
  return ai_c == 0.0 ? 0.0 : 100.0 * (ai_c - di) / ai_c;
}

std::string Coverage::summary() const {
  std::string out = std::to_string(counted) + "/" + std::to_string(total) + " nodes counted";
  if (!unsupported.empty()) {
    out += "; unsupported:";
    bool first = true;
    for (const auto& [op, n] : unsupported) {
      out += (first ? " " : ", ") + op + " x" + std::to_string(n);
      first = false;
    }
  }
  return out;
}

std::string inputs_summary(const Analysis& a) {
  std::string out;
  for (const InputShape& in : a.inputs) {
    out += (out.empty() ? "" : ", ") + in.name + " " + shape_to_string(in.shape);
  }
  return out.empty() ? shape_to_string(a.input_shape) : out;
}

const std::vector<std::string>& layer_kind_order() {
  static const std::vector<std::string> kinds = {"conv",    "fc",   "matmul",     "rnn",
                                                 "norm",    "pool", "activation", "eltwise",
                                                 "softmax", "data", "unsupported"};
  return kinds;
}

namespace {

double ratio(int64_t num, int64_t den) {
  return den == 0 ? 0.0 : static_cast<double>(num) / static_cast<double>(den);
}

// Element counts of a graph's tensors, each computed (and overflow-checked)
// once: a tensor is read as its producer's output and as every consumer's
// input.
class ElementCounts {
 public:
  explicit ElementCounts(const Graph& graph) : graph_(graph), counts_(graph.tensors().size(), -1) {}
  int64_t operator()(int t) {
    int64_t& count = counts_.at(static_cast<size_t>(t));
    if (count < 0) count = element_count(graph_.tensor(t).shape);
    return count;
  }
  int64_t sum(std::span<const int> tensors) {
    int64_t total = 0;
    for (int t : tensors) total = checked_add(total, (*this)(t), "activations");
    return total;
  }

 private:
  const Graph& graph_;
  std::vector<int64_t> counts_;
};

int64_t weights_under(const Convention& c, const OpCost& cost) {
  int64_t w = checked_add(cost.kernel_params, cost.bias_params, "weights");
  if (c.w_affine) w = checked_add(w, cost.affine_params, "weights");
  if (c.w_statistics) w = checked_add(w, cost.statistic_params, "weights");
  if (c.w_hyper) w = checked_add(w, cost.hyper_params, "weights");
  return w;
}

int64_t tensor_bytes(const Graph& graph, ElementCounts& elements, int t) {
  return bytes_for(elements(t), bit_width(graph.tensor(t).type));
}

struct Widths {
  int weight_bits, act_bits;
};

void fill_layer_ratios(LayerMetrics& layer, const AnalysisOptions& options, Widths widths) {
  const int64_t a_layer = options.convention.layer_a_inputs
                              ? layer.input_activations + layer.output_activations
                              : layer.output_activations;
  layer.arithmetic_intensity = ratio(layer.macs, layer.weights + a_layer);
  layer.weight_reuse = ratio(layer.macs, layer.weights);
  layer.activation_reuse = ratio(layer.macs, a_layer);
  // Bytes are traffic, whatever the convention's layer A: every weight, input
  // and output once.
  layer.bytes = checked_add(
      bytes_for(layer.weights, widths.weight_bits),
      bytes_for(checked_add(layer.input_activations, layer.output_activations, "activations"),
                widths.act_bits),
      "bytes");
  layer.flops_per_byte = ratio(layer.flops, layer.bytes);
}

}  // namespace

namespace metrics {

void fill_kind_totals(Analysis& result) {
  const std::vector<std::string>& order = layer_kind_order();
  std::vector<KindTotals> totals(order.size());
  for (const LayerMetrics& l : result.layers) {
    const auto it = std::find(order.begin(), order.end(), l.kind);
    if (it == order.end()) continue;
    KindTotals& k = totals[static_cast<size_t>(it - order.begin())];
    ++k.layers;
    k.weights = checked_add(k.weights, l.weights, "W");
    k.macs = checked_add(k.macs, l.macs, "Mc");
    k.flops = checked_add(k.flops, l.flops, "FLOPs");
  }
  for (size_t i = 0; i < order.size(); ++i) {
    KindTotals& k = totals[i];
    if (k.layers == 0) continue;
    k.kind = order[i];
    k.weight_share = ratio(k.weights, result.total.w);
    k.mac_share = ratio(k.macs, result.total.mc);
    result.by_kind.push_back(std::move(k));
  }
}

void fill_layer_statistics(NetworkMetrics& total, const std::vector<double>& mac_layer_ai) {
  if (mac_layer_ai.empty()) return;
  std::vector<double> sorted = mac_layer_ai;
  std::sort(sorted.begin(), sorted.end());
  const size_t n = sorted.size();
  total.median_layer_ai = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  double mean = 0;
  for (double v : sorted) mean += v;
  mean /= static_cast<double>(n);
  double var = 0;
  for (double v : sorted) var += (v - mean) * (v - mean);
  total.variance_layer_ai = n > 1 ? var / static_cast<double>(n - 1) : 0.0;
}

}  // namespace metrics

Analysis analyze(const Graph& graph, const AnalysisOptions& options) {
  validate(options);
  if (const std::string flag = options.llm.first_set(); !flag.empty()) {
    throw_error(ErrorCode::kUsage, flag +
                                       " applies to language-model configs (a config.json, "
                                       "zoo:llama-3-8b ...), not to " +
                                       graph.name);
  }
  const Convention& conv = options.convention;
  const OpRegistry& registry = builtin_ops();
  Analysis result;
  result.model = graph.name;
  result.source = graph.source;
  result.notes = graph.notes;
  result.options = options;
  for (int t : graph.inputs) result.inputs.push_back({graph.tensor(t).name, graph.tensor(t).shape});
  if (!graph.inputs.empty()) {
    result.input_shape = graph.tensor(graph.inputs[0]).shape;
    result.batch = result.input_shape.empty() ? 1 : result.input_shape[0];
  }

  const Widths widths{options.weight_bits(), options.act_bits()};
  const bool typed = graph.typed && options.use_tensor_types;
  result.bytes_from_tensor_types = typed;
  NetworkMetrics& total = result.total;
  ElementCounts elements(graph);
  if (conv.a_input) total.a = elements.sum(graph.inputs);
  int64_t weight_bytes = 0, activation_bytes = 0;  // typed graphs only
  if (typed && conv.a_input) {
    for (int t : graph.inputs) activation_bytes += tensor_bytes(graph, elements, t);
  }
  std::vector<double> mac_layer_ai;
  std::vector<bool> weight_seen(graph.tensors().size(), false);
  result.layers.reserve(graph.nodes().size());
  for (const Node& node : graph.nodes()) {
    LayerMetrics& layer = result.layers.emplace_back();  // built in place: it is large
    layer.name = node.name;
    layer.op_type = node.domain.empty() ? node.op_type : node.domain + "." + node.op_type;
    if (!node.outputs.empty()) layer.output_shape = graph.tensor(node.outputs[0]).shape;
    layer.in_place = !node.outputs.empty() && graph.tensor(node.outputs[0]).aliases >= 0;
    // A node in a loop body runs `repeats` times: its reads and writes repeat.
    layer.repeats = node.repeats;
    layer.input_activations = checked_mul(elements.sum(node.inputs), node.repeats, "A");
    layer.output_activations = checked_mul(elements.sum(node.outputs), node.repeats, "A");
    ++result.coverage.total;

    const OpSchema* schema = registry.find(node.domain, node.op_type, graph.opset);
    if (!schema) {
      layer.status = NodeStatus::kUnsupported;
      layer.kind = "unsupported";
      ++result.coverage.unsupported[layer.op_type];
      continue;
    }
    ++result.coverage.counted;
    const OpCost cost = cost_node(*schema, graph, node);
    layer.kind = op_kind_name(schema->kind);
    // A MAC op reading no parameter multiplies two activations (attention's
    // products): its own kind, apart from the fully connected layers.
    if (schema->kind == OpKind::kFullyConnected && node.weights.empty()) layer.kind = "matmul";
    layer.macs = cost.macs;
    if (conv.mc_elementwise) layer.macs = checked_add(layer.macs, cost.elementwise_macs, "MACs");
    layer.macs = checked_mul(layer.macs, node.repeats, "MACs");
    layer.flops = checked_mul(cost.flops, node.repeats, "FLOPs");
    // A parameter tensor read by several nodes (a shared embedding, a weight
    // sliced into gates) is counted once, at its first reader.
    int64_t shared = 0;
    for (int t : node.weights) {
      if (weight_seen[t]) shared = checked_add(shared, elements(t), "W");
    }
    layer.weights = std::max<int64_t>(0, weights_under(conv, cost) - shared);
    fill_layer_ratios(layer, options, widths);
    if (typed) {  // each tensor at its own width; activations once per run
      int64_t bytes = 0, reads = 0, writes = 0;
      for (int t : node.weights) {
        if (!weight_seen[t]) bytes = checked_add(bytes, tensor_bytes(graph, elements, t), "bytes");
      }
      weight_bytes = checked_add(weight_bytes, bytes, "bytes");
      for (int t : node.inputs)
        reads = checked_add(reads, tensor_bytes(graph, elements, t), "bytes");
      for (int t : node.outputs)
        writes = checked_add(writes, tensor_bytes(graph, elements, t), "bytes");
      reads = checked_mul(reads, node.repeats, "bytes");
      writes = checked_mul(writes, node.repeats, "bytes");
      layer.bytes = checked_add(bytes, checked_add(reads, writes, "bytes"), "bytes");
      layer.flops_per_byte = ratio(layer.flops, layer.bytes);
      if (!layer.in_place || conv.a_in_place) {
        activation_bytes = checked_add(activation_bytes, writes, "bytes");
      }
    }
    for (int t : node.weights) weight_seen[t] = true;
    if (is_mac_layer(schema->kind)) mac_layer_ai.push_back(layer.arithmetic_intensity);

    total.mc = checked_add(total.mc, layer.macs, "Mc");
    total.flops = checked_add(total.flops, layer.flops, "FLOPs");
    total.w = checked_add(total.w, layer.weights, "W");
    if (!layer.in_place || conv.a_in_place) {
      total.a = checked_add(total.a, layer.output_activations, "A");
    }
  }

  total.a_over_w = ratio(total.a, total.w);
  total.mc_over_w = ratio(total.mc, total.w);
  total.mc_over_a = ratio(total.mc, total.a);
  total.ai_c = ratio(total.mc, checked_add(total.w, total.a, "W + A"));
  total.di = data_reuse_index(total.mc_over_w, total.mc_over_a, options.alpha);
  total.d_f = disparity_factor(total.ai_c, total.di);
  metrics::fill_layer_statistics(total, mac_layer_ai);
  total.peak_live_activations = peak_live_activations(graph);
  total.weight_bytes = typed ? weight_bytes : bytes_for(total.w, widths.weight_bits);
  total.activation_bytes = typed ? activation_bytes : bytes_for(total.a, widths.act_bits);
  const int64_t bytes = checked_add(total.weight_bytes, total.activation_bytes, "bytes");
  total.mc_per_byte = ratio(total.mc, bytes);
  total.flops_per_byte = ratio(total.flops, bytes);
  metrics::fill_kind_totals(result);
  return result;
}

}  // namespace reuselens
