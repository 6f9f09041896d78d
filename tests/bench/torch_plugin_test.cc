// End to end through the LibTorch plugin on the CPU: a small zoo network is
// built, shape-checked against reuselens, run and measured. Skipped when
// reuselens was built without LibTorch.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "reuselens/bench.h"
#include "reuselens/builder.h"
#include "reuselens/correlate.h"
#include "reuselens/error.h"
#include "reuselens/model.h"
#include "test_util.h"

namespace reuselens {
namespace {

namespace fs = std::filesystem;

const std::string kPlugin = REUSELENS_TEST_TORCH_PLUGIN;

#define REQUIRE_TORCH_PLUGIN() \
  if (kPlugin.empty()) GTEST_SKIP() << "built without LibTorch (no libtorch-dev)"

std::string trace(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

BenchRequest small_request(const std::string& csv) {
  BenchRequest q;
  q.models = {"zoo:squeezenet11"};
  q.batches = {1, 2};
  q.meter = "replay:" + trace("torch60.csv", "t_s,watts\n0,60\n");
  q.label = "test-cpu";
  q.append = csv;
  q.options.plugin = kPlugin;
  q.options.repeats = 2;
  q.options.iterations = 2;
  q.options.idle_s = 0.05;
  q.options.warmup_min_s = 0;
  q.options.warmup_max_s = 0;
  return q;
}

TEST(TorchPlugin, RunsASmallZooNetworkAndAppendsRows) {
  REQUIRE_TORCH_PLUGIN();
  const std::string csv = ::testing::TempDir() + "/torch_rows.csv";
  fs::remove(csv);
  std::vector<std::string> stages;
  const BenchSuite s =
      run_bench(small_request(csv), [&](const BenchProgress& p) { stages.push_back(p.stage); });
  ASSERT_EQ(s.results.size(), 2u);
  for (const BenchResult& r : s.results) {
    ASSERT_TRUE(r.complete) << r.failure;
    EXPECT_NE(r.runtime.find("LibTorch"), std::string::npos);
    EXPECT_GT(r.inference_ms.mean, 0.0);
    EXPECT_NEAR(r.avg_power_w->mean, 60.0, 1e-9);
  }
  EXPECT_EQ(s.results[1].batch, 2);
  EXPECT_EQ(stages.back(), "done");
  // The rows are what `correlate` reads.
  const auto rows = load_measurements(csv);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].model, "zoo:squeezenet11");
  EXPECT_EQ(rows[0].device, "test-cpu");
  EXPECT_EQ(rows[1].batch, 2);
  EXPECT_NEAR(rows[0].avg_power_w, 60.0, 1e-6);
  EXPECT_EQ(measurement_model_spec(rows[0]), "zoo:squeezenet11");
  // A second run resumes: both rows are there, nothing is measured again.
  const BenchSuite again = run_bench(small_request(csv));
  EXPECT_TRUE(again.results.empty());
  EXPECT_EQ(again.skipped.size(), 2u);
  EXPECT_EQ(load_measurements(csv).size(), 2u);
}

TEST(TorchPlugin, RefusesToMixWithAnotherCsv) {
  REQUIRE_TORCH_PLUGIN();
  const std::string csv = trace("other.csv", "model,device,batch,inference_ms,avg_power_w\n");
  try {
    run_bench(small_request(csv));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUsage);
    EXPECT_NE(e.message().find("columns differ"), std::string::npos);
  }
}

TEST(TorchPlugin, EveryCaffeOpRunsWithMatchingShapes) {
  REQUIRE_TORCH_PLUGIN();
  // LRN, ceil-mode pooling with padding, grouped conv, Caffe BN + Scale,
  // concat, eltwise add, global pooling, dropout, FC and softmax in one net.
  GraphBuilder b("every-op", {1, 3, 33, 33});
  auto x = b.conv(b.input(), 8, {.kernel = 3, .stride = 2, .pad = 1});
  x = b.lrn(b.relu(x), 5);
  x = b.max_pool(x, {.kernel = 3, .stride = 2});
  auto y = b.conv_bn(x, 8, {.kernel = 3, .pad = 1, .group = 2});
  auto z = b.conv(x, 8, {.kernel = 1});
  x = b.concat({b.add({y, z}), z});
  x = b.avg_pool(x, {.kernel = 3, .stride = 2, .pad = 1});
  x = b.dropout(b.global_avg_pool(x));
  b.softmax(b.fc(x, 10));
  auto executor = open_executor(b.finish(), "cpu", kPlugin);
  EXPECT_NO_THROW(executor->run(2));
  EXPECT_NE(executor->description().find("float32"), std::string::npos);
}

TEST(TorchPlugin, UnsupportedOpNamesTheNode) {
  REQUIRE_TORCH_PLUGIN();
  Graph g;
  g.name = "leaky";
  const int x = g.add_tensor({.name = "x", .shape = {1, 4, 8, 8}});
  const int y = g.add_tensor({.name = "y", .shape = {1, 4, 8, 8}});
  Node act;
  act.name = "my_act";
  act.op_type = "LeakyRelu";
  act.inputs = {x};
  act.outputs = {y};
  g.add_node(act);
  g.inputs = {x};
  g.outputs = {y};
  try {
    open_executor(g, "cpu", kPlugin);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
    EXPECT_NE(e.message().find("node 'my_act' (LeakyRelu)"), std::string::npos) << e.message();
  }
}

// PyTorch's own exports: the ops they add (Pad, Clip, Flatten, ...) run too,
// and shapes agree with reuselens's ONNX import.
TEST(TorchPlugin, RunsOnnxExports) {
  REQUIRE_TORCH_PLUGIN();
  if (!onnx_available()) GTEST_SKIP() << "built without libonnx";
  for (const char* name : {"resnet18", "mobilenet_v2", "inception_v3", "squeezenet1_1"}) {
    const Graph g =
        load_model(testing::source_path(std::string("tests/data/onnx/") + name + ".onnx"));
    auto executor = open_executor(g, "cpu", kPlugin);
    EXPECT_NO_THROW(executor->run(1)) << name;
  }
}

TEST(TorchPlugin, MissingDeviceIsAnIoError) {
  REQUIRE_TORCH_PLUGIN();
  try {
    open_executor(load_model("zoo:alexnet"), "cuda:7", kPlugin);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    EXPECT_NE(e.message().find("cuda:7"), std::string::npos) << e.message();
  }
}

TEST(TorchPlugin, CliBenchPrintsTheTableAndRows) {
  REQUIRE_TORCH_PLUGIN();
  const std::string power = trace("cli60.csv", "t_s,watts\n0,60\n");
  const std::string common =
      "bench zoo:squeezenet11 --repeats 2 --iterations 1 --idle 0 "
      "--warmup-min 0 --warmup-max 0 --quiet --plugin " +
      kPlugin + " --meter replay:" + power + " --label cpu";
  const auto table = testing::run_cli(common);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("b1 I_t ms"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("SqueezeNet-V1.1"), std::string::npos);
  const auto csv = testing::run_cli(common + " --format csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind(bench_csv_header() + "\n", 0), 0u);
  EXPECT_NE(csv.out.find("zoo:squeezenet11,cpu,1,"), std::string::npos);
}

// Per-layer times: one per node, shares summing to one, counts and the
// roofline's bound beside them.
TEST(TorchPlugin, LayerProfileAgainstARoofline) {
  REQUIRE_TORCH_PLUGIN();
  const Graph graph = load_model("zoo:squeezenet11");
  auto executor = open_executor(graph, "cpu", kPlugin);
  BenchOptions o;
  o.repeats = 2;
  o.iterations = 1;
  o.idle_s = 0;
  o.warmup_min_s = 0;
  o.warmup_max_s = 0;
  o.layer_iterations = 2;
  o.hardware = "p100";
  const BenchResult r = bench_graph(graph, *executor, nullptr, o);
  ASSERT_TRUE(r.complete) << r.failure;
  ASSERT_EQ(r.layers.size(), graph.nodes().size());
  double share = 0;
  for (const LayerTiming& t : r.layers) {
    EXPECT_GE(t.seconds, 0.0);
    share += t.share;
    if (t.op_type == "Conv") {
      EXPECT_GT(t.flops, 0) << t.name;
      EXPECT_GT(t.bytes, 0) << t.name;
      EXPECT_FALSE(t.bound.empty()) << t.name;
      EXPECT_GT(t.roofline_s, 0.0) << t.name;
      EXPECT_NEAR(t.achieved_flops_per_s, static_cast<double>(t.flops) / t.seconds,
                  1e-6 * t.flops / t.seconds);
    }
  }
  EXPECT_NEAR(share, 1.0, 1e-9);
  EXPECT_EQ(r.layers.front().name, graph.nodes().front().name);
  EXPECT_EQ(r.hardware, "p100");
  // The whole inference is about the sum of its layers (sync per layer adds a little).
  double total = 0;
  for (const LayerTiming& t : r.layers) total += t.seconds;
  EXPECT_GT(total, 0.3 * r.inference_ms.mean / 1000);
  EXPECT_LT(total, 3.0 * r.inference_ms.mean / 1000);

  const auto cli = testing::run_cli(
      "bench zoo:g-sqnxt23 --repeats 2 --iterations 1 "
      "--warmup-min 0 --warmup-max 0 --quiet --layers 1 --hw v100 "
      "--plugin " +
      kPlugin);
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find("roofline: "), std::string::npos) << cli.out;
  EXPECT_NE(cli.out.find("% of roofline"), std::string::npos);
  const auto bad = testing::run_cli(
      "bench zoo:g-sqnxt23 --quiet --layers 1 --hw no-such-gpu "
      "--plugin " +
      kPlugin);
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
}

// --batch decides N even when --input names one.
TEST(TorchPlugin, BatchListWinsOverTheInputShapesN) {
  REQUIRE_TORCH_PLUGIN();
  const auto r = testing::run_cli(
      "bench zoo:squeezenet11 --input 1x3x64x64 --batch 2,3 --repeats 2 --iterations 1 "
      "--warmup-min 0 --warmup-max 0 --quiet --format json --plugin " +
      kPlugin);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["results"].size(), 2u);
  EXPECT_EQ(doc["results"][0]["batch"], 2);
  EXPECT_EQ(doc["results"][1]["batch"], 3);
  EXPECT_EQ(doc["results"][1]["pixels_per_image"], 64 * 64);
}

// The whole pipeline: networks run, rows appended, `correlate` reads them.
TEST(TorchPlugin, BenchRowsFeedCorrelate) {
  REQUIRE_TORCH_PLUGIN();
  const std::string csv = ::testing::TempDir() + "/pipeline.csv";
  fs::remove(csv);
  const std::string power = trace("pipeline60.csv", "t_s,watts\n0,60\n");
  const auto run = testing::run_cli(
      "bench zoo:squeezenet10 zoo:squeezenet11 zoo:sqnxt23 zoo:g-sqnxt23 --repeats 2 "
      "--iterations 1 --idle 0 --warmup-min 0 --warmup-max 0 --quiet --plugin " +
      kPlugin + " --meter replay:" + power + " --label cpu --append " + csv);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto c = testing::run_cli("correlate --measurements " + csv + " --format json");
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_NE(c.out.find("\"device\": \"cpu\""), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("\"pearson\""), std::string::npos);
}

}  // namespace

// Errors that need no plugin at all.
TEST(BenchCli, AppendWithoutAMeterIsAUsageError) {
  const auto r = testing::run_cli("bench zoo:alexnet --meter none --append /tmp/x.csv --quiet");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--append writes energy rows"), std::string::npos) << r.err;
}

TEST(BenchCli, MissingPluginIsAnIoError) {
  const auto r = testing::run_cli("bench zoo:alexnet --plugin /nonexistent/plugin.so --quiet");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("/nonexistent/plugin.so"), std::string::npos) << r.err;
}

TEST(BenchCli, BadBatchListIsAUsageError) {
  const auto r = testing::run_cli("bench zoo:alexnet --batch 1,x --quiet");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("'x'"), std::string::npos) << r.err;
}

}  // namespace reuselens
