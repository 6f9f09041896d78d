// Data-reuse metrics of a network: start here.
//
// analyze() takes a Graph (from the zoo, a Caffe prototxt or ONNX) and a
// counting Convention and returns per-layer and network figures:
//   Mc   multiply-accumulates             W  weights (parameters)
//   A    activations                      A/W, Mc/W (weight reuse), Mc/A (activation reuse)
//   AI_c = Mc / (W + A)                   cumulative arithmetic intensity
//   DI   = (alpha * Mc/A + (1 - alpha) * Mc/W) / 4      (Jha & Mittal, Eq. 4)
//   d_f  = 100 * (AI_c - DI) / AI_c       disparity (Eq. 5, from its definition)
// Every figure's convention is documented in docs/metrics.md; element counts
// are exact 64-bit integers, overflow-checked.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "reuselens/dtype.h"
#include "reuselens/graph.h"
#include "reuselens/ops.h"

namespace reuselens {

// Which quantities make up Mc, W and A. Named presets below; every report
// prints the name and the flags.
struct Convention {
  std::string name;
  // Mc: add the paper's MAC-like work of non-MAC layers (Scale: 1 per output
  // element; LRN: local_size per output element).
  bool mc_elementwise = true;
  // W: which parameter kinds count.
  bool w_affine = false;     // learnable scale/shift (Scale, BN gamma/beta)
  bool w_statistics = true;  // BN running mean and variance
  bool w_hyper = true;       // LRN alpha/beta as the Netscope analyzer does
  // A: count the output of in-place layers (ReLU/BN/Scale/Dropout) again.
  bool a_in_place = true;
  // A: count the network input.
  bool a_input = true;
  // Layer ratios (AI, Mc/A): the layer's A is its outputs only (false; what
  // reproduces the paper's Table 5) or its inputs plus outputs (true; the
  // ifmaps + ofmaps of the paper's Table 2).
  bool layer_a_inputs = false;
  std::string description;
};

// "paper"   - the Netscope rules that reproduce Jha & Mittal's Table 7.
// "conv-fc" - Mc from conv and FC only; W every learnable parameter;
//             A every layer output (in-place included) plus the input.
// "memory"  - Mc from conv and FC only; W every stored parameter (learned or
//             statistic); A each stored tensor once (in-place outputs reuse
//             their input's storage) plus the input.
Convention convention_by_name(const std::string& name);  // throws kUsage
std::vector<std::string> convention_names();

// What only language-model configs take (llm.h, docs/llm.md): the step and
// its per-class types. A layer graph refuses the step fields when set.
struct LlmStepOptions {
  std::string phase;        // "prefill" (default) or "decode"
  int64_t prompt = 0;       // prefill tokens per sequence; 0: not given (512)
  int64_t context = 0;      // decode: sequence length after the step; 0: not given (512)
  std::string attention;    // products counted: "causal" (default) or "dense"
  std::string logits;       // prefill positions with logits: "last" (default) or "all"
  std::string kv_type;      // KV-cache type; "": the activation type
  int64_t group_size = -1;  // weights per quantisation group; -1: not given
  // The types as named (--dtype, --weight-type, --act-type); "": the config's.
  std::string weight_type, act_type;
  // The first step field that is set ("--phase" ...), "" when none is.
  std::string first_set() const;
};

struct AnalysisOptions {
  Convention convention = convention_by_name("paper");
  double alpha = 0.8;  // DI's data-reuse coefficient, in [0, 1]
  // Storage types of weights and activations for byte counts (dtype.h:
  // fp32, bf16, int8, int4, ...).
  std::string weight_type = "fp32";
  std::string act_type = "fp32";
  // Typed graphs (ONNX) count bytes at each tensor's own type; false counts
  // them at weight_type/act_type like any other graph (set when the user
  // names the types, and by roofline, whose --dtype decides).
  bool use_tensor_types = true;
  LlmStepOptions llm;

  int weight_bits() const;  // bits of weight_type
  int act_bits() const;     // bits of act_type
};

// Throws Error(kUsage) for alpha outside [0, 1] or unknown data types.
void validate(const AnalysisOptions& options);

enum class NodeStatus { kCounted, kUnsupported };

struct LayerMetrics {
  std::string name;
  std::string op_type;
  std::string kind;  // op_kind_name, or "unsupported"
  NodeStatus status = NodeStatus::kCounted;
  std::vector<int64_t> output_shape;  // first output
  bool in_place = false;
  int64_t repeats = 1;  // runs per inference (a loop body's trip count); counts below include them
  int64_t macs = 0;     // Mc contribution under the convention
  int64_t flops = 0;
  int64_t weights = 0;  // W contribution under the convention
  int64_t input_activations = 0;
  int64_t output_activations = 0;
  // Layer ratios over the layer's own data: A_layer = outputs, plus inputs
  // when the convention's layer_a_inputs is set.
  double arithmetic_intensity = 0;  // Mc / (W + A_layer)
  double weight_reuse = 0;          // Mc / W          (0 when W == 0)
  double activation_reuse = 0;      // Mc / A_layer
  // KV-cache elements read and written (language models; 0 elsewhere).
  int64_t kv_read = 0, kv_written = 0;
  int64_t bytes = 0;  // W at weight_type + (inputs + outputs) at act_type: each tensor once
  double flops_per_byte = 0;
};

struct NetworkMetrics {
  int64_t mc = 0;
  int64_t flops = 0;
  int64_t w = 0;
  int64_t a = 0;
  double a_over_w = 0;
  double mc_over_w = 0;
  double mc_over_a = 0;
  double ai_c = 0;
  double di = 0;
  double d_f = 0;
  // Layer arithmetic intensity over conv/FC layers (the paper's Table 5).
  double median_layer_ai = 0;
  double variance_layer_ai = 0;       // sample variance (n - 1), as Table 5
  int64_t peak_live_activations = 0;  // elements, in execution order
  // At --weight-bits/--act-bits; for typed graphs (ONNX) at each tensor's own
  // type, weight bytes then covering every stored parameter of counted nodes.
  int64_t weight_bytes = 0;
  int64_t activation_bytes = 0;
  // Language models: the KV-cache elements the step touches, a class of its
  // own. With KV > 0, AI_c = Mc / (W + A + KV) and DI's data term is
  // Mc / (A + KV) (docs/metrics.md); 0 for every other network.
  int64_t kv = 0;
  int64_t kv_bytes = 0;
  double mc_per_byte = 0;     // Mc / (weight_bytes + activation_bytes + kv_bytes)
  double flops_per_byte = 0;  // FLOPs / (weight_bytes + activation_bytes + kv_bytes)
};

// One kind of layer across the network (the lecture's "# of CONV layers,
// their weights and MACs"): conv, fc, matmul (products of two activations,
// as attention's), norm, pool, activation, eltwise, softmax, data,
// unsupported. Weights and MACs under the convention; shares of the
// network's W and Mc.
struct KindTotals {
  std::string kind;
  int64_t layers = 0;
  int64_t weights = 0;
  int64_t macs = 0;
  int64_t flops = 0;
  double weight_share = 0;
  double mac_share = 0;
};

// The kinds in the order reports list them.
const std::vector<std::string>& layer_kind_order();

struct Coverage {
  int64_t counted = 0;
  int64_t total = 0;
  std::map<std::string, int64_t> unsupported;  // op type -> node count
  // "312/312 nodes counted" or "310/312 nodes counted; unsupported: Foo x2"
  std::string summary() const;
};

struct InputShape {
  std::string name;
  std::vector<int64_t> shape;
};

struct Analysis {
  std::string model;   // model name
  std::string source;  // where the definition comes from
  std::vector<std::string> notes;
  std::vector<InputShape> inputs;        // every model input, as analysed
  std::vector<int64_t> input_shape;      // the first input's
  int64_t batch = 1;                     // dim 0 of the first input
  bool bytes_from_tensor_types = false;  // true: the graph's own types, not the bit options
  AnalysisOptions options;
  std::vector<LayerMetrics> layers;
  NetworkMetrics total;
  Coverage coverage;
  std::vector<KindTotals> by_kind;  // the kinds present, in layer_kind_order()
};

Analysis analyze(const Graph& graph, const AnalysisOptions& options);

// The inputs as analysed: "data 1x3x224x224" or "input_ids 1x64, attention_mask 1x64".
std::string inputs_summary(const Analysis& analysis);

// DI and d_f from the network's reuse figures, exposed for tests and for the
// statistics module's alpha sweeps.
double data_reuse_index(double mc_over_w, double mc_over_a, double alpha);
double disparity_factor(double ai_c, double di);

// Peak number of activation elements alive at once when the nodes run in
// graph order: a tensor lives from its producer until its last reader;
// in-place outputs share their input's storage.
int64_t peak_live_activations(const Graph& graph);

}  // namespace reuselens
