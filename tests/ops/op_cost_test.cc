// Hand-computed costs of single ops, one table row per case. Each case builds
// a one-layer graph and reads the layer's figures back through analyze().
#include <gtest/gtest.h>

#include <functional>

#include "reuselens/builder.h"
#include "reuselens/metrics.h"

namespace reuselens {
namespace {

struct OpCase {
  const char* name;
  std::vector<int64_t> input;
  std::function<void(GraphBuilder&, Ref)> build;
  const char* convention;
  std::vector<int64_t> output;
  int64_t macs, flops, weights;
};

void PrintTo(const OpCase& c, std::ostream* os) { *os << c.name; }

class OpCostTest : public ::testing::TestWithParam<OpCase> {};

TEST_P(OpCostTest, MatchesHandComputation) {
  const OpCase& c = GetParam();
  GraphBuilder b(c.name, c.input);
  c.build(b, b.input());
  const Graph g = b.finish();
  AnalysisOptions options;
  options.convention = convention_by_name(c.convention);
  const Analysis a = analyze(g, options);
  ASSERT_EQ(a.layers.size(), 1u);
  const LayerMetrics& l = a.layers[0];
  EXPECT_EQ(l.output_shape, c.output);
  EXPECT_EQ(l.macs, c.macs);
  EXPECT_EQ(l.flops, c.flops);
  EXPECT_EQ(l.weights, c.weights);
  EXPECT_EQ(a.coverage.summary(), "1/1 nodes counted");
}

const OpCase kCases[] = {
    // 16 x 3 x 3x3 kernels over 8x8 outputs: 16*3*9*64 MACs, 16*27 + 16 params.
    {"conv_same_padding",
     {1, 3, 8, 8},
     [](GraphBuilder& b, Ref x) { b.conv(x, 16, {.kernel = 3, .pad = 1}); },
     "conv-fc",
     {1, 16, 8, 8},
     27648,
     55296,
     448},
    // floor((9 + 2 - 3) / 2) + 1 = 5.
    {"conv_stride2",
     {1, 3, 9, 9},
     [](GraphBuilder& b, Ref x) { b.conv(x, 8, {.kernel = 3, .stride = 2, .pad = 1}); },
     "conv-fc",
     {1, 8, 5, 5},
     5400,
     10800,
     224},
    // Each axis uses its own stride: H (7-3)/2+1 = 3, W (7-3)/1+1 = 5.
    {"conv_per_axis_stride",
     {1, 1, 7, 7},
     [](GraphBuilder& b, Ref x) {
       b.conv(x, 4, {.kernel = 3, .bias = false, .stride_h = 2, .stride_w = 1});
     },
     "conv-fc",
     {1, 4, 3, 5},
     540,
     1080,
     36},
    // Dilation 2 widens a 3-tap kernel to 5: (10 + 4 - 5) + 1 = 10.
    {"conv_dilated",
     {1, 2, 10, 10},
     [](GraphBuilder& b, Ref x) { b.conv(x, 4, {.kernel = 3, .pad = 2, .dilation = 2}); },
     "conv-fc",
     {1, 4, 10, 10},
     7200,
     14400,
     76},
    // Two groups: each output sees 8/2 = 4 input channels.
    {"conv_grouped",
     {1, 8, 6, 6},
     [](GraphBuilder& b, Ref x) { b.conv(x, 4, {.kernel = 3, .pad = 1, .group = 2}); },
     "conv-fc",
     {1, 4, 6, 6},
     5184,
     10368,
     148},
    {"conv_depthwise",
     {1, 16, 10, 10},
     [](GraphBuilder& b, Ref x) {
       b.conv(x, 16, {.kernel = 3, .pad = 1, .group = 16, .bias = false});
     },
     "conv-fc",
     {1, 16, 10, 10},
     14400,
     28800,
     144},
    // Batch 2, 512*2*2 = 2048 inputs flattened, 10 outputs.
    {"fc_flattens",
     {2, 512, 2, 2},
     [](GraphBuilder& b, Ref x) { b.fc(x, 10); },
     "conv-fc",
     {2, 10},
     40960,
     81920,
     20490},
    // Ceil: ceil((6 - 3) / 2) + 1 = 3 (floor would give 2); 9 FLOPs per output.
    {"maxpool_ceil",
     {1, 1, 6, 6},
     [](GraphBuilder& b, Ref x) { b.max_pool(x, {.kernel = 3, .stride = 2}); },
     "paper",
     {1, 1, 3, 3},
     0,
     81,
     0},
    // Ceil gives 4, but the 4th window would start in the end padding: 3.
    {"maxpool_ceil_drops_padding_window",
     {1, 1, 5, 5},
     [](GraphBuilder& b, Ref x) { b.max_pool(x, {.kernel = 2, .stride = 2, .pad = 1}); },
     "paper",
     {1, 1, 3, 3},
     0,
     36,
     0},
    {"avgpool_floor",
     {1, 2, 7, 7},
     [](GraphBuilder& b, Ref x) { b.avg_pool(x, {.kernel = 2, .stride = 2, .ceil = false}); },
     "paper",
     {1, 2, 3, 3},
     0,
     72,
     0},
    {"global_avgpool",
     {1, 8, 7, 7},
     [](GraphBuilder& b, Ref x) { b.global_avg_pool(x); },
     "paper",
     {1, 8, 1, 1},
     0,
     392,
     0},
    // Caffe BatchNorm: 2C statistics count in W under the paper convention...
    {"batchnorm_paper",
     {1, 6, 4, 4},
     [](GraphBuilder& b, Ref x) { b.batch_norm(x); },
     "paper",
     {1, 6, 4, 4},
     0,
     192,
     12},
    // ...and not under conv-fc, which counts learnable parameters only.
    {"batchnorm_conv_fc",
     {1, 6, 4, 4},
     [](GraphBuilder& b, Ref x) { b.batch_norm(x); },
     "conv-fc",
     {1, 6, 4, 4},
     0,
     192,
     0},
    // Scale: one MAC per output element in the paper's Mc, gamma/beta not in its W.
    {"scale_paper",
     {1, 6, 4, 4},
     [](GraphBuilder& b, Ref x) { b.scale(x); },
     "paper",
     {1, 6, 4, 4},
     96,
     192,
     0},
    {"scale_conv_fc",
     {1, 6, 4, 4},
     [](GraphBuilder& b, Ref x) { b.scale(x); },
     "conv-fc",
     {1, 6, 4, 4},
     0,
     192,
     12},
    // LRN: local_size MACs per output (paper), (2*5 + 3) FLOPs per output.
    {"lrn_paper",
     {1, 4, 3, 3},
     [](GraphBuilder& b, Ref x) { b.lrn(x, 5); },
     "paper",
     {1, 4, 3, 3},
     180,
     468,
     2},
    {"relu",
     {1, 4, 5, 5},
     [](GraphBuilder& b, Ref x) { b.relu(x); },
     "paper",
     {1, 4, 5, 5},
     0,
     100,
     0},
    {"softmax",
     {1, 10, 1, 1},
     [](GraphBuilder& b, Ref x) { b.softmax(x); },
     "paper",
     {1, 10, 1, 1},
     0,
     50,
     0},
};

INSTANTIATE_TEST_SUITE_P(HandComputed, OpCostTest, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(MultiInputOps, AddCountsOneFlopPerExtraInput) {
  GraphBuilder b("add", {1, 4, 5, 5});
  Ref x = b.input();
  b.add({b.relu(x, "", false), b.relu(x, "", false), x});
  const Analysis a = analyze(b.finish(), {});
  EXPECT_EQ(a.layers.back().op_type, "Add");
  EXPECT_EQ(a.layers.back().flops, 200);  // (3 - 1) * 100
  EXPECT_EQ(a.layers.back().input_activations, 300);
}

TEST(MultiInputOps, ConcatJoinsChannelsWithoutArithmetic) {
  GraphBuilder b("concat", {1, 3, 4, 4});
  Ref x = b.input();
  Ref y = b.conv(x, 5, {.kernel = 1});
  b.concat({x, y});
  const Analysis a = analyze(b.finish(), {});
  EXPECT_EQ(a.layers.back().output_shape, (std::vector<int64_t>{1, 8, 4, 4}));
  EXPECT_EQ(a.layers.back().flops, 0);
}

TEST(LoopNest, ConvLowersToOneProblemShape) {
  GraphBuilder b("nest", {2, 8, 6, 6});
  b.conv(b.input(), 4, {.kernel = 3, .stride = 1, .pad = 1, .group = 2});
  const Graph g = b.finish();
  const Node& node = g.node(0);
  const OpCost cost = cost_node(*builtin_ops().find("", "Conv"), g, node);
  ASSERT_TRUE(cost.loop_nest.has_value());
  const LoopNest& n = *cost.loop_nest;
  EXPECT_EQ(n.n, 2);
  EXPECT_EQ(n.k, 4);
  EXPECT_EQ(n.c, 4);
  EXPECT_EQ(n.p, 6);
  EXPECT_EQ(n.r, 3);
  EXPECT_EQ(n.macs(), cost.macs);
  EXPECT_EQ(n.weight_elements(), cost.kernel_params);
  EXPECT_EQ(n.input_elements(), 2 * 8 * 36);
  EXPECT_EQ(n.output_elements(), 2 * 4 * 36);
}

}  // namespace
}  // namespace reuselens
