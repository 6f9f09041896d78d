// The bench method with a scripted executor and replayed power: every
// number below follows from the script and the trace.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "reuselens/bench.h"
#include "reuselens/error.h"
#include "reuselens/metrics.h"
#include "reuselens/model.h"

namespace reuselens {
namespace {

// Sleeps a scripted time per inference; optionally fails on one call.
class ScriptedExecutor : public Executor {
 public:
  explicit ScriptedExecutor(std::vector<double> seconds, int64_t fail_on_call = -1)
      : seconds_(std::move(seconds)), fail_on_call_(fail_on_call) {}
  std::string runtime() const override { return "scripted"; }
  std::string description() const override { return "sleeps"; }
  void run(int64_t iterations) override {
    if (++calls_ == fail_on_call_) throw_error(ErrorCode::kIo, "scripted failure");
    for (int64_t i = 0; i < iterations; ++i) {
      const double s = seconds_[std::min(next_, seconds_.size() - 1)];
      ++next_;
      std::this_thread::sleep_for(std::chrono::duration<double>(s));
    }
  }
  int64_t calls() const { return calls_; }

 private:
  std::vector<double> seconds_;
  size_t next_ = 0;
  int64_t calls_ = 0;
  int64_t fail_on_call_;
};

std::string trace(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

BenchOptions quick() {
  BenchOptions o;
  o.repeats = 3;
  o.iterations = 10;
  o.idle_s = 0.1;
  o.warmup_min_s = 0.05;
  o.warmup_max_s = 0.5;
  o.stability_window_s = 0.1;
  return o;
}

Graph alexnet(int64_t batch) {
  LoadOptions load;
  load.batch = batch;
  return load_model("zoo:alexnet", load);
}

TEST(BenchMethod, ConstantPowerGivesEnergyPixelsAndMacsPerJoule) {
  auto meter = open_meter("replay:" + trace("bench50.csv", "t_s,watts\n0,50\n"));
  ScriptedExecutor executor({0.005});
  const Graph graph = alexnet(2);
  const BenchResult r = bench_graph(graph, executor, meter.get(), quick());
  ASSERT_TRUE(r.complete) << r.failure;
  EXPECT_EQ(r.batch, 2);
  EXPECT_EQ(r.pixels_per_image, 224 * 224);
  const int64_t mc = analyze(alexnet(1), AnalysisOptions{}).total.mc;
  EXPECT_EQ(r.mc_per_image, mc);
  ASSERT_EQ(r.repeats.size(), 3u);
  for (const BenchRepeat& rep : r.repeats) {
    EXPECT_EQ(rep.iterations, 10);
    EXPECT_GE(rep.wall_s, 0.05);
  }
  EXPECT_GE(r.inference_ms.mean, 5.0);  // sleeps are at least as long as asked
  EXPECT_LT(r.inference_ms.mean, 50.0);
  ASSERT_TRUE(r.avg_power_w && r.energy_per_batch_j && r.energy_per_pixel_j && r.macs_per_joule);
  EXPECT_NEAR(r.avg_power_w->mean, 50.0, 1e-9);
  EXPECT_NEAR(r.avg_power_w->half_width, 0.0, 1e-9);
  // E = P_avg * I_t per repeat; the means follow.
  EXPECT_NEAR(r.energy_per_batch_j->mean, 50.0 * r.inference_ms.mean / 1000, 1e-9);
  EXPECT_NEAR(r.energy_per_pixel_j->mean, r.energy_per_batch_j->mean / (2.0 * 224 * 224), 1e-12);
  double expected_macs_per_j = 0;
  for (const BenchRepeat& rep : r.repeats)
    expected_macs_per_j += 2.0 * mc / (50.0 * rep.wall_s / 10) / 3;
  EXPECT_NEAR(r.macs_per_joule->mean / expected_macs_per_j, 1.0, 1e-9);
  ASSERT_TRUE(r.idle.has_value());
  EXPECT_NEAR(r.idle->avg_power_w, 50.0, 1e-9);
  EXPECT_NEAR(r.energy_above_idle_per_batch_j->mean, 0.0, 1e-9);
  EXPECT_TRUE(r.warmup_stable);
  EXPECT_EQ(r.stability_criterion, "power");
  EXPECT_FALSE(r.integrated_vs_counter_pct.has_value());  // no counter in this trace
}

TEST(BenchMethod, StepFromIdleIsSubtracted) {
  // 20 W through the idle baseline, 120 W from 0.15 s on (warm-up and repeats).
  auto meter = open_meter("replay:" + trace("bench_step.csv", "t_s,watts\n0,20\n0.15,120\n"));
  ScriptedExecutor executor({0.004});
  BenchOptions o = quick();
  o.warmup_min_s = 0.3;  // past the step, so the power window is flat again
  const BenchResult r = bench_graph(alexnet(1), executor, meter.get(), o);
  ASSERT_TRUE(r.complete) << r.failure;
  EXPECT_NEAR(r.idle->avg_power_w, 20.0, 1e-9);
  EXPECT_NEAR(r.avg_power_w->mean, 120.0, 1e-9);
  EXPECT_NEAR(r.energy_above_idle_per_batch_j->mean, 100.0 * r.inference_ms.mean / 1000, 1e-9);
}

TEST(BenchMethod, CounterAgainstIntegratedSamples) {
  auto meter = open_meter("replay:" + trace("bench_ctr.csv", "t_s,watts,energy_j\n0,70,0\n"));
  ScriptedExecutor executor({0.003});
  const BenchResult r = bench_graph(alexnet(1), executor, meter.get(), quick());
  ASSERT_TRUE(r.complete) << r.failure;
  EXPECT_TRUE(r.repeats.front().energy->from_counter);
  ASSERT_TRUE(r.integrated_vs_counter_pct.has_value());
  EXPECT_NEAR(*r.integrated_vs_counter_pct, 0.0, 1e-6);  // constant power: both agree
  EXPECT_NEAR(r.avg_power_w->mean, 70.0, 1e-6);
}

TEST(BenchMethod, MeterFailingMidRunMarksTheResultFailed) {
  auto meter = open_meter("replay:" + trace("bench_fail.csv", "t_s,watts\n0,50\n0.3,fail\n"));
  ScriptedExecutor executor({0.01});
  BenchOptions o = quick();
  o.iterations = 20;  // each repeat 0.2 s: the meter fails in the first or second
  const BenchResult r = bench_graph(alexnet(1), executor, meter.get(), o);
  EXPECT_FALSE(r.complete);
  EXPECT_NE(r.failure.find("meter failed during"), std::string::npos) << r.failure;
  EXPECT_TRUE(r.repeats.empty());  // nothing averaged over what was left
  EXPECT_FALSE(r.avg_power_w.has_value());
}

TEST(BenchMethod, ExecutorFailureMarksTheResultFailed) {
  ScriptedExecutor executor({0.001}, /*fail_on_call=*/3);
  BenchOptions o = quick();
  o.warmup_min_s = 0;
  o.warmup_max_s = 0;  // one warm-up call, then repeats: the second repeat fails
  const BenchResult r = bench_graph(alexnet(1), executor, nullptr, o);
  EXPECT_FALSE(r.complete);
  EXPECT_NE(r.failure.find("repeat 2/3: scripted failure"), std::string::npos) << r.failure;
  EXPECT_TRUE(r.repeats.empty());
}

TEST(BenchMethod, WarmUpWaitsForStableIterationTimes) {
  // Without a meter: slow first iterations, then steady 2 ms.
  ScriptedExecutor executor({0.03, 0.02, 0.012, 0.008, 0.002});
  BenchOptions o = quick();
  o.warmup_min_s = 0;
  o.idle_s = 0;
  const BenchResult r = bench_graph(alexnet(1), executor, nullptr, o);
  ASSERT_TRUE(r.complete) << r.failure;
  EXPECT_TRUE(r.warmup_stable);
  EXPECT_EQ(r.stability_criterion, "iteration time");
  EXPECT_GE(r.warmup_iterations, 9);  // four slow ones, then five steady
  EXPECT_FALSE(r.avg_power_w.has_value());
  EXPECT_FALSE(r.idle.has_value());
}

TEST(BenchMethod, UnstableWarmUpIsFlaggedNotHidden) {
  // Alternating 1 ms / 10 ms never settles; warm-up stops at its maximum.
  std::vector<double> jitter;
  for (int i = 0; i < 400; ++i) jitter.push_back(i % 2 ? 0.001 : 0.01);
  ScriptedExecutor executor(jitter);
  BenchOptions o = quick();
  o.warmup_min_s = 0;
  o.warmup_max_s = 0.1;
  o.idle_s = 0;
  o.repeats = 2;
  o.iterations = 2;
  const BenchResult r = bench_graph(alexnet(1), executor, nullptr, o);
  ASSERT_TRUE(r.complete);
  EXPECT_FALSE(r.warmup_stable);
  EXPECT_GE(r.warmup_s, 0.1);
}

TEST(BenchMethod, AutomaticIterationCountFillsTheRepeat) {
  ScriptedExecutor executor({0.004});
  BenchOptions o = quick();
  o.iterations = 0;
  o.min_repeat_s = 0.1;
  o.idle_s = 0;
  const BenchResult r = bench_graph(alexnet(1), executor, nullptr, o);
  ASSERT_TRUE(r.complete);
  // About 0.1 s / 4 ms = 25 iterations (sleep overshoot makes it fewer).
  EXPECT_GE(r.repeats.front().iterations, 10);
  EXPECT_LE(r.repeats.front().iterations, 25);
  EXPECT_GE(r.repeats.front().wall_s, 0.08);
}

TEST(BenchMethod, LayerProfileNeedsAnExecutorThatCanTimeLayers) {
  ScriptedExecutor executor({0.001});
  BenchOptions o = quick();
  o.idle_s = 0;
  o.layer_iterations = 2;
  try {
    bench_graph(alexnet(1), executor, nullptr, o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUsage);
    EXPECT_NE(e.message().find("cannot time single layers"), std::string::npos);
  }
}

TEST(BenchMethod, BadOptionsAreUsageErrors) {
  ScriptedExecutor executor({0.001});
  BenchOptions o = quick();
  o.repeats = 0;
  try {
    bench_graph(alexnet(1), executor, nullptr, o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUsage);
  }
  o = quick();
  o.warmup_max_s = 0.01;
  o.warmup_min_s = 1;
  EXPECT_THROW(bench_graph(alexnet(1), executor, nullptr, o), Error);
}

}  // namespace
}  // namespace reuselens
