// ONNX import against fixtures exported from PyTorch (tests/data/onnx/, made
// by tools/onnx_fixtures/export.py with independent truth), and against small
// malformed models built here with libonnx's protobuf types.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "reuselens/error.h"
#include "reuselens/metrics.h"
#include "reuselens/model.h"
#include "reuselens/roofline.h"
#include "reuselens/zoo.h"
#include "test_util.h"

namespace reuselens {
namespace {

namespace fs = std::filesystem;

std::string fixture(const std::string& name) {
  return testing::source_path("tests/data/onnx/" + name + ".onnx");
}

Analysis conv_fc(const Graph& g) {
  AnalysisOptions o;
  o.convention = convention_by_name("conv-fc");
  return analyze(g, o);
}

// Parameters and conv/linear (and attention) MACs equal what PyTorch
// computed for the same module, for every fixture.
TEST(OnnxFixtures, ParamsAndMacsEqualPyTorchTruth) {
  const auto truth =
      nlohmann::json::parse(testing::read_text(testing::source_path("tests/data/onnx/truth.json")));
  ASSERT_EQ(truth["models"].size(), 7u);
  for (const auto& [name, t] : truth["models"].items()) {
    const Analysis a = conv_fc(load_model(fixture(name)));
    EXPECT_EQ(a.coverage.counted, a.coverage.total) << name << ": " << a.coverage.summary();
    EXPECT_EQ(a.total.w, t["params"].get<int64_t>() - t["bn_folded"].get<int64_t>()) << name;
    EXPECT_EQ(a.total.mc, t["conv_fc_macs"].get<int64_t>() + t.value("attention_macs", int64_t{0}))
        << name;
  }
}

TEST(OnnxFixtures, SameMcAndWAsTheZooUnderConvFc) {
  for (const auto& [file, zoo_name] :
       {std::pair{"vgg16", "vgg16"}, std::pair{"squeezenet1_1", "squeezenet11"}}) {
    const Analysis onnx = conv_fc(load_model(fixture(file)));
    const ZooEntry& e = zoo_entry(zoo_name);
    const Analysis zoo = conv_fc(e.build(1, e.image_size));
    EXPECT_EQ(onnx.total.mc, zoo.total.mc) << file;
    EXPECT_EQ(onnx.total.w, zoo.total.w) << file;
  }
}

// ViT-B/16: the two attention products per layer have both operands as
// activations: their MACs count, and they carry no weights.
TEST(OnnxFixtures, AttentionMatMulsCountWithActivationOperands) {
  const Analysis a = conv_fc(load_model(fixture("vit_b_16")));
  int64_t attention_macs = 0;
  int attention_products = 0;
  for (const LayerMetrics& l : a.layers) {
    if (l.op_type == "MatMul" && l.weights == 0) {
      attention_macs += l.macs;
      ++attention_products;
      EXPECT_GT(l.input_activations, l.output_activations / 10);
    }
  }
  EXPECT_EQ(attention_products, 24);
  EXPECT_EQ(attention_macs, int64_t{12} * 2 * 12 * 197 * 197 * 64);
}

TEST(OnnxFixtures, SymbolicBatchAndNamedInputs) {
  const Analysis one = conv_fc(load_model(fixture("resnet18")));
  LoadOptions four;
  four.batch = 4;
  const Analysis batched = conv_fc(load_model(fixture("resnet18"), four));
  EXPECT_EQ(batched.total.mc, 4 * one.total.mc);
  EXPECT_EQ(batched.input_shape, (std::vector<int64_t>{4, 3, 224, 224}));
  LoadOptions named;
  named.named_input_shapes["input"] = {2, 3, 112, 112};
  const Analysis small = conv_fc(load_model(fixture("resnet18"), named));
  EXPECT_EQ(small.input_shape, (std::vector<int64_t>{2, 3, 112, 112}));
  EXPECT_LT(small.total.mc, one.total.mc);
  LoadOptions wrong;
  wrong.named_input_shapes["pixels"] = {1, 3, 224, 224};
  EXPECT_THROW(load_model(fixture("resnet18"), wrong), Error);
}

TEST(OnnxFixtures, BytesFollowTensorTypes) {
  const Analysis a = analyze(load_model(fixture("squeezenet1_1")), {});
  // float32 throughout: four bytes per element, unless the types are named.
  EXPECT_EQ(a.total.activation_bytes, 4 * a.total.a);
  AnalysisOptions eight;
  eight.weight_type = eight.act_type = "int8";
  const Analysis b = analyze(load_model(fixture("squeezenet1_1")), eight);
  EXPECT_EQ(a.total.weight_bytes, b.total.weight_bytes);  // still the model's types
  eight.use_tensor_types = false;                         // as --dtype int8 sets it
  const Analysis c = analyze(load_model(fixture("squeezenet1_1")), eight);
  EXPECT_EQ(c.total.activation_bytes, a.total.a);
  EXPECT_FALSE(c.bytes_from_tensor_types);
}

TEST(OnnxFixtures, RooflineSameForZooAndOnnxLayers) {
  RooflineOptions o;
  const Hardware hw = load_hardware("p100");
  const RooflineResult onnx = roofline(load_model(fixture("vgg16")), hw, o);
  const ZooEntry& e = zoo_entry("vgg16");
  const RooflineResult zoo = roofline(e.build(1, 224), hw, o);
  int64_t onnx_conv_flops = 0, zoo_conv_flops = 0;
  for (const auto& l : onnx.layers)
    onnx_conv_flops += l.kind == "conv" || l.kind == "fc" ? l.flops : 0;
  for (const auto& l : zoo.layers)
    zoo_conv_flops += l.kind == "conv" || l.kind == "fc" ? l.flops : 0;
  EXPECT_EQ(onnx_conv_flops, zoo_conv_flops);
}

// --- malformed models --------------------------------------------------------

onnx::ModelProto tiny_model() {
  onnx::ModelProto m;
  m.set_ir_version(8);
  auto* op = m.add_opset_import();
  op->set_domain("");
  op->set_version(13);
  auto* g = m.mutable_graph();
  g->set_name("tiny");
  auto* in = g->add_input();
  in->set_name("x");
  auto* tt = in->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto_DataType_FLOAT);
  for (int64_t d : {1, 4, 8, 8}) tt->mutable_shape()->add_dim()->set_dim_value(d);
  auto* relu = g->add_node();
  relu->set_op_type("Relu");
  relu->set_name("relu");
  relu->add_input("x");
  relu->add_output("y");
  auto* out = g->add_output();
  out->set_name("y");
  out->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto_DataType_FLOAT);
  return m;
}

std::string save(const onnx::ModelProto& m, const std::string& name) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << m.SerializeAsString();
  return path;
}

void expect_error(const std::string& path, ErrorCode code, const std::string& fragment,
                  LoadOptions o = {}) {
  try {
    load_model(path, o);
    ADD_FAILURE() << "accepted " << path;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    const std::string what = e.what();
    EXPECT_NE(what.find(fragment), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

TEST(OnnxErrors, WellFormedTinyModelLoads) {
  const Graph g = load_model(save(tiny_model(), "tiny.onnx"));
  EXPECT_EQ(g.nodes().size(), 1u);
  EXPECT_EQ(g.tensor(g.node(0).outputs[0]).shape, (std::vector<int64_t>{1, 4, 8, 8}));
}

TEST(OnnxErrors, TruncatedAndCorruptFiles) {
  const std::string bytes = tiny_model().SerializeAsString();
  const std::string truncated = ::testing::TempDir() + "/truncated.onnx";
  std::ofstream(truncated, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  expect_error(truncated, ErrorCode::kParse, "not a valid ONNX model");
  const std::string garbage = ::testing::TempDir() + "/garbage.onnx";
  std::ofstream(garbage, std::ios::binary) << "\xff\xff\xff\xff this is not protobuf";
  expect_error(garbage, ErrorCode::kParse, "not a valid ONNX model");
  expect_error("/nonexistent/model.onnx", ErrorCode::kIo, "cannot open file");
}

TEST(OnnxErrors, DanglingInputAndCycle) {
  onnx::ModelProto dangling = tiny_model();
  dangling.mutable_graph()->mutable_node(0)->set_input(0, "ghost");
  expect_error(save(dangling, "dangling.onnx"), ErrorCode::kInvalidModel,
               "node 'relu' (Relu) reads 'ghost', which no node, input or initializer produces");

  onnx::ModelProto cycle = tiny_model();
  auto* g = cycle.mutable_graph();
  g->mutable_node(0)->set_input(0, "z");  // relu reads z, neg reads y: a loop
  auto* neg = g->add_node();
  neg->set_op_type("Neg");
  neg->set_name("neg");
  neg->add_input("y");
  neg->add_output("z");
  expect_error(save(cycle, "cycle.onnx"), ErrorCode::kInvalidModel,
               "cycle through node 'relu' (Relu)");
}

TEST(OnnxErrors, UnknownDomainAndNewerOpset) {
  onnx::ModelProto custom = tiny_model();
  custom.mutable_graph()->mutable_node(0)->set_domain("com.example.secret");
  expect_error(save(custom, "domain.onnx"), ErrorCode::kInvalidModel,
               "node 'relu' (Relu) of domain 'com.example.secret' is an op reuselens does not "
               "know, and the file gives no shape for its output 'y'");
  // With the output's shape in the file, the node is counted as unsupported.
  auto* y = custom.mutable_graph()->mutable_output(0)->mutable_type()->mutable_tensor_type();
  for (int64_t d : {1, 4, 8, 8}) y->mutable_shape()->add_dim()->set_dim_value(d);
  const Analysis a = analyze(load_model(save(custom, "domain_shaped.onnx")), {});
  EXPECT_EQ(a.coverage.summary(), "0/1 nodes counted; unsupported: com.example.secret.Relu x1");
  onnx::ModelProto future = tiny_model();
  future.mutable_opset_import(0)->set_version(999);
  expect_error(save(future, "future.onnx"), ErrorCode::kInvalidModel, "opset 999");
}

TEST(OnnxErrors, BadDimensions) {
  onnx::ModelProto negative = tiny_model();
  negative.mutable_graph()
      ->mutable_input(0)
      ->mutable_type()
      ->mutable_tensor_type()
      ->mutable_shape()
      ->mutable_dim(2)
      ->set_dim_value(-8);
  expect_error(save(negative, "negative.onnx"), ErrorCode::kInvalidModel,
               "input 'x' has dimension -8");  // not "unknown": a negative dim is corrupt
  onnx::ModelProto huge = tiny_model();
  auto* shape = huge.mutable_graph()
                    ->mutable_input(0)
                    ->mutable_type()
                    ->mutable_tensor_type()
                    ->mutable_shape();
  shape->mutable_dim(1)->set_dim_value(int64_t{1} << 40);
  shape->mutable_dim(2)->set_dim_value(int64_t{1} << 40);
  expect_error(save(huge, "huge.onnx"), ErrorCode::kInvalidModel, "overflows 64 bits");
  onnx::ModelProto symbolic = tiny_model();
  symbolic.mutable_graph()
      ->mutable_input(0)
      ->mutable_type()
      ->mutable_tensor_type()
      ->mutable_shape()
      ->mutable_dim(2)
      ->set_dim_param("height");
  expect_error(save(symbolic, "symbolic.onnx"), ErrorCode::kInvalidModel,
               "x dim 2 ('height'): --dim height=N or --input x=1x4xheightx8");
  LoadOptions by_name;
  by_name.dims["height"] = 16;
  EXPECT_EQ(load_model(save(symbolic, "symbolic3.onnx"), by_name).tensor(0).shape,
            (std::vector<int64_t>{1, 4, 16, 8}));
  LoadOptions fixed;
  fixed.named_input_shapes["x"] = {1, 4, 16, 16};
  EXPECT_EQ(load_model(save(symbolic, "symbolic2.onnx"), fixed).tensor(0).shape,
            (std::vector<int64_t>{1, 4, 16, 16}));
}

TEST(OnnxErrors, ExternalDataMustStayInTheModelsFolder) {
  const fs::path dir = fs::path(::testing::TempDir()) / "external";
  fs::create_directories(dir);
  const auto with_location = [&](const std::string& location) {
    onnx::ModelProto m = tiny_model();
    auto* init = m.mutable_graph()->add_initializer();
    init->set_name("w");
    init->set_data_type(onnx::TensorProto_DataType_FLOAT);
    init->add_dims(4);
    init->set_data_location(onnx::TensorProto_DataLocation_EXTERNAL);
    auto* kv = init->add_external_data();
    kv->set_key("location");
    kv->set_value(location);
    const std::string path = (dir / "model.onnx").string();
    std::ofstream(path, std::ios::binary) << m.SerializeAsString();
    return path;
  };
  expect_error(with_location("../secret.bin"), ErrorCode::kInvalidModel,
               "leaves the model's folder");
  expect_error(with_location("/etc/passwd"), ErrorCode::kInvalidModel, "must be a path relative");
  fs::remove(dir / "escape");
  fs::create_directory_symlink("/etc", dir / "escape");
  expect_error(with_location("escape/passwd"), ErrorCode::kInvalidModel,
               "resolves outside the model's folder");
  std::ofstream(dir / "weights.bin") << "not read";
  EXPECT_NO_THROW(load_model(with_location("weights.bin")));
}

TEST(OnnxErrors, UnsupportedOpsAreReportedNotZeroed) {
  onnx::ModelProto m = tiny_model();
  auto* g = m.mutable_graph();
  auto* node = g->add_node();
  node->set_op_type("Hardmax");  // a real ONNX op the registry does not cost
  node->set_name("hardmax");
  node->add_input("y");
  node->add_output("h");
  const Analysis a = analyze(load_model(save(m, "unsupported.onnx")), {});
  EXPECT_EQ(a.coverage.summary(), "1/2 nodes counted; unsupported: Hardmax x1");
}

}  // namespace
}  // namespace reuselens

namespace reuselens {
namespace {

// A QLinearConv built by hand: uint8 input 1x3x8x8, int8 weight 4x3x3x3 with
// per-tensor scales and zero points; MACs = 4 * 3 * 9 * 6 * 6.
TEST(OnnxQuantized, QLinearConvIsCounted) {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(13);
  auto* g = m.mutable_graph();
  auto* in = g->add_input();
  in->set_name("x");
  auto* tt = in->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto_DataType_UINT8);
  for (int64_t d : {1, 3, 8, 8}) tt->mutable_shape()->add_dim()->set_dim_value(d);
  const auto add_init = [&](const std::string& name, int type, std::vector<int64_t> dims) {
    auto* t = g->add_initializer();
    t->set_name(name);
    t->set_data_type(type);
    int64_t n = 1;
    for (int64_t d : dims) t->add_dims(d), n *= d;
    t->set_raw_data(std::string(
        static_cast<size_t>(n) * (type == onnx::TensorProto_DataType_FLOAT ? 4 : 1), '\0'));
  };
  add_init("xs", onnx::TensorProto_DataType_FLOAT, {});
  add_init("xz", onnx::TensorProto_DataType_UINT8, {});
  add_init("w", onnx::TensorProto_DataType_INT8, {4, 3, 3, 3});
  add_init("ws", onnx::TensorProto_DataType_FLOAT, {});
  add_init("wz", onnx::TensorProto_DataType_INT8, {});
  add_init("ys", onnx::TensorProto_DataType_FLOAT, {});
  add_init("yz", onnx::TensorProto_DataType_UINT8, {});
  auto* n = g->add_node();
  n->set_op_type("QLinearConv");
  n->set_name("qconv");
  for (const char* i : {"x", "xs", "xz", "w", "ws", "wz", "ys", "yz"}) n->add_input(i);
  n->add_output("y");
  auto* out = g->add_output();
  out->set_name("y");
  out->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto_DataType_UINT8);
  const Graph graph = load_model(save(m, "qconv.onnx"));
  const Analysis a = conv_fc(graph);
  ASSERT_EQ(a.layers.size(), 1u);
  EXPECT_EQ(a.layers[0].kind, "conv");
  EXPECT_EQ(a.layers[0].macs, 4 * 3 * 9 * 36);
  EXPECT_EQ(a.layers[0].output_shape, (std::vector<int64_t>{1, 4, 6, 6}));
  // int8 weights and uint8 activations: one byte each (plus scalars).
  EXPECT_EQ(graph.tensor(graph.inputs[0]).type, DataType::kUInt8);
  EXPECT_EQ(a.total.activation_bytes, 3 * 64 + 4 * 36);
}

}  // namespace
}  // namespace reuselens

namespace reuselens {
namespace {

// A fuzzer-found input that crashes libonnx 1.12's shape inference: reuselens
// isolates inference in a child process and reports an error instead.
TEST(OnnxFuzzRegressions, LibonnxInferenceCrashBecomesAnError) {
  expect_error(testing::source_path("tests/data/onnx/fuzz/libonnx_inference_segv.onnx"),
               ErrorCode::kInvalidModel, "shape inference crashed");
}

// A fuzzer-found Einsum whose output names a label no operand has: was an
// uncaught std::out_of_range, is a model error naming the equation.
TEST(OnnxFuzzRegressions, EinsumOutputLabelInNoOperandIsAnError) {
  expect_error(testing::source_path("tests/data/onnx/fuzz/einsum_bad_output_label.onnx"),
               ErrorCode::kInvalidModel, "output label '-' is in no operand");
}

}  // namespace
}  // namespace reuselens

namespace reuselens {
namespace {

// roofline --dtype decides the element width, whatever the model's types.
TEST(OnnxFixtures, RooflineDtypeOverridesTensorTypes) {
  const Graph g = load_model(fixture("resnet18"));
  const Hardware hw = load_hardware("v100");
  RooflineOptions o;
  o.dtype = "fp32";
  const RooflineResult fp32 = roofline(g, hw, o);
  o.dtype = "fp16";
  const RooflineResult fp16 = roofline(g, hw, o);
  EXPECT_EQ(fp32.layers[0].bytes, 2 * fp16.layers[0].bytes);
  EXPECT_TRUE(analyze(g, {}).bytes_from_tensor_types);
  EXPECT_FALSE(fp16.analysis.bytes_from_tensor_types);
}

}  // namespace
}  // namespace reuselens
