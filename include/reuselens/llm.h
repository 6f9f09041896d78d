// Decoder (and encoder) language models from a Hugging Face config.json:
// one prefill or decode step at a batch size and sequence length, counted in
// closed form from the config's dimensions.
//
//   const LlmConfig config = load_llm_config("zoo:llama-3-8b");
//   LlmWorkload w;  w.phase = LlmPhase::kDecode;  w.batch = 8;  w.context = 4096;
//   const LlmAnalysis a = analyze_llm(config, w);
//   a.params.total, a.kv_cache_bytes, a.analysis.total.di ...
//
// A step is a list of components (q_proj, the attention products, softmax,
// norms, gate/up/down, router, lm_head ...), each with its MACs, FLOPs, the
// weights it reads, the activations it reads and writes and the KV-cache
// entries it reads and writes, at per-class data types (weights, KV cache,
// activations). The conventions (docs/llm.md) are named in every report:
// which attention products count (dense or causal), which positions get
// logits, how MoE experts are read, how block-quantised weights are stored.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "reuselens/metrics.h"
#include "reuselens/model.h"
#include "reuselens/roofline.h"

namespace reuselens {

// What the config describes, normalised across families.
struct LlmConfig {
  std::string name;          // "llama-3-8b", or the file's stem
  std::string display_name;  // "Llama-3-8B"
  std::string origin;        // "zoo:llama-3-8b" or the file path
  std::string source;        // where the config comes from (a Hugging Face repository)
  std::string architecture;  // architectures[0], e.g. "LlamaForCausalLM"
  std::string family;        // llama, mistral, mixtral, qwen2, gemma, gemma2, phi3, gpt2, bert
  int64_t vocab = 0;
  int64_t hidden = 0;
  int64_t intermediate = 0;  // per expert for MoE
  int64_t layers = 0;
  int64_t heads = 0;
  int64_t kv_heads = 0;
  int64_t head_dim = 0;       // hidden / heads unless the config says (Gemma)
  int64_t max_positions = 0;  // learned position table rows (GPT-2, BERT); rope: the trained length
  int64_t type_vocab = 0;     // BERT token types
  bool encoder = false;       // BERT: bidirectional, prefill only
  bool tied_embeddings = false;
  bool learned_positions = false;
  bool gated_mlp = true;   // gate * act(up), then down (Llama); else fc, act, proj (GPT-2)
  bool fused_qkv = false;  // Phi-3 qkv_proj, GPT-2 c_attn: one matrix, same counts
  bool qkv_bias = false;
  bool o_bias = false;
  bool mlp_bias = false;
  bool layer_norm = false;        // LayerNorm (gamma, beta) instead of RMSNorm (gamma)
  int norms_per_block = 2;        // Gemma 2: 4
  bool post_norm = false;         // BERT: norms after the residual adds, plus one on the embeddings
  bool pooler = false;            // BERT's pooler (dense + tanh on the first token)
  bool scale_embeddings = false;  // Gemma: embeddings times sqrt(hidden)
  double attention_softcap = 0;   // Gemma 2: tanh soft-capping of scores
  double final_softcap = 0;       // Gemma 2: of logits
  std::string activation;         // silu, gelu, gelu_pytorch_tanh, ...
  int64_t experts = 0;            // MoE: experts per layer (0: dense MLP)
  int64_t experts_per_token = 0;  // MoE: top-k
  int64_t sliding_window = 0;     // 0: none
  // How many layers use the window: all (Mistral v0.1, Phi-3), every other
  // (Gemma 2), those from max_window_layers on (Qwen2).
  int64_t sliding_layers = 0;
  std::string torch_dtype;  // the type the weights ship in (bf16, fp16, fp32)
};

// Architectures a config may name, for errors and docs.
const std::vector<std::string>& supported_llm_architectures();

// Parses a config.json; `origin` names it in errors. Errors: kParse (not
// JSON), kInvalidModel (a missing or impossible field, naming it), kUnknownModel
// (an architecture reuselens does not model, listing those it does).
LlmConfig parse_llm_config(const std::string& json_text, const std::string& origin);
// "zoo:NAME" (an LLM zoo entry) or a path to a config.json.
LlmConfig load_llm_config(const std::string& spec);
// True for LLM zoo names (zoo:llama-3-8b) and for .json files that are model configs.
bool is_llm_spec(const std::string& spec);

// The built-in configs (data/llm/), each with its source.
struct LlmZooEntry {
  std::string name;          // "llama-3-8b"
  std::string display_name;  // "Llama-3-8B"
  std::string file;          // config file name under data/llm/
  std::string source;        // the Hugging Face repository it is copied from
};
const std::vector<LlmZooEntry>& llm_zoo();
const LlmZooEntry* find_llm_zoo_entry(const std::string& name);  // nullptr if none

enum class LlmPhase { kPrefill, kDecode };
const char* llm_phase_name(LlmPhase phase);

struct LlmWorkload {
  LlmPhase phase = LlmPhase::kPrefill;
  int64_t batch = 1;
  // Prefill: prompt tokens per sequence, all computed in the step.
  int64_t prompt = 512;
  // Decode: the sequence length after the step (L - 1 cached tokens and the
  // new one); attention reads L entries per layer, writes one.
  int64_t context = 512;
  // Attention products counted: "causal" (only those the mask keeps, as
  // FlashAttention computes) or "dense" (every query-key pair, as an unfused
  // kernel or an exported ONNX graph computes).
  std::string attention = "causal";
  // Positions that get logits in prefill: "last" (one per sequence, what
  // generation needs) or "all" (a scoring pass, or an exported graph).
  std::string logits = "last";
  // Storage types; "" = the config's torch_dtype. Quantised weights (int4,
  // int8, fp8 ...) apply to the projection matrices (attention, MLP,
  // experts); embeddings, lm_head, router, norms and biases stay at the
  // activation type, as GPTQ/AWQ/FP8 checkpoints ship them.
  std::string weight_type, kv_type, act_type;
  // Weights per quantisation group along the input dimension; each group
  // stores a 16-bit scale, and integer types a zero point at the weight
  // width. 0: one group per output channel. -1: 128 for 4-bit types, 0 otherwise.
  int64_t group_size = -1;
};

// Throws Error(kUsage) naming the field.
void validate(const LlmWorkload& workload, const LlmConfig& config);

// The step the options name (metrics.h; "" and 0 fields take the defaults
// above) at `batch` (0: 1). Throws Error(kUsage) for an unknown phase.
LlmWorkload llm_workload(const LlmStepOptions& step, int64_t batch);

struct LlmComponent {
  std::string name;   // "q_proj", "attention.qk", "softmax", "lm_head" ...
  std::string op;     // MatMul, Gather, RMSNorm, Softmax, ...
  std::string kind;   // fc, matmul, norm, activation, eltwise, softmax, data (metrics.h)
  int64_t count = 1;  // instances per step: layers for a block's component
  // Per instance:
  int64_t macs = 0;
  int64_t flops = 0;
  int64_t weights = 0;       // parameter elements read
  int64_t weight_bytes = 0;  // those weights at their storage (with quantisation metadata)
  int64_t act_in = 0;        // activation elements read
  int64_t act_out = 0;       // activation elements written
  int64_t kv_read = 0;       // KV-cache elements read
  int64_t kv_written = 0;    // KV-cache elements written
  int64_t bytes = 0;         // all of the above at their widths, each once
};

struct LlmParameters {
  int64_t total = 0;       // every stored parameter, a tied table once
  int64_t embeddings = 0;  // token (and position, type) tables: a lookup reads one row per token
  int64_t non_embedding = 0;
  int64_t active_per_token = 0;  // MoE: shared weights + top-k experts; else total
  int64_t experts_total = 0;     // MoE: every expert's weights
};

struct LlmAnalysis {
  LlmConfig config;
  LlmWorkload workload;        // with types and group size resolved
  std::string weight_storage;  // "int4, groups of 128 with fp16 scales and int4 zero points"
  std::vector<LlmComponent> components;
  LlmParameters params;
  int64_t tokens = 0;               // tokens computed in the step (batch x prompt, or batch)
  int64_t attended = 0;             // keys each query of the last position attends to
  int64_t stored_weight_bytes = 0;  // every parameter at its storage type
  int64_t kv_cache_bytes = 0;       // the cache after the step, batch x length x layers
  int64_t kv_bytes_per_token = 0;   // one token's K and V over all layers
  int64_t kv_read_bytes = 0, kv_written_bytes = 0;
  int64_t step_bytes = 0;   // bytes moved in the step: every component's, each once
  double experts_read = 0;  // MoE: expected distinct experts per layer the step reads
  // The same step as a generic analysis: one layer per component (repeats =
  // its count), W = weights read, A = activations, KV its own class; what
  // compare, rank, roofline and report print.
  Analysis analysis;
};

// Throws Error(kUsage) for workloads the config cannot run (decode of an
// encoder, a prompt past a learned position table).
LlmAnalysis analyze_llm(const LlmConfig& config, const LlmWorkload& workload,
                        const AnalysisOptions& options = {});

// Loads `spec` (is_llm_spec) and analyses the step the options name. The
// layer-graph input options (--input, --dim, --value, --trip-count) are
// refused: a config takes --batch, --prompt and --context.
LlmAnalysis analyze_llm_model(const std::string& spec, const LoadOptions& load,
                              const AnalysisOptions& options);

// One step on a machine: each component's roofline lower bound, summed.
struct LlmServing {
  RooflineResult roofline;      // per component, by AI_c and DI
  double step_time_s = 0;       // lower bound of the step
  double tokens_per_s = 0;      // decode: batch / step time (upper bound); prefill: tokens / time
  double ttft_s = 0;            // prefill: time to first token, lower bound (= step time)
  int64_t footprint_bytes = 0;  // stored weights + KV cache at batch x length
  int64_t memory_bytes = 0;     // the machine's, 0 when the preset does not say
  bool fits = true;
  int64_t max_batch = 0;  // largest batch whose footprint fits at this length (0: none, or unknown)
};

// `dtype` is the compute type whose peak applies ("" = the activation type).
LlmServing serve_llm(const LlmAnalysis& analysis, const Hardware& hw, const std::string& dtype = "",
                     const std::string& level = "dram");

struct LlmSweepPoint {
  int64_t batch = 0;
  int64_t length = 0;  // prompt (prefill) or context (decode)
  int64_t macs = 0, flops = 0, step_bytes = 0, kv_cache_bytes = 0, footprint_bytes = 0;
  double intensity = 0;  // FLOP per byte of the step
  Bound bound = Bound::kMemory;
  double step_time_s = 0, tokens_per_s = 0;
  bool fits = true;
};

struct LlmSweep {
  std::string parameter;  // "batch" or "context" (prompt, in prefill)
  LlmAnalysis base;       // the first point, for the header
  Hardware hardware;
  std::string dtype;
  double peak = 0, bandwidth = 0, ridge = 0;
  std::vector<LlmSweepPoint> points;
  // The first swept value at which the step's intensity reaches the ridge
  // (0 when no point does).
  int64_t ridge_crossing = 0;
};

// `range` is "batch=1:1024:x2" or "context=512:32768:x2" (FROM:TO:xFACTOR or
// FROM:TO:+STEP; "prompt" is accepted for prefill). Errors: kUsage.
LlmSweep sweep_llm(const LlmConfig& config, const LlmWorkload& workload,
                   const AnalysisOptions& options, const std::string& range, const Hardware& hw,
                   const std::string& dtype = "");

}  // namespace reuselens
