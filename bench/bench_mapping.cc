// The mapper's rate: mappings evaluated per second while searching AlexNet
// conv3 on the Eyeriss-like preset (the figure docs/performance.md reports;
// target 2,600,000 per second per core, 1,000x Timeloop's mapper on this
// machine), and one mapping counted through the public API.
#include <benchmark/benchmark.h>

#include "reuselens/mapping.h"

namespace {

const reuselens::MapProblem& conv3() {
  static const reuselens::MapProblem p =
      reuselens::parse_map_problem("K=384,C=256,P=13,Q=13,R=3,S=3");
  return p;
}

void BM_SearchAlexNetConv3Eyeriss(benchmark::State& state) {
  const reuselens::Architecture arch = reuselens::load_architecture("eyeriss-like");
  reuselens::SearchOptions o;
  o.max_evaluations = 1'000'000;
  int64_t evaluated = 0;
  for (auto _ : state) {
    const reuselens::SearchResult r = reuselens::search_mappings(arch, conv3(), o);
    evaluated += r.evaluated;
    benchmark::DoNotOptimize(r.best.front().second.energy);
  }
  state.counters["mappings/s"] =
      benchmark::Counter(static_cast<double>(evaluated), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SearchAlexNetConv3Eyeriss)->Unit(benchmark::kMillisecond);

void BM_EvaluateOneMapping(benchmark::State& state) {
  const reuselens::Architecture arch = reuselens::load_architecture("eyeriss-like");
  reuselens::SearchOptions o;
  o.max_evaluations = 10000;
  const reuselens::Mapping m = reuselens::search_mappings(arch, conv3(), o).best.front().first;
  for (auto _ : state) {
    benchmark::DoNotOptimize(reuselens::evaluate_mapping(m, arch, conv3()).energy);
  }
  state.counters["mappings/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EvaluateOneMapping)->Unit(benchmark::kMicrosecond);

}  // namespace
