// A language-model step on a machine: roofline lower bounds per component,
// tokens per second, time to first token, memory footprint; and sweeps over
// batch or length.
#include <algorithm>
#include <cmath>

#include "ir/checked.h"
#include "ir/sweep_range.h"
#include "reuselens/dtype.h"
#include "reuselens/error.h"
#include "reuselens/llm.h"

namespace reuselens {

namespace {

// The named type, else the activation type where the machine has a peak
// for it, else fp16, else fp32 (a bf16 model on a P100).
std::string compute_type(const LlmAnalysis& a, const Hardware& hw, const std::string& dtype) {
  if (!dtype.empty()) return number_type(dtype).name;
  for (const std::string& t : {a.workload.act_type, std::string("fp16"), std::string("fp32")}) {
    for (const PeakRate& p : hw.peaks) {
      if (p.dtype == t) return t;
    }
  }
  return a.workload.act_type;  // hw.peak() names what the machine has
}

int64_t length_of(const LlmWorkload& w) {
  return w.phase == LlmPhase::kPrefill ? w.prompt : w.context;
}

// The largest batch whose weights plus KV cache fit `memory` at this length.
int64_t max_batch(const LlmAnalysis& a, int64_t memory) {
  if (memory <= 0 || a.stored_weight_bytes >= memory) return 0;
  const int64_t per_sequence = a.kv_cache_bytes / std::max<int64_t>(1, a.workload.batch);
  if (per_sequence == 0) return 0;  // an encoder: no cache to bound the batch
  return (memory - a.stored_weight_bytes) / per_sequence;
}

}  // namespace

LlmServing serve_llm(const LlmAnalysis& a, const Hardware& hw, const std::string& dtype,
                     const std::string& level) {
  LlmServing s;
  RooflineOptions options;
  options.analysis = a.analysis.options;
  options.dtype = compute_type(a, hw, dtype);
  options.level = level;
  s.roofline = roofline(a.analysis, hw, options);
  s.step_time_s = s.roofline.total_time_s;
  const double tokens = static_cast<double>(a.tokens);
  s.tokens_per_s = s.step_time_s > 0 ? tokens / s.step_time_s : 0;
  if (a.workload.phase == LlmPhase::kPrefill) s.ttft_s = s.step_time_s;
  s.footprint_bytes = checked_add(a.stored_weight_bytes, a.kv_cache_bytes, "bytes");
  s.memory_bytes = hw.memory_bytes;
  s.fits = hw.memory_bytes == 0 || s.footprint_bytes <= hw.memory_bytes;
  s.max_batch = max_batch(a, hw.memory_bytes);
  return s;
}

LlmSweep sweep_llm(const LlmConfig& config, const LlmWorkload& workload,
                   const AnalysisOptions& options, const std::string& range, const Hardware& hw,
                   const std::string& dtype) {
  const bool prefill = workload.phase == LlmPhase::kPrefill;
  SweepRange r = parse_sweep_range(range, {"batch", "context", "prompt"});
  if (r.parameter == "prompt" && !prefill) {
    throw_error(ErrorCode::kUsage, "--sweep prompt= sweeps prefill; decode sweeps context=");
  }
  if (r.parameter == "context" && prefill) r.parameter = "prompt";  // the prefill length
  if (r.values.size() < 2) throw_error(ErrorCode::kUsage, "--sweep: fewer than 2 points");
  LlmSweep sweep;
  sweep.parameter = r.parameter;
  sweep.hardware = hw;
  for (int64_t v : r.values) {
    LlmWorkload w = workload;
    if (r.parameter == "batch") w.batch = v;
    if (r.parameter == "prompt") w.prompt = v;
    if (r.parameter == "context") w.context = v;
    const LlmAnalysis a = analyze_llm(config, w, options);
    const LlmServing s = serve_llm(a, hw, dtype);
    if (sweep.points.empty()) {
      sweep.base = a;
      sweep.dtype = s.roofline.dtype;
      sweep.peak = s.roofline.peak;
      sweep.bandwidth = s.roofline.bandwidth;
      sweep.ridge = s.roofline.ridge;
    }
    LlmSweepPoint p;
    p.batch = w.batch;
    p.length = length_of(w);
    p.macs = a.analysis.total.mc;
    p.flops = a.analysis.total.flops;
    p.step_bytes = a.step_bytes;
    p.kv_cache_bytes = a.kv_cache_bytes;
    p.footprint_bytes = s.footprint_bytes;
    p.intensity =
        p.step_bytes ? static_cast<double>(p.flops) / static_cast<double>(p.step_bytes) : 0;
    p.bound = p.intensity < sweep.ridge ? Bound::kMemory : Bound::kCompute;
    p.step_time_s = s.step_time_s;
    p.tokens_per_s = s.tokens_per_s;
    p.fits = s.fits;
    if (!sweep.ridge_crossing && p.bound == Bound::kCompute) sweep.ridge_crossing = v;
    sweep.points.push_back(p);
  }
  return sweep;
}

}  // namespace reuselens
