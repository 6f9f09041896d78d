#include "reuselens/metrics.h"

#include <gtest/gtest.h>

#include <cmath>

#include "reuselens/builder.h"
#include "reuselens/error.h"

namespace reuselens {
namespace {

// Jha & Mittal, Table 3: standard, pointwise, group (g = 4) and depthwise
// convolution with N = M = 256, 28x28 maps, 3x3 filters, normalised to the
// standard convolution. Activations are ifmaps + ofmaps (Table 2), no biases.
double conv_ai(int64_t out, int64_t kernel, int64_t group, double* macs) {
  GraphBuilder b("t3", {1, 256, 28, 28});
  b.conv(b.input(), out, {.kernel = kernel, .pad = kernel / 2, .group = group, .bias = false});
  AnalysisOptions o;
  o.convention = convention_by_name("conv-fc");  // layer A = inputs + outputs
  const Analysis a = analyze(b.finish(), o);
  *macs = static_cast<double>(a.layers[0].macs);
  return a.layers[0].arithmetic_intensity;
}

TEST(PaperTable3, NormalisedIntensityAndMacs) {
  double mc_std = 0, mc_pw = 0, mc_grp = 0, mc_dw = 0;
  const double std_ai = conv_ai(256, 3, 1, &mc_std);
  const double pw_ai = conv_ai(256, 1, 1, &mc_pw);
  const double grp_ai = conv_ai(256, 3, 4, &mc_grp);
  const double dw_ai = conv_ai(256, 3, 256, &mc_dw);
  EXPECT_NEAR(pw_ai / std_ai, 0.24, 0.005);
  EXPECT_NEAR(grp_ai / std_ai, 0.45, 0.005);
  EXPECT_NEAR(dw_ai / std_ai, 0.01, 0.005);
  EXPECT_NEAR(mc_pw / mc_std, 0.111, 0.0005);
  EXPECT_NEAR(mc_grp / mc_std, 0.250, 0.0005);
  EXPECT_NEAR(mc_dw / mc_std, 0.004, 0.0005);
}

TEST(DataReuseIndex, DefinitionAndDisparityClosedForm) {
  // Eq. 4 at alpha = 0.8; d_f = 75 - 20 W/A - 5 A/W follows from the definition.
  for (const auto& [w, a] :
       std::vector<std::pair<double, double>>{{61e6, 2e6}, {1, 1}, {0.5e6, 17e6}}) {
    const double mc = 1e9;
    const double ai_c = mc / (w + a);
    const double di = data_reuse_index(mc / w, mc / a, 0.8);
    EXPECT_DOUBLE_EQ(di, (0.8 * mc / a + 0.2 * mc / w) / 4);
    EXPECT_NEAR(disparity_factor(ai_c, di), 75 - 20 * w / a - 5 * a / w, 1e-9);
  }
  EXPECT_DOUBLE_EQ(data_reuse_index(100, 40, 0.0), 25.0);  // weight reuse only
  EXPECT_DOUBLE_EQ(data_reuse_index(100, 40, 1.0), 10.0);  // activation reuse only
}

Graph small_net() {
  GraphBuilder b("small", {1, 3, 8, 8});
  Ref x = b.relu(b.scale(b.batch_norm(b.conv(b.input(), 4, {.kernel = 3, .pad = 1}))));
  b.fc(b.max_pool(x, {.kernel = 2, .stride = 2}), 10);
  return b.finish();
}

TEST(Conventions, ChooseWhatMakesUpMcWAndA) {
  const Graph g = small_net();
  const int64_t conv_macs = 4 * 3 * 9 * 64, fc_macs = 64 * 10;
  const int64_t conv_w = 4 * 27 + 4, fc_w = 640 + 10;
  const int64_t map = 4 * 64;  // one 4x8x8 activation
  AnalysisOptions o;
  o.convention = convention_by_name("paper");
  Analysis a = analyze(g, o);
  EXPECT_EQ(a.total.mc, conv_macs + fc_macs + map);  // + Scale, 1 per element
  EXPECT_EQ(a.total.w, conv_w + fc_w + 2 * 4);       // + BN mean/var
  EXPECT_EQ(a.total.a, 192 + 4 * map + 64 + 10);     // input, conv/bn/scale/relu, pool, fc

  o.convention = convention_by_name("conv-fc");
  a = analyze(g, o);
  EXPECT_EQ(a.total.mc, conv_macs + fc_macs);
  EXPECT_EQ(a.total.w, conv_w + fc_w + 2 * 4);  // + Scale gamma/beta
  EXPECT_EQ(a.total.a, 192 + 4 * map + 64 + 10);

  o.convention = convention_by_name("memory");
  a = analyze(g, o);
  EXPECT_EQ(a.total.w, conv_w + fc_w + 4 * 4);  // learned + statistics
  EXPECT_EQ(a.total.a, 192 + map + 64 + 10);    // in-place outputs share storage
}

TEST(Conventions, UnknownNameListsKnownOnes) {
  try {
    convention_by_name("flops");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUsage);
    EXPECT_NE(std::string(e.what()).find("paper, conv-fc, memory"), std::string::npos);
  }
}

TEST(Options, RejectOutOfRange) {
  AnalysisOptions o;
  o.alpha = 1.5;
  EXPECT_THROW(validate(o), Error);
  o.alpha = -0.1;
  EXPECT_THROW(validate(o), Error);
  o.alpha = 0.5;
  o.weight_type = "int12";
  EXPECT_THROW(validate(o), Error);
  o.weight_type = "fp16";
  o.act_type = "fp12";
  EXPECT_THROW(validate(o), Error);
  o.act_type = "int8";
  EXPECT_NO_THROW(validate(o));
}

TEST(Bytes, FollowTheBitWidths) {
  AnalysisOptions o;
  o.weight_type = "int8";
  o.act_type = "bf16";
  const Analysis a = analyze(small_net(), o);
  EXPECT_EQ(a.total.weight_bytes, a.total.w);
  EXPECT_EQ(a.total.activation_bytes, 2 * a.total.a);
  EXPECT_DOUBLE_EQ(a.total.flops_per_byte,
                   static_cast<double>(a.total.flops) / (a.total.w + 2 * a.total.a));
}

// int4: two elements per byte, rounded up per count.
TEST(Bytes, FourBitTypesRoundUp) {
  AnalysisOptions o;
  o.weight_type = "int4";
  const Analysis a = analyze(small_net(), o);
  EXPECT_EQ(a.total.weight_bytes, (a.total.w + 1) / 2);
  EXPECT_EQ(bytes_for(5, 4), 3);
  EXPECT_EQ(bytes_for(4, 4), 2);
  EXPECT_EQ(bytes_for(3, 32), 12);
  EXPECT_THROW(bytes_for(int64_t{1} << 62, 32), Error);
}

TEST(Coverage, UnknownOpsAreReportedNotZeroed) {
  Graph g = small_net();
  // Append a node no schema knows, reading the last output.
  const int in = g.nodes().back().outputs[0];
  const int out = g.add_tensor({.name = "nms", .shape = {1, 10}});
  Node n;
  n.name = "nms";
  n.op_type = "NonMaxSuppression";
  n.inputs = {in};
  n.outputs = {out};
  g.add_node(n);
  const Analysis a = analyze(g, {});
  EXPECT_EQ(a.coverage.counted, 6);
  EXPECT_EQ(a.coverage.total, 7);
  EXPECT_EQ(a.coverage.summary(), "6/7 nodes counted; unsupported: NonMaxSuppression x1");
  EXPECT_EQ(a.layers.back().status, NodeStatus::kUnsupported);
  EXPECT_EQ(a.layers.back().kind, "unsupported");
}

TEST(Liveness, SkipConnectionsKeepTensorsAlive) {
  // x (100) -> a = conv(x) (100) -> b = conv(a) (100) -> add(x, b) (100):
  // x must live until the add, so the peak is x + a + b = 300 at conv b,
  // or x + b + sum = 300 at the add.
  GraphBuilder g("skip", {1, 4, 5, 5});
  Ref x = g.input();
  Ref a = g.conv(x, 4, {.kernel = 3, .pad = 1});
  Ref b = g.conv(a, 4, {.kernel = 3, .pad = 1});
  g.add({x, b});
  EXPECT_EQ(peak_live_activations(g.finish()), 300);

  // A chain frees as it goes: peak = in + out of the largest layer.
  GraphBuilder c("chain", {1, 4, 5, 5});
  Ref y = c.conv(c.input(), 8, {.kernel = 3, .pad = 1});
  y = c.relu(y);  // in place: no new storage
  c.conv(y, 2, {.kernel = 1});
  EXPECT_EQ(peak_live_activations(c.finish()), 100 + 200);
}

TEST(Overflow, HugeShapesAreRejectedNotWrapped) {
  EXPECT_THROW(GraphBuilder("huge", {1 << 20, 1 << 20, 1 << 20, 1 << 20}), Error);
  GraphBuilder b("big", {4096, 4096, 1024, 1024});
  try {
    b.conv(b.input(), 1 << 20, {.kernel = 64, .pad = 32});
    const Analysis a = analyze(b.finish(), {});
    FAIL() << "MACs overflowed silently: " << a.total.mc;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
    EXPECT_NE(std::string(e.what()).find("overflows 64 bits"), std::string::npos) << e.what();
  }
}

TEST(LayerStatistics, MedianAndSampleVarianceOverConvAndFcOnly) {
  const Analysis a = analyze(small_net(), {});
  std::vector<double> ai;
  for (const auto& l : a.layers) {
    if (l.kind == "conv" || l.kind == "fc") ai.push_back(l.arithmetic_intensity);
  }
  ASSERT_EQ(ai.size(), 2u);
  EXPECT_DOUBLE_EQ(a.total.median_layer_ai, (ai[0] + ai[1]) / 2);
  const double mean = (ai[0] + ai[1]) / 2;
  EXPECT_NEAR(a.total.variance_layer_ai,
              (ai[0] - mean) * (ai[0] - mean) + (ai[1] - mean) * (ai[1] - mean), 1e-9);
}

}  // namespace
}  // namespace reuselens
