// Simulator throughput in MAC-steps per second (docs/performance.md).
#include <benchmark/benchmark.h>

#include "reuselens/dataflow.h"

namespace {

void simulate(benchmark::State& state, reuselens::Stationary stationary,
              reuselens::BufferPolicy policy) {
  const reuselens::ConvProblem x = reuselens::parse_problem("p=64,q=64,n=28,r=3,s=1,pad=1");
  const reuselens::DataflowChoice d = reuselens::best_tiling(x, stationary, 16384);
  int64_t steps = 0;
  for (auto _ : state) {
    const auto r = reuselens::simulate(x, d.tiling, policy, 16384);
    steps += r.mac_steps;
    benchmark::DoNotOptimize(r.traffic.input_reads);
  }
  state.counters["MAC-steps/s"] =
      benchmark::Counter(static_cast<double>(steps), benchmark::Counter::kIsRate);
}

void BM_SimulateExplicitOutputStationary(benchmark::State& s) {
  simulate(s, reuselens::Stationary::kOutput, reuselens::BufferPolicy::kExplicit);
}
void BM_SimulateExplicitWeightStationary(benchmark::State& s) {
  simulate(s, reuselens::Stationary::kWeight, reuselens::BufferPolicy::kExplicit);
}
void BM_SimulateLruOutputStationary(benchmark::State& s) {
  simulate(s, reuselens::Stationary::kOutput, reuselens::BufferPolicy::kLru);
}
BENCHMARK(BM_SimulateExplicitOutputStationary)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SimulateExplicitWeightStationary)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SimulateLruOutputStationary)->Unit(benchmark::kMillisecond);

}  // namespace
