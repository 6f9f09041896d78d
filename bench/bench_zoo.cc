// Build-and-analyse throughput of the zoo: what `reuselens compare zoo:all`
// spends outside process start-up. Figures go to docs/performance.md.
#include <benchmark/benchmark.h>

#include "reuselens/metrics.h"
#include "reuselens/zoo.h"

namespace {

void BM_AnalyzeWholeZoo(benchmark::State& state) {
  const reuselens::AnalysisOptions options;
  int64_t layers = 0;
  for (auto _ : state) {
    for (const reuselens::ZooEntry& e : reuselens::zoo()) {
      const reuselens::Analysis a = reuselens::analyze(e.build(1, e.image_size), options);
      layers += static_cast<int64_t>(a.layers.size());
      benchmark::DoNotOptimize(a.total.di);
    }
  }
  state.counters["networks/s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * reuselens::zoo().size()),
                         benchmark::Counter::kIsRate);
  state.counters["layers/s"] =
      benchmark::Counter(static_cast<double>(layers), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AnalyzeWholeZoo)->Unit(benchmark::kMillisecond);

// Analysis alone over graphs built once, as a long-running caller (a NAS
// loop re-analysing candidates under several conventions) would see it.
void BM_AnalyzePrebuiltZoo(benchmark::State& state) {
  std::vector<reuselens::Graph> graphs;
  for (const reuselens::ZooEntry& e : reuselens::zoo()) graphs.push_back(e.build(1, e.image_size));
  const reuselens::AnalysisOptions options;
  for (auto _ : state) {
    for (const reuselens::Graph& g : graphs)
      benchmark::DoNotOptimize(reuselens::analyze(g, options));
  }
}
BENCHMARK(BM_AnalyzePrebuiltZoo)->Unit(benchmark::kMillisecond);

// Building alone vs analysing alone, on the largest network (Inception-ResNet-V2).
void BM_BuildInceptionResNetV2(benchmark::State& state) {
  const reuselens::ZooEntry& e = reuselens::zoo_entry("inception-resnet-v2");
  for (auto _ : state) benchmark::DoNotOptimize(e.build(1, e.image_size));
}
BENCHMARK(BM_BuildInceptionResNetV2)->Unit(benchmark::kMicrosecond);

void BM_AnalyzeInceptionResNetV2(benchmark::State& state) {
  const reuselens::ZooEntry& e = reuselens::zoo_entry("inception-resnet-v2");
  const reuselens::Graph g = e.build(1, e.image_size);
  const reuselens::AnalysisOptions options;
  for (auto _ : state) benchmark::DoNotOptimize(reuselens::analyze(g, options));
}
BENCHMARK(BM_AnalyzeInceptionResNetV2)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
