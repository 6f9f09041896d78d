#include <gtest/gtest.h>

#include "reuselens/error.h"
#include "reuselens/metrics.h"
#include "reuselens/model.h"

namespace reuselens {
namespace {

Graph import(const std::string& text, LoadOptions options = {}) {
  return import_caffe_prototxt(text, "net.prototxt", options);
}

// Expects an error of `code` whose message contains every fragment.
void expect_error(const std::string& text, ErrorCode code,
                  const std::vector<std::string>& fragments, LoadOptions options = {}) {
  try {
    import(text, options);
    ADD_FAILURE() << "no error for:\n" << text;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    const std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << "error must be one line: " << what;
    for (const auto& f : fragments)
      EXPECT_NE(what.find(f), std::string::npos) << what << " lacks " << f;
  }
}

constexpr const char* kDeploy = R"(
name: "tiny"   # a comment
input: "data"
input_shape { dim: 1 dim: 3 dim: 16 dim: 16 }
layer {
  name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
  convolution_param { num_output: 8 kernel_size: 3 pad: 1 stride: 2 }
}
layer { name: "relu1" type: "ReLU" bottom: "conv1" top: "conv1" }
layer {
  name: "pool1" type: "Pooling" bottom: "conv1" top: "pool1"
  pooling_param { pool: MAX kernel_size: 3 stride: 2 }
}
layer {
  name: "fc" type: "InnerProduct" bottom: "pool1" top: "fc"
  inner_product_param { num_output: 10 }
}
layer { name: "prob" type: "Softmax" bottom: "fc" top: "prob" }
)";

TEST(Prototxt, DeployNetwork) {
  const Graph g = import(kDeploy);
  EXPECT_EQ(g.name, "tiny");
  ASSERT_EQ(g.nodes().size(), 5u);
  EXPECT_EQ(g.tensor(g.node(0).outputs[0]).shape, (std::vector<int64_t>{1, 8, 8, 8}));
  // In-place ReLU aliases conv1's storage.
  EXPECT_EQ(g.tensor(g.node(1).outputs[0]).aliases, g.node(0).outputs[0]);
  // Ceil pooling: ceil((8 - 3) / 2) + 1 = 4.
  EXPECT_EQ(g.tensor(g.node(2).outputs[0]).shape, (std::vector<int64_t>{1, 8, 4, 4}));
  const Analysis a = analyze(g, {});
  EXPECT_EQ(a.total.mc, 8 * 3 * 9 * 64 + 128 * 10);
  EXPECT_EQ(a.total.w, 8 * 27 + 8 + 1280 + 10);
}

TEST(Prototxt, BatchAndInputOverride) {
  LoadOptions o;
  o.batch = 4;
  Graph g = import(kDeploy, o);
  EXPECT_EQ(g.tensor(g.inputs[0]).shape, (std::vector<int64_t>{4, 3, 16, 16}));
  o.input_shape = {3, 32, 32};
  g = import(kDeploy, o);
  EXPECT_EQ(g.tensor(g.inputs[0]).shape, (std::vector<int64_t>{4, 3, 32, 32}));
}

TEST(Prototxt, V1SyntaxTrainValWithPhasesAndInputDims) {
  const Graph g = import(R"(
name: "v1"
layers {
  name: "data" type: DATA top: "data" top: "label"
  transform_param { crop_size: 12 }
  include: { phase: TRAIN }
}
layers {
  name: "data" type: DATA top: "data" top: "label"
  transform_param { crop_size: 12 }
  include: { phase: TEST }
}
layers {
  name: "conv" type: CONVOLUTION bottom: "data" top: "conv"
  convolution_param { num_output: 4 kernel_h: 3 kernel_w: 1 pad_h: 1 pad_w: 0 stride_h: 2 stride_w: 1 }
}
layers { name: "relu" type: RELU bottom: "conv" top: "conv" }
layers { name: "loss" type: SOFTMAX_LOSS bottom: "conv" bottom: "label" top: "loss" include: { phase: TRAIN } }
layers { name: "acc" type: ACCURACY bottom: "conv" bottom: "label" top: "acc" include: { phase: TEST } }
)");
  ASSERT_EQ(g.nodes().size(), 2u);
  // _h/_w fields: H (12 + 2 - 3) / 2 + 1 = 6, W 12.
  EXPECT_EQ(g.tensor(g.node(0).outputs[0]).shape, (std::vector<int64_t>{1, 4, 6, 12}));
  ASSERT_EQ(g.notes.size(), 1u);
  EXPECT_NE(g.notes[0].find("Accuracy x1 ignored"), std::string::npos);
}

TEST(Prototxt, RepeatedKernelFieldsInputDimAndConcatEltwise) {
  const Graph g = import(R"(
input: "data" input_dim: 1 input_dim: 2 input_dim: 9 input_dim: 7
layer { name: "a" type: "Convolution" bottom: "data" top: "a"
        convolution_param { num_output: 3 kernel_size: 3 kernel_size: 1 pad: 1 pad: 0 bias_term: false } }
layer { name: "b" type: "Convolution" bottom: "data" top: "b"
        convolution_param { num_output: 3 kernel_size: 1 } }
layer { name: "sum" type: "Eltwise" bottom: "a" bottom: "b" top: "sum" }
layer { name: "cat" type: "Concat" bottom: "a" bottom: "sum" top: "cat" }
layer { name: "gp" type: "Pooling" bottom: "cat" top: "gp" pooling_param { pool: AVE global_pooling: true } }
)");
  EXPECT_EQ(g.tensor(g.node(0).outputs[0]).shape, (std::vector<int64_t>{1, 3, 9, 7}));
  EXPECT_EQ(g.node(2).op_type, "Add");
  EXPECT_EQ(g.tensor(g.node(3).outputs[0]).shape, (std::vector<int64_t>{1, 6, 9, 7}));
  EXPECT_EQ(g.node(4).op_type, "GlobalAveragePool");
  EXPECT_EQ(analyze(g, {}).total.w, 3 * 2 * 3 + 3 * 2 + 3);
}

TEST(PrototxtErrors, UnterminatedBlock) {
  expect_error("layer {\n  name: \"x\"\n", ErrorCode::kParse,
               {"net.prototxt:", "unterminated block 'layer' opened at line 1"});
}

TEST(PrototxtErrors, UnterminatedString) {
  expect_error("name: \"abc\nlayer {}", ErrorCode::kParse,
               {"net.prototxt:1:", "unterminated string"});
}

TEST(PrototxtErrors, StrayBrace) {
  expect_error("}\n", ErrorCode::kParse, {"net.prototxt:1:1", "unexpected '}'"});
}

constexpr const char* kInput = "input: \"data\" input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }\n";

TEST(PrototxtErrors, UnknownLayerTypeNamesLayerAndLine) {
  expect_error(std::string(kInput) +
                   "layer {\n name: \"odd\" type: \"Frobnicate\" bottom: \"data\" top: \"o\" }\n",
               ErrorCode::kInvalidModel, {"net.prototxt:2", "layer 'odd'", "Frobnicate"});
}

TEST(PrototxtErrors, MissingBottomBlob) {
  expect_error(
      std::string(kInput) + "layer { name: \"r\" type: \"ReLU\" bottom: \"nope\" top: \"r\" }\n",
      ErrorCode::kInvalidModel, {"net.prototxt:2", "layer 'r'", "bottom blob 'nope'"});
}

TEST(PrototxtErrors, NonPositiveDims) {
  expect_error("input: \"data\" input_shape { dim: 1 dim: 0 dim: 8 dim: 8 }\n",
               ErrorCode::kInvalidModel, {"net.prototxt:1", "not positive"});
  expect_error(std::string(kInput) +
                   "layer { name: \"c\" type: \"Convolution\" bottom: \"data\" top: \"c\"\n"
                   " convolution_param { num_output: -4 kernel_size: 3 } }\n",
               ErrorCode::kInvalidModel, {"layer 'c'", "num_output -4"});
}

TEST(PrototxtErrors, OutputSizeNotPositive) {
  expect_error(std::string(kInput) +
                   "layer { name: \"big\" type: \"Convolution\" bottom: \"data\" top: \"big\"\n"
                   " convolution_param { num_output: 4 kernel_size: 11 } }\n",
               ErrorCode::kInvalidModel,
               {"net.prototxt:2", "node 'big' (Conv)", "output height would be <= 0"});
}

TEST(PrototxtErrors, DimsWhoseProductOverflows) {
  expect_error("input: \"data\" input_shape { dim: 1 dim: 2147483647 dim: 2147483647 dim: 8 }\n",
               ErrorCode::kInvalidModel, {"net.prototxt:1: input", "overflows 64 bits"});
}

TEST(PrototxtErrors, IntegersPastThirtyTwoBitsAreRefused) {
  expect_error("input: \"data\" input_shape { dim: 1 dim: 4294967296 }\n", ErrorCode::kInvalidModel,
               {"net.prototxt:1", "'dim' = 4294967296", "[-2^31, 2^31]"});
  expect_error(
      std::string(kInput) +
          "layer { name: \"c\" type: \"Convolution\" bottom: \"data\" top: \"c\"\n"
          "  convolution_param { num_output: 8 kernel_size: 3 pad: 9223372036854775807 } }\n",
      ErrorCode::kInvalidModel, {"'pad' = 9223372036854775807"});
}

TEST(PrototxtErrors, NonIntegerField) {
  expect_error(std::string(kInput) +
                   "layer { name: \"c\" type: \"Convolution\" bottom: \"data\" top: \"c\"\n"
                   " convolution_param { num_output: four kernel_size: 3 } }\n",
               ErrorCode::kInvalidModel, {"net.prototxt:3", "num_output", "not an integer"});
}

TEST(PrototxtErrors, NoInputShape) {
  expect_error(
      "input: \"data\"\nlayer { name: \"r\" type: \"ReLU\" bottom: \"data\" top: \"r\" }\n",
      ErrorCode::kInvalidModel, {"input 'data' has no shape; pass --input"});
}

TEST(LoadModel, MissingFileAndUnknownSpec) {
  try {
    load_model("/nonexistent/net.prototxt");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    EXPECT_NE(std::string(e.what()).find("/nonexistent/net.prototxt"), std::string::npos);
  }
  EXPECT_THROW(load_model("net.weird"), Error);
  EXPECT_THROW(parse_shape("1x3xAx4"), Error);
  EXPECT_THROW(parse_shape("1x3x0x4"), Error);
  EXPECT_EQ(parse_shape("3x5x7"), (std::vector<int64_t>{3, 5, 7}));
}

}  // namespace
}  // namespace reuselens
