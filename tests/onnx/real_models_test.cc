// ONNX as applications ship it: third-party models (tests/data/onnx/real,
// figures in its README) and small models of each format feature
// (tests/data/onnx/formats, written by tools/onnx_fixtures/
// make_format_fixtures.py with hand-computed truth in formats_truth.json).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "reuselens/error.h"
#include "reuselens/metrics.h"
#include "reuselens/model.h"
#include "test_util.h"

namespace reuselens {
namespace {

using testing::read_text;
using testing::source_path;

Analysis conv_fc(const std::string& path, const LoadOptions& load = {}) {
  AnalysisOptions o;
  o.convention = convention_by_name("conv-fc");
  return analyze(load_model(source_path(path), load), o);
}

bool has_note(const Analysis& a, const std::string& fragment) {
  return std::any_of(a.notes.begin(), a.notes.end(),
                     [&](const std::string& n) { return n.find(fragment) != std::string::npos; });
}

void expect_all_counted(const Analysis& a) {
  EXPECT_EQ(a.coverage.counted, a.coverage.total) << a.coverage.summary();
}

const nlohmann::json& truth(const std::string& model) {
  static const nlohmann::json doc =
      nlohmann::json::parse(read_text(source_path("tests/data/onnx/formats/formats_truth.json")));
  return doc["models"][model];
}

struct RealCase {
  const char* file;
  std::map<std::string, std::vector<int64_t>> inputs;
  std::map<std::string, int64_t> dims;
  int64_t mc, w;
};

TEST(RealModels, CountedAsTheREADMESays) {
  const RealCase cases[] = {
      {"ppocr_v4_det", {{"x", {1, 3, 640, 640}}}, {}, 2301935744, 1171488},
      {"ppocr_v4_rec", {{"x", {1, 3, 48, 320}}}, {}, 702469440, 2688397},
      {"ppocr_mobile_v2_cls", {{"x", {1, 3, 48, 192}}}, {}, 16315376, 129356},
      {"silero_vad_16k_op15", {}, {{"sequence", 512}}, 563968, 309633},
      {"silero_vad_op18_ifless", {}, {{"sequence", 512}}, 563968, 309633},
      {"openwakeword_hello_deepa", {}, {}, 77856, 78049},
  };
  for (const RealCase& c : cases) {
    LoadOptions load;
    load.named_input_shapes = c.inputs;
    load.dims = c.dims;
    const Analysis a = conv_fc(std::string("tests/data/onnx/real/") + c.file + ".onnx", load);
    expect_all_counted(a);
    EXPECT_EQ(a.total.mc, c.mc) << c.file;
    EXPECT_EQ(a.total.w, c.w) << c.file;
  }
}

TEST(RealModels, PaddleWeightsInConstantNodesAreParameters) {
  LoadOptions load;
  load.named_input_shapes["x"] = {1, 3, 640, 640};
  const Analysis a = conv_fc("tests/data/onnx/real/ppocr_v4_det.onnx", load);
  EXPECT_TRUE(has_note(a, "342 Constant nodes")) << a.notes.size();
  // Every Conv has its weight as a parameter: W is far above the biases alone.
  int64_t conv_weights = 0;
  for (const LayerMetrics& l : a.layers) {
    if (l.kind == "conv") conv_weights += l.weights;
  }
  EXPECT_GT(conv_weights, 1000000);
}

TEST(RealModels, SymbolicDimsListedWithTheFlagsThatCloseThem) {
  try {
    load_model(source_path("tests/data/onnx/real/ppocr_v4_det.onnx"));
    ADD_FAILURE() << "open dims accepted";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
    EXPECT_NE(what.find("--dim p2o.DynamicDimension.1=N"), std::string::npos) << what;
    EXPECT_NE(what.find("--dim p2o.DynamicDimension.2=N"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos);
  }
  LoadOptions by_dims;
  by_dims.dims = {{"p2o.DynamicDimension.1", 640}, {"p2o.DynamicDimension.2", 640}};
  EXPECT_EQ(conv_fc("tests/data/onnx/real/ppocr_v4_det.onnx", by_dims).total.mc, 2301935744);
}

TEST(RealModels, TwoExportsOfOneNetworkAgree) {
  // The op15 export runs an LSTM node, the op18 one two Gemms per step:
  // one network, the same MACs and weights (shared slices counted once).
  LoadOptions load;
  load.dims["sequence"] = 512;
  const Analysis a = conv_fc("tests/data/onnx/real/silero_vad_16k_op15.onnx", load);
  const Analysis b = conv_fc("tests/data/onnx/real/silero_vad_op18_ifless.onnx", load);
  EXPECT_EQ(a.total.mc, b.total.mc);
  EXPECT_EQ(a.total.w, b.total.w);
  EXPECT_TRUE(has_note(a, "(If): its condition is known"));
  EXPECT_TRUE(has_note(b, "opset 18 is newer than libonnx 1.12 knows (17)"));
  EXPECT_TRUE(has_note(b, "ReduceMean x2, Split x2"));
  EXPECT_TRUE(has_note(b, "(If): its condition depends on input values"));
  load.values["sr"] = 16000;
  const Analysis decided = conv_fc("tests/data/onnx/real/silero_vad_op18_ifless.onnx", load);
  EXPECT_TRUE(has_note(decided, "(If): its condition is known, true"));
  EXPECT_TRUE(has_note(decided, "input 'sr' is the constant 16000 (--value)"));
}

TEST(FormatFixtures, ConstantWeights) {
  const auto& t = truth("constant_weights");
  const Analysis a = conv_fc("tests/data/onnx/formats/constant_weights.onnx");
  EXPECT_EQ(a.total.mc, t["macs"]);
  EXPECT_EQ(a.total.w, t["weights"]);
}

TEST(FormatFixtures, IfTakesTheKnownBranchOrTheCostlier) {
  const auto& t = truth("if_sample_rate");
  const std::string path = "tests/data/onnx/formats/if_sample_rate.onnx";
  const Analysis undecided = conv_fc(path);
  EXPECT_EQ(undecided.total.mc, t["then_macs"]);
  EXPECT_TRUE(has_note(undecided, "counted the then branch (the costlier: 20k MACs against 10k)"));
  LoadOptions rate;
  rate.values["sr"] = 8000;
  EXPECT_EQ(conv_fc(path, rate).total.mc, t["else_macs"]);
  rate.values["sr"] = 16000;
  EXPECT_EQ(conv_fc(path, rate).total.mc, t["then_macs"]);
  LoadOptions not_scalar;
  not_scalar.values["x"] = 1;
  EXPECT_THROW(conv_fc(path, not_scalar), Error);
}

TEST(FormatFixtures, LoopNeedsItsTripCount) {
  const auto& t = truth("loop_counter");
  const std::string path = "tests/data/onnx/formats/loop_counter.onnx";
  try {
    conv_fc(path);
    ADD_FAILURE() << "a loop without a trip count was counted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--trip-count unroll=N"), std::string::npos) << e.what();
  }
  LoadOptions five;
  five.trip_counts["unroll"] = 5;
  const Analysis a = conv_fc(path, five);
  EXPECT_EQ(a.total.mc, 5 * t["macs_per_step"].get<int64_t>());
  EXPECT_EQ(a.total.w, t["weights"]);  // read by every run, counted once
  LoadOptions every;
  every.trip_counts[""] = 3;
  EXPECT_EQ(conv_fc(path, every).total.mc, 3 * t["macs_per_step"].get<int64_t>());
  LoadOptions from_input;
  from_input.values["steps"] = 7;  // a constant trip count decides it too
  EXPECT_EQ(conv_fc(path, from_input).total.mc, 7 * t["macs_per_step"].get<int64_t>());
}

TEST(FormatFixtures, ScanRunsItsBodyOverTheSequence) {
  const auto& t = truth("scan_rnn");
  const Analysis a = conv_fc("tests/data/onnx/formats/scan_rnn.onnx");
  EXPECT_EQ(a.total.mc, t["macs"]);
  EXPECT_EQ(a.total.w, t["weights"]);
  const auto step = std::find_if(a.layers.begin(), a.layers.end(),
                                 [](const LayerMetrics& l) { return l.op_type == "MatMul"; });
  ASSERT_NE(step, a.layers.end());
  EXPECT_EQ(step->repeats, 10);
}

TEST(FormatFixtures, NewerOpsetsLoweredOrShapedByTheRegistry) {
  const auto& t = truth("opset18");
  const Analysis a = conv_fc("tests/data/onnx/formats/opset18.onnx");
  expect_all_counted(a);
  EXPECT_EQ(a.total.mc, t["macs"]);
  EXPECT_EQ(a.layers.back().output_shape, t["output"].get<std::vector<int64_t>>());
  EXPECT_TRUE(has_note(a, "rewritten to their opset-17 form: ReduceMean x1, Split x1"));
  EXPECT_TRUE(has_note(a, "shaped by reuselens: GroupNormalization x1, Pad x1"));
}

TEST(FormatFixtures, OnnxruntimeContribOps) {
  const auto& t = truth("contrib");
  const Analysis a = conv_fc("tests/data/onnx/formats/contrib.onnx");
  expect_all_counted(a);
  EXPECT_EQ(a.total.mc, t["macs"]);
  // The 4-bit weights count at their stored width: 2048 bytes for two
  // 64 x 32 matrices, beside their fp32 scales.
  for (const LayerMetrics& l : a.layers) {
    if (l.op_type == "com.microsoft.MatMulNBits") EXPECT_EQ(l.weights, 64 * 32);
  }
  EXPECT_EQ(a.total.weight_bytes, 35840);
}

TEST(FormatFixtures, RecurrentEinsumAndLowBitTypes) {
  for (const char* model : {"lstm", "gru", "rnn"}) {
    const Analysis a = conv_fc(std::string("tests/data/onnx/formats/") + model + ".onnx");
    expect_all_counted(a);
    EXPECT_EQ(a.total.mc, truth(model)["macs"]) << model;
    int64_t rnn_weights = 0;
    for (const LayerMetrics& l : a.layers) {
      if (l.kind == "rnn") rnn_weights += l.weights;
    }
    EXPECT_EQ(rnn_weights, truth(model)["params"]) << model;
  }
  EXPECT_EQ(conv_fc("tests/data/onnx/formats/einsum.onnx").total.mc, truth("einsum")["macs"]);
  const Analysis low = conv_fc("tests/data/onnx/formats/low_bit_types.onnx");
  EXPECT_EQ(low.total.mc, truth("low_bit_types")["macs"]);
  EXPECT_EQ(low.total.weight_bytes, truth("low_bit_types")["weight_bytes"]);
}

}  // namespace
}  // namespace reuselens
