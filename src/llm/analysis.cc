// A language-model step: components -> LlmAnalysis, and the same step as a
// generic Analysis (one layer per component) for every printer and command.
#include <fmt/format.h>

#include <algorithm>

#include "ir/checked.h"
#include "llm/step.h"
#include "metrics/totals.h"
#include "reuselens/dtype.h"
#include "reuselens/error.h"
#include "reuselens/llm.h"

namespace reuselens {

const char* llm_phase_name(LlmPhase phase) {
  return phase == LlmPhase::kPrefill ? "prefill" : "decode";
}

void validate(const LlmWorkload& w, const LlmConfig& c) {
  const auto positive = [](int64_t v, const char* flag) {
    if (v < 1)
      throw_error(ErrorCode::kUsage, std::string(flag) + " " + std::to_string(v) + " is not >= 1");
  };
  positive(w.batch, "--batch");
  positive(w.prompt, "--prompt");
  positive(w.context, "--context");
  if (w.attention != "causal" && w.attention != "dense") {
    throw_error(ErrorCode::kUsage, "--attention '" + w.attention + "': expected causal or dense");
  }
  if (w.logits != "last" && w.logits != "all") {
    throw_error(ErrorCode::kUsage, "--logits '" + w.logits + "': expected last or all");
  }
  for (const std::string* t : {&w.weight_type, &w.kv_type, &w.act_type}) number_type(*t);
  if (w.group_size < 0) throw_error(ErrorCode::kUsage, "--group-size must be >= 0");
  if (c.encoder && w.phase == LlmPhase::kDecode) {
    throw_error(ErrorCode::kUsage, c.display_name + " (" + c.architecture +
                                       ") is an encoder: it has no decode phase (use "
                                       "--phase prefill --prompt N)");
  }
  const int64_t length = w.phase == LlmPhase::kPrefill ? w.prompt : w.context;
  if (c.learned_positions && length > c.max_positions) {
    throw_error(ErrorCode::kUsage,
                fmt::format("{}: {} {} exceeds its {} learned positions", c.display_name,
                            w.phase == LlmPhase::kPrefill ? "--prompt" : "--context", length,
                            c.max_positions));
  }
}

LlmWorkload llm_workload(const LlmStepOptions& step, int64_t batch) {
  LlmWorkload w;
  if (step.phase == "decode") {
    w.phase = LlmPhase::kDecode;
  } else if (!step.phase.empty() && step.phase != "prefill") {
    throw_error(ErrorCode::kUsage, "--phase '" + step.phase + "': expected prefill or decode");
  }
  if (batch) w.batch = batch;
  if (step.prompt) w.prompt = step.prompt;
  if (step.context) w.context = step.context;
  if (!step.attention.empty()) w.attention = step.attention;
  if (!step.logits.empty()) w.logits = step.logits;
  w.weight_type = step.weight_type;
  w.act_type = step.act_type;
  w.kv_type = step.kv_type;
  w.group_size = step.group_size;
  return w;
}

LlmAnalysis analyze_llm_model(const std::string& spec, const LoadOptions& load,
                              const AnalysisOptions& options) {
  const auto refuse = [&](bool given, const char* flag) {
    if (given) {
      throw_error(ErrorCode::kUsage, std::string(flag) + " does not apply to " + spec +
                                         ", a language-model config: it takes --batch, "
                                         "--prompt and --context");
    }
  };
  refuse(!load.input_shape.empty() || !load.named_input_shapes.empty(), "--input");
  refuse(!load.dims.empty(), "--dim");
  refuse(!load.values.empty(), "--value");
  refuse(!load.trip_counts.empty(), "--trip-count");
  const LlmConfig config = load_llm_config(spec);
  const LlmWorkload w = llm_workload(options.llm, load.batch);
  if (w.phase == LlmPhase::kPrefill && options.llm.context) {
    throw_error(ErrorCode::kUsage,
                "--context sets the decode step's length; prefill takes "
                "--prompt (or give --phase decode)");
  }
  if (w.phase == LlmPhase::kDecode && options.llm.prompt) {
    throw_error(ErrorCode::kUsage,
                "--prompt sets the prefill length; decode takes --context "
                "(the sequence length after the step)");
  }
  if (w.phase == LlmPhase::kDecode && !options.llm.logits.empty()) {
    throw_error(ErrorCode::kUsage,
                "--logits chooses prefill positions; decode has one per "
                "sequence");
  }
  return analyze_llm(config, w, options);
}

namespace {

double ratio(int64_t num, int64_t den) {
  return den == 0 ? 0.0 : static_cast<double>(num) / static_cast<double>(den);
}

int64_t times(int64_t v, int64_t count) { return checked_mul(v, count, "LLM count"); }

std::string storage_text(const LlmWorkload& w, const llm::Storage& s, const LlmConfig& c) {
  if (!s.quantised) return w.weight_type;
  std::string out = w.weight_type + ", ";
  out += s.group_size > 0 ? fmt::format("groups of {}", s.group_size) : "one group per channel";
  out += " with fp16 scales";
  if (s.integer) out += fmt::format(" and {}-bit zero points", s.weight_bits);
  return out + fmt::format("; embeddings, lm_head, router, norms and biases {}",
                           number_type(c.torch_dtype).name);
}

// The step as a generic analysis.
Analysis to_analysis(const LlmAnalysis& a, const AnalysisOptions& options, const llm::Storage& s) {
  const LlmConfig& c = a.config;
  const LlmWorkload& w = a.workload;
  Analysis r;
  r.model = c.display_name;
  r.source = c.source;
  r.options = options;
  r.options.weight_type = w.weight_type;
  r.options.act_type = w.act_type;
  r.options.use_tensor_types = false;
  LlmStepOptions& step = r.options.llm;
  step.phase = llm_phase_name(w.phase);
  step.prompt = w.prompt;
  step.context = w.context;
  step.attention = w.attention;
  step.logits = w.logits;
  step.kv_type = w.kv_type;
  step.group_size = w.group_size;
  step.weight_type = w.weight_type;
  step.act_type = w.act_type;
  const int64_t new_tokens = w.phase == LlmPhase::kPrefill ? w.prompt : 1;
  r.inputs = {{"input_ids", {w.batch, new_tokens}}};
  r.input_shape = {w.batch, new_tokens};
  r.batch = w.batch;
  const Convention& conv = options.convention;
  NetworkMetrics& t = r.total;
  if (conv.a_input) t.a = a.tokens;
  std::vector<double> fc_ai;
  int64_t weight_bytes = 0;
  for (const LlmComponent& x : a.components) {
    LayerMetrics l;
    l.name = x.name;
    l.op_type = x.op;
    l.kind = x.kind;
    l.repeats = x.count;
    l.output_shape = {a.tokens, x.act_out && a.tokens ? x.act_out / a.tokens : 0};
    l.macs = times(x.macs, x.count);
    l.flops = times(x.flops, x.count);
    l.weights = times(x.weights, x.count);
    l.input_activations = times(x.act_in, x.count);
    l.output_activations = times(x.act_out, x.count);
    l.kv_read = times(x.kv_read, x.count);
    l.kv_written = times(x.kv_written, x.count);
    l.bytes = times(x.bytes, x.count);
    const int64_t a_layer = (conv.layer_a_inputs ? l.input_activations : 0) + l.output_activations +
                            l.kv_read + l.kv_written;
    l.arithmetic_intensity = ratio(l.macs, l.weights + a_layer);
    l.weight_reuse = ratio(l.macs, l.weights);
    l.activation_reuse = ratio(l.macs, a_layer);
    l.flops_per_byte = ratio(l.flops, l.bytes);
    if (x.kind == "fc") fc_ai.insert(fc_ai.end(), x.count, l.arithmetic_intensity);
    t.mc = checked_add(t.mc, l.macs, "Mc");
    t.flops = checked_add(t.flops, l.flops, "FLOPs");
    t.w = checked_add(t.w, l.weights, "W");
    t.a = checked_add(t.a, l.output_activations, "A");
    t.kv = checked_add(t.kv, l.kv_read, "KV");
    weight_bytes = checked_add(weight_bytes, times(x.weight_bytes, x.count), "bytes");
    t.peak_live_activations =
        std::max(t.peak_live_activations, x.act_in + x.act_out + a.tokens * c.hidden);
    ++r.coverage.counted;
    ++r.coverage.total;
    r.layers.push_back(std::move(l));
  }
  t.a_over_w = ratio(t.a, t.w);
  t.mc_over_w = ratio(t.mc, t.w);
  t.mc_over_a = ratio(t.mc, t.a);
  t.ai_c = ratio(t.mc, t.w + t.a + t.kv);
  t.di = data_reuse_index(t.mc_over_w, ratio(t.mc, t.a + t.kv), options.alpha);
  t.d_f = disparity_factor(t.ai_c, t.di);
  metrics::fill_layer_statistics(t, fc_ai);
  t.weight_bytes = weight_bytes;
  t.activation_bytes = bytes_for(t.a, s.act_bits);
  t.kv_bytes = bytes_for(t.kv, s.kv_bits);
  const int64_t bytes = t.weight_bytes + t.activation_bytes + t.kv_bytes;
  t.mc_per_byte = ratio(t.mc, bytes);
  t.flops_per_byte = ratio(t.flops, bytes);
  metrics::fill_kind_totals(r);
  r.notes = a.analysis.notes;
  return r;
}

std::vector<std::string> step_notes(const LlmAnalysis& a) {
  const LlmConfig& c = a.config;
  const LlmWorkload& w = a.workload;
  std::vector<std::string> notes;
  if (w.phase == LlmPhase::kPrefill) {
    notes.push_back(fmt::format(
        "step: prefill of {} tokens x batch {}; attention {} ({}); logits for {} position{}",
        w.prompt, w.batch, c.encoder ? "bidirectional" : w.attention,
        c.encoder                 ? "every query-key pair"
        : w.attention == "causal" ? "products the causal mask keeps, as FlashAttention computes"
                                  : "every query-key pair, as an unfused kernel computes",
        c.encoder            ? "no"
        : w.logits == "last" ? "the last"
                             : "every",
        c.encoder || w.logits == "last" ? "" : "s"));
  } else {
    notes.push_back(fmt::format(
        "step: decode of 1 token x batch {} at context {} ({} cached + the new one); attention "
        "reads {} cache entries per layer and sequence",
        w.batch, w.context, w.context - 1, a.attended));
  }
  notes.push_back("weights: " + a.weight_storage + "; KV cache " + w.kv_type + "; activations " +
                  w.act_type);
  if (c.sliding_window && c.sliding_layers) {
    notes.push_back(
        fmt::format("sliding window {} on {} of {} layers (the cache of those holds "
                    "the window, as a rolling buffer)",
                    c.sliding_window, c.sliding_layers, c.layers));
  }
  if (c.experts) {
    notes.push_back(fmt::format(
        "mixture of experts: top-{} of {}; the step's {} tokens read {:.2f} distinct experts per "
        "layer (expected under uniform routing: E(1 - (1 - k/E)^N))",
        c.experts_per_token, c.experts, a.tokens, a.experts_read));
  }
  if (c.encoder) notes.push_back("encoder: the base model with its pooler; task heads not counted");
  if (c.tied_embeddings) notes.push_back("lm_head shares the token embedding table (tied)");
  return notes;
}

}  // namespace

LlmAnalysis analyze_llm(const LlmConfig& config, const LlmWorkload& given,
                        const AnalysisOptions& options) {
  validate(options);
  LlmAnalysis a;
  a.config = config;
  a.workload = given;
  LlmWorkload& w = a.workload;
  const std::string shipped = number_type(config.torch_dtype).name;
  if (w.act_type.empty()) w.act_type = shipped;
  if (w.weight_type.empty()) w.weight_type = shipped;
  if (w.kv_type.empty()) w.kv_type = w.act_type;
  w.weight_type = number_type(w.weight_type).name;
  w.act_type = number_type(w.act_type).name;
  w.kv_type = number_type(w.kv_type).name;
  if (w.group_size < 0) w.group_size = number_type(w.weight_type).bits <= 4 ? 128 : 0;
  validate(w, config);
  const llm::Storage storage = llm::storage_for(config, w);
  a.weight_storage = storage_text(w, storage, config);
  a.components = llm::step_components(config, w, options.convention, storage, &a.experts_read);
  a.params = llm::count_parameters(config);
  const bool prefill = w.phase == LlmPhase::kPrefill;
  a.tokens = checked_mul(w.batch, prefill ? w.prompt : 1, "tokens");
  const int64_t length = prefill ? w.prompt : w.context;
  a.attended = config.sliding_window && config.sliding_layers == config.layers
                   ? std::min(length, config.sliding_window)
                   : length;
  a.stored_weight_bytes = llm::stored_weight_bytes(config, storage);
  a.kv_cache_bytes = bytes_for(llm::kv_cache_elements(config, w), storage.kv_bits);
  if (!config.encoder) {
    a.kv_bytes_per_token = bytes_for(
        checked_mul(checked_mul(2, config.layers), config.kv_heads * config.head_dim, "KV"),
        storage.kv_bits);
  }
  for (const LlmComponent& x : a.components) {
    a.kv_read_bytes += bytes_for(x.kv_read * x.count, storage.kv_bits);
    a.kv_written_bytes += bytes_for(x.kv_written * x.count, storage.kv_bits);
    a.step_bytes = checked_add(a.step_bytes, checked_mul(x.bytes, x.count, "bytes"), "bytes");
  }
  a.analysis.notes = step_notes(a);
  a.analysis = to_analysis(a, options, storage);
  return a;
}

}  // namespace reuselens
