// Language-model steps per second: one (config, phase, batch, context) point
// built and analysed, as a sweep or a serving planner evaluates it. Target:
// 10,000 points per second on one core for a 70B-class decoder. Figures go
// to docs/performance.md.
#include <benchmark/benchmark.h>

#include "reuselens/llm.h"

namespace {

using reuselens::LlmPhase;

// Arguments: phase (0 prefill, 1 decode). Batch and length vary per
// iteration so nothing is reused between points.
void BM_Llama70bPoint(benchmark::State& state) {
  const reuselens::LlmConfig config = reuselens::load_llm_config("zoo:llama-2-70b");
  const reuselens::AnalysisOptions options;
  reuselens::LlmWorkload w;
  w.phase = state.range(0) ? LlmPhase::kDecode : LlmPhase::kPrefill;
  int64_t i = 0;
  for (auto _ : state) {
    w.batch = 1 + (i % 256);
    w.prompt = w.context = 128 + 64 * (i % 61);
    ++i;
    const reuselens::LlmAnalysis a = reuselens::analyze_llm(config, w, options);
    benchmark::DoNotOptimize(a.analysis.total.di);
  }
  state.counters["points/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Llama70bPoint)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

// A point on a machine as a sweep computes it: the step, then its roofline.
void BM_Llama70bServingPoint(benchmark::State& state) {
  const reuselens::LlmConfig config = reuselens::load_llm_config("zoo:llama-2-70b");
  const reuselens::Hardware hw = reuselens::load_hardware("h100-sxm");
  reuselens::LlmWorkload w;
  w.phase = LlmPhase::kDecode;
  int64_t i = 0;
  for (auto _ : state) {
    w.batch = 1 + (i++ % 256);
    const reuselens::LlmAnalysis a = reuselens::analyze_llm(config, w);
    benchmark::DoNotOptimize(reuselens::serve_llm(a, hw).tokens_per_s);
  }
  state.counters["points/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Llama70bServingPoint)->Unit(benchmark::kMicrosecond);

}  // namespace
