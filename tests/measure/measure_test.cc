#include "reuselens/measure.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "reuselens/correlate.h"
#include "reuselens/error.h"
#include "test_util.h"

namespace reuselens {
namespace {

namespace fs = std::filesystem;

std::vector<PowerSample> constant(double watts, double seconds, double period) {
  std::vector<PowerSample> s;
  for (double t = 0; t <= seconds + 1e-9; t += period) s.push_back({t, watts, std::nullopt});
  return s;
}

TEST(Summarize, ConstantPowerAndSteps) {
  const EnergySummary c = summarize(constant(40, 2.0, 0.01));
  EXPECT_NEAR(c.energy_j, 80.0, 1e-9);
  EXPECT_NEAR(c.avg_power_w, 40.0, 1e-9);
  EXPECT_NEAR(c.sample_rate_hz, 100.0, 1e-6);
  EXPECT_FALSE(c.from_counter);
  // 10 W for 1 s then 30 W for 1 s, sampled at the edges: trapezoids.
  const std::vector<PowerSample> steps = {{0, 10, {}}, {1, 10, {}}, {1, 30, {}}, {2, 30, {}}};
  const EnergySummary s = summarize(steps);
  EXPECT_DOUBLE_EQ(s.energy_j, 40.0);
  EXPECT_DOUBLE_EQ(s.avg_power_w, 20.0);
  EXPECT_DOUBLE_EQ(s.peak_power_w, 30.0);
}

TEST(Summarize, CounterDeltasAndWrapAround) {
  const std::vector<PowerSample> counter = {{0, 0, 100.0}, {1, 0, 150.0}, {2, 0, 230.0}};
  const EnergySummary c = summarize(counter);
  EXPECT_TRUE(c.from_counter);
  EXPECT_DOUBLE_EQ(c.energy_j, 130.0);
  EXPECT_DOUBLE_EQ(c.peak_power_w, 80.0);
  // The counter wraps at 262.144 J between the second and third samples.
  const std::vector<PowerSample> wrapped = {{0, 0, 200.0}, {1, 0, 250.0}, {2, 0, 10.0}};
  EXPECT_NEAR(summarize(wrapped, 262.144).energy_j, 50.0 + (262.144 - 250.0) + 10.0, 1e-9);
  EXPECT_THROW(summarize(wrapped, 0), Error);  // backwards with no stated range
}

TEST(Stability, Criterion) {
  EXPECT_TRUE(power_stable(constant(100, 1.0, 0.01)));
  std::vector<PowerSample> ramp;
  for (int i = 0; i < 50; ++i) ramp.push_back({i * 0.01, 100.0 + 2.0 * i, {}});
  EXPECT_FALSE(power_stable(ramp));  // drift across the window
  std::vector<PowerSample> noisy;
  for (int i = 0; i < 50; ++i) noisy.push_back({i * 0.01, i % 2 ? 80.0 : 120.0, {}});
  EXPECT_FALSE(power_stable(noisy));                      // 20 % coefficient of variation
  EXPECT_FALSE(power_stable(constant(100, 0.05, 0.01)));  // too few samples
}

std::string trace(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(ReplayMeter, IdleSubtractionArithmetic) {
  // 20 W through the idle baseline (0.2 s) and a little beyond, then 80 W.
  auto meter = open_meter("replay:" + trace("step.csv", "t_s,watts\n0,20\n0.26,80\n"));
  MeasureOptions o;
  o.command = {"sleep", "0.4"};
  o.idle_s = 0.2;
  const MeasureResult r = measure_command(*meter, o);
  ASSERT_TRUE(r.complete) << r.failure;
  EXPECT_NEAR(r.idle.avg_power_w, 20.0, 1e-9);
  EXPECT_GT(r.run.avg_power_w, 60.0);  // mostly 80 W; the first ~0.06 s still read 20 W
  EXPECT_LT(r.run.avg_power_w, 80.0);
  EXPECT_NEAR(r.energy_above_idle_j, r.run.energy_j - 20.0 * r.run.duration_s, 1e-9);
  EXPECT_GT(r.run.samples, 20);
  EXPECT_GE(r.wall_s, 0.3);
}

TEST(ReplayMeter, CounterTraceWithWrap) {
  auto meter =
      open_meter("replay:" + trace("counter.csv", "# wrap_j=5\nt_s,watts,energy_j\n0,40,0\n"));
  MeasureOptions o;
  o.command = {"sleep", "0.3"};
  o.idle_s = 0;
  const MeasureResult r = measure_command(*meter, o);
  ASSERT_TRUE(r.complete) << r.failure;
  EXPECT_TRUE(r.run.from_counter);
  EXPECT_NEAR(r.run.avg_power_w, 40.0, 0.5);  // 40 W wraps a 5 J counter every 0.125 s
}

TEST(ReplayMeter, MeterFailingMidRunIsMarkedNotAveraged) {
  auto meter = open_meter("replay:" + trace("fail.csv", "t_s,watts\n0,50\n0.1,fail\n"));
  MeasureOptions o;
  o.command = {"sleep", "0.3"};
  o.idle_s = 0;
  const MeasureResult r = measure_command(*meter, o);
  EXPECT_FALSE(r.complete);
  EXPECT_NE(r.failure.find("meter failed during the run"), std::string::npos) << r.failure;
  EXPECT_EQ(r.run.samples, 0);
}

TEST(ReplayMeter, WorkloadFailuresAreReported) {
  auto meter = open_meter("replay:" + trace("c.csv", "t_s,watts\n0,50\n"));
  MeasureOptions o;
  o.idle_s = 0;
  o.command = {"false"};
  MeasureResult r = measure_command(*meter, o);
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(r.exit_code, 1);
  o.command = {"sh", "-c", "kill -9 $$"};
  r = measure_command(*meter, o);
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(r.signal, 9);
  EXPECT_NE(r.failure.find("killed by signal 9"), std::string::npos);
  o.command = {"/nonexistent/workload"};
  r = measure_command(*meter, o);
  EXPECT_FALSE(r.complete);
}

TEST(RaplMeter, FakePowercapWithWrap) {
  const fs::path root = fs::path(::testing::TempDir()) / "powercap";
  fs::remove_all(root);
  fs::create_directories(root / "intel-rapl:0");
  std::ofstream(root / "intel-rapl:0" / "name") << "package-0\n";
  std::ofstream(root / "intel-rapl:0" / "max_energy_range_uj") << "1000000\n";
  std::ofstream(root / "intel-rapl:0" / "energy_uj") << "900000\n";
  setenv("REUSELENS_POWERCAP_ROOT", root.c_str(), 1);
  auto meter = open_meter("rapl");
  std::ofstream(root / "intel-rapl:0" / "energy_uj") << "950000\n";
  const PowerSample a = meter->read();
  std::ofstream(root / "intel-rapl:0" / "energy_uj") << "50000\n";  // wrapped past 1 J
  const PowerSample b = meter->read();
  EXPECT_NEAR(*b.counter_j - *a.counter_j, 0.1, 1e-12);
  EXPECT_THROW(open_meter("rapl:dram"), Error);  // no DRAM domain in the fake tree
  unsetenv("REUSELENS_POWERCAP_ROOT");
}

TEST(Meters, UnknownAndUnavailable) {
  EXPECT_THROW(open_meter("geiger"), Error);
  EXPECT_THROW(open_meter("nvml:x"), Error);
  EXPECT_THROW(open_meter("replay:/nonexistent.csv"), Error);
  try {
    open_meter("nvml:0");  // this machine has no NVIDIA driver; a GPU machine opens it
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    EXPECT_NE(std::string(e.what()).find("NVML"), std::string::npos);
  }
}

TEST(CliMeasure, AppendsARowCorrelateCanRead) {
  const std::string csv = ::testing::TempDir() + "/runs.csv";
  std::remove(csv.c_str());
  const std::string t = trace("m.csv", "t_s,watts\n0,60\n");
  auto r = testing::run_cli(
      "measure --meter replay:" + t + " --idle 0.1 --append " + csv +
      " --model zoo:alexnet --device test-gpu --batch 4 --iterations 10 -- sleep 0.2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("status: complete"), std::string::npos);
  const auto rows = parse_measurements(testing::read_text(csv), csv);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].batch, 4);
  EXPECT_NEAR(rows[0].avg_power_w, 60.0, 1e-6);
  EXPECT_NEAR(rows[0].inference_ms, 20.0, 5.0);  // 0.2 s over 10 iterations
  EXPECT_EQ(rows[0].extra.at("meter"), "replay:" + t);
  EXPECT_FALSE(rows[0].extra.at("reuselens_version").empty());
  // A failed workload writes nothing and exits non-zero.
  r = testing::run_cli("measure --meter replay:" + t + " --idle 0 --append " + csv +
                       " --model zoo:alexnet --device test-gpu -- false");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("measurement incomplete"), std::string::npos);
  EXPECT_EQ(parse_measurements(testing::read_text(csv), csv).size(), 1u);
  // A file with other columns is refused, not mixed, and left as it was.
  const std::string other = trace("other_columns.csv", "model,device,batch\n");
  r = testing::run_cli("measure --meter replay:" + t + " --idle 0 --append " + other +
                       " --model zoo:alexnet --device test-gpu -- true");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("columns differ"), std::string::npos) << r.err;
  EXPECT_EQ(testing::read_text(other), "model,device,batch\n");
}

// The NVML meter against a stand-in libnvidia-ml.so.1 (tests/measure/fake_nvml):
// the counter is used for energy, the instant-power field for samples, and
// the device's name, driver, clocks and temperature reach the output.
TEST(CliMeasure, NvmlMeterThroughAStandInLibrary) {
  const char* old_path = std::getenv("LD_LIBRARY_PATH");
  const std::string saved = old_path ? old_path : "";
  setenv("LD_LIBRARY_PATH", REUSELENS_FAKE_NVML_DIR, 1);
  const auto r = testing::run_cli("measure --meter nvml:0 --idle 0.1 --format json -- sleep 0.3");
  const auto bad = testing::run_cli("measure --meter nvml:3 -- true");
  if (old_path) {
    setenv("LD_LIBRARY_PATH", saved.c_str(), 1);
  } else {
    unsetenv("LD_LIBRARY_PATH");
  }
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_TRUE(doc["run"]["from_counter"].get<bool>());
  EXPECT_NEAR(doc["run"]["avg_power_w"].get<double>(), 100.0, 1.0);  // counter at 100 W
  EXPECT_NEAR(doc["idle"]["avg_power_w"].get<double>(), 100.0, 2.0);
  EXPECT_GE(doc["run"]["energy_j"].get<double>(), 29.0);  // 0.3 s at 100 W
  EXPECT_EQ(doc["conditions_start"]["device"], "Fake GPU 80GB");
  EXPECT_EQ(doc["conditions_start"]["driver"], "999.1");
  EXPECT_EQ(doc["conditions_start"]["sm_clock_mhz"], "1980");
  EXPECT_EQ(doc["conditions_end"]["temperature_c"], "41");
  EXPECT_EQ(doc["conditions_start"]["power_reading"], "instant (NVML_FI_DEV_POWER_INSTANT)");
  // Samples are the instant field (100 W), not the 1 s average (90 W).
  EXPECT_NEAR(doc["run"]["peak_power_w"].get<double>(), 100.0, 15.0);
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_NE(bad.err.find("no GPU with index 3"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace reuselens
