#include "reuselens/roofline.h"

#include <gtest/gtest.h>

#include <cmath>

#include "reuselens/builder.h"
#include "reuselens/error.h"
#include "reuselens/model.h"
#include "reuselens/report.h"
#include "reuselens/zoo.h"
#include "test_util.h"

namespace reuselens {
namespace {

RooflineResult place(Graph g, const std::string& hw, const std::string& dtype) {
  RooflineOptions o;
  o.dtype = dtype;
  return roofline(g, load_hardware(hw), o);
}

const LayerPlacement& only_layer(const RooflineResult& r) {
  EXPECT_EQ(r.layers.size(), 1u);
  return r.layers.at(0);
}

// The lecture's table (NVIDIA's examples, FP16 data on a V100), from the
// registry's own counts, against the V100's ops:byte ratio.
TEST(LectureTable, V100Fp16Examples) {
  const Hardware v100 = load_hardware("v100");
  const double ridge = v100.ridge("fp16");
  EXPECT_NEAR(ridge, 125e12 / 900e9, 1e-9);

  GraphBuilder fc512("fc", {512, 1024});
  fc512.fc(fc512.input(), 4096);
  const LayerPlacement big = only_layer(place(fc512.finish(), "v100", "fp16"));
  EXPECT_NEAR(big.intensity, 315, 1.0);
  EXPECT_EQ(big.bound, Bound::kCompute);

  GraphBuilder fc1("fc", {1, 1024});
  fc1.fc(fc1.input(), 4096);
  const LayerPlacement small = only_layer(place(fc1.finish(), "v100", "fp16"));
  EXPECT_NEAR(small.intensity, 1.0, 0.01);
  EXPECT_EQ(small.bound, Bound::kMemory);

  GraphBuilder pool("pool", {1, 64, 56, 56});
  pool.max_pool(pool.input(), {.kernel = 3, .stride = 1, .pad = 1});
  const LayerPlacement p = only_layer(place(pool.finish(), "v100", "fp16"));
  EXPECT_DOUBLE_EQ(p.intensity, 2.25);
  EXPECT_EQ(p.bound, Bound::kMemory);

  GraphBuilder relu("relu", {1, 64, 56, 56});
  relu.relu(relu.input());
  const LayerPlacement r = only_layer(place(relu.finish(), "v100", "fp16"));
  EXPECT_DOUBLE_EQ(r.intensity, 0.25);
  EXPECT_EQ(r.bound, Bound::kMemory);

  GraphBuilder ln("ln", {512, 1024});
  ln.layer_norm(ln.input());
  const LayerPlacement l = only_layer(place(ln.finish(), "v100", "fp16"));
  EXPECT_LT(l.intensity, 10);
  EXPECT_EQ(l.bound, Bound::kMemory);
}

// The paper's Table 4: compute-to-memory ratios of its two GPUs.
TEST(Presets, PaperTable4Ratios) {
  EXPECT_NEAR(load_hardware("p4000").ridge("fp32"), 21.4, 0.01);
  EXPECT_NEAR(load_hardware("p100").ridge("fp32"), 16.94, 0.01);
  for (const std::string& name : hardware_presets()) {
    const Hardware hw = load_hardware(name);
    EXPECT_FALSE(hw.peaks.empty()) << name;
    EXPECT_EQ(hw.levels.front().name, "dram") << name;
    for (const auto& p : hw.peaks) EXPECT_FALSE(p.source.empty()) << name << " " << p.dtype;
    for (const auto& l : hw.levels) EXPECT_FALSE(l.source.empty()) << name << " " << l.name;
    EXPECT_NO_THROW(hw.peak("fp32")) << name;
  }
  EXPECT_EQ(hardware_presets().size(), 13u);
}

// Hand-computed placements of AlexNet's conv1 and relu1 (fp32):
// conv1: 203,233,536 FLOPs; bytes (34,944 weights + 150,528 in + 279,936 out) x 4.
TEST(Placement, HandComputedLayers) {
  const ZooEntry& e = zoo_entry("alexnet");
  const Graph g = e.build(1, e.image_size);
  struct Case {
    const char* hw;
    double conv1_time, relu1_time;
    Bound conv1_bound;
  };
  const double conv_flops = 203233536, conv_bytes = 1861632, relu_bytes = 2239488;
  const Case cases[] = {
      {"p100", conv_flops / 9.3e12, relu_bytes / 549e9, Bound::kCompute},
      {"p4000", conv_flops / 5.2e12, relu_bytes / 243e9, Bound::kCompute},
      {"xeon-e5-1650v4", conv_flops / 0.6912e12, relu_bytes / 76.8e9, Bound::kCompute},
      {"h100-sxm", conv_flops / 67e12, relu_bytes / 3350e9, Bound::kCompute}};
  for (const Case& c : cases) {
    const RooflineResult r = place(g, c.hw, "fp32");
    EXPECT_EQ(r.layers[0].flops, conv_flops);
    EXPECT_EQ(r.layers[0].bytes, conv_bytes);
    EXPECT_NEAR(r.layers[0].intensity, conv_flops / conv_bytes, 1e-9);
    EXPECT_EQ(r.layers[0].bound, c.conv1_bound) << c.hw;
    EXPECT_NEAR(r.layers[0].time_s, c.conv1_time, 1e-15) << c.hw;
    EXPECT_EQ(r.layers[1].bytes, relu_bytes);
    EXPECT_NEAR(r.layers[1].time_s, c.relu1_time, 1e-15) << c.hw;
  }
  // Half precision halves every byte count.
  const RooflineResult half = place(g, "v100", "fp16");
  EXPECT_EQ(half.layers[0].bytes, conv_bytes / 2);
}

// The paper's Figure 5 placements (x = the metric's value against the ridge;
// the metrics are Table 7's, at batch 1, while the measured points are at 4):
// AI_c calls AlexNet memory-bound and MobileNet-V1, DenseNet, Xception
// compute-bound; DI calls AlexNet compute-bound and MobileNet-V1 memory-bound.
TEST(Placement, PaperFigure5) {
  for (const char* hw : {"p4000", "p100"}) {
    const auto net = [&](const char* name) {
      const ZooEntry& e = zoo_entry(name);
      return place(e.build(1, e.image_size), hw, "fp32");
    };
    const RooflineResult alexnet = net("alexnet"), mobilenet = net("mobilenet-v1");
    EXPECT_EQ(alexnet.by_ai_c.paper_bound, Bound::kMemory) << hw;
    EXPECT_EQ(alexnet.by_di.paper_bound, Bound::kCompute) << hw;
    EXPECT_EQ(mobilenet.by_ai_c.paper_bound, Bound::kCompute) << hw;
    EXPECT_EQ(mobilenet.by_di.paper_bound, Bound::kMemory) << hw;
    EXPECT_EQ(net("densenet121").by_ai_c.paper_bound, Bound::kCompute) << hw;
    EXPECT_EQ(net("xception").by_ai_c.paper_bound, Bound::kCompute) << hw;
  }
}

TEST(Placement, TotalsAndShares) {
  const ZooEntry& e = zoo_entry("resnet50");
  const RooflineResult r = place(e.build(1, e.image_size), "a100", "fp16");
  double sum = 0, memory = 0;
  for (const auto& l : r.layers) {
    sum += l.time_s;
    if (l.bound == Bound::kMemory) memory += l.time_s;
  }
  EXPECT_NEAR(r.total_time_s, sum, 1e-15);
  EXPECT_NEAR(r.memory_bound_time_share, memory / sum, 1e-12);
  EXPECT_EQ(r.memory_bound_layers + r.compute_bound_layers, 228);  // no views in ResNet-50
  EXPECT_NEAR(r.by_di.flops_per_byte, 2 * r.analysis.total.di / 2,
              1e-12);  // fp16: 2 bytes per element
}

// The same network from the zoo builder and from a prototxt places identically.
TEST(Placement, SameNumbersFromBuilderAndPrototxt) {
  GraphBuilder b("tiny", {1, 3, 32, 32});
  Ref x = b.relu(b.conv(b.input(), 16, {.kernel = 3, .pad = 1, .name = "c"}), "r");
  b.fc(b.max_pool(x, {.kernel = 2, .stride = 2, .name = "p"}), 10, true, "f");
  const Graph built = b.finish();
  const Graph imported = import_caffe_prototxt(R"(
input: "data" input_shape { dim: 1 dim: 3 dim: 32 dim: 32 }
layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 16 kernel_size: 3 pad: 1 } }
layer { name: "r" type: "ReLU" bottom: "c" top: "c" }
layer { name: "p" type: "Pooling" bottom: "c" top: "p" pooling_param { pool: MAX kernel_size: 2 stride: 2 } }
layer { name: "f" type: "InnerProduct" bottom: "p" top: "f" inner_product_param { num_output: 10 } }
)",
                                               "tiny.prototxt");
  const RooflineResult a = place(built, "p100", "fp32"), c = place(imported, "p100", "fp32");
  ASSERT_EQ(a.layers.size(), c.layers.size());
  for (size_t i = 0; i < a.layers.size(); ++i) {
    EXPECT_EQ(a.layers[i].flops, c.layers[i].flops);
    EXPECT_EQ(a.layers[i].bytes, c.layers[i].bytes);
    EXPECT_EQ(a.layers[i].time_s, c.layers[i].time_s);
  }
  EXPECT_EQ(a.by_di.flops_per_byte, c.by_di.flops_per_byte);
}

TEST(HardwareFiles, ErrorsNameTheField) {
  const auto expect = [](const std::string& json, const std::string& fragment) {
    try {
      parse_hardware_json(json, "hw.json");
      ADD_FAILURE() << "accepted " << json;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  expect(R"({"name": "x", "peak_tflops": {"fp32": {"value": 1}}})", "field 'bandwidth_gbs.dram'");
  expect(R"({"name": "x", "bandwidth_gbs": {"dram": {"value": 1}}})", "field 'peak_tflops'");
  expect(
      R"({"name": "x", "peak_tflops": {"fp32": {"value": -1}}, "bandwidth_gbs": {"dram": {"value": 1}}})",
      "field 'peak_tflops.fp32.value' = -1: is not in [1e-06, 1e+06]");
  // Extremes that once printed inf or -nan: refused, naming the field.
  expect(
      R"({"name": "x", "peak_tflops": {"fp32": {"value": 1e308}}, "bandwidth_gbs": {"dram": {"value": 1}}})",
      "field 'peak_tflops.fp32.value' = 1e+308: is not in");
  expect(
      R"({"name": "x", "peak_tflops": {"fp32": {"value": 1}}, "bandwidth_gbs": {"dram": {"value": 5e-324}}})",
      "field 'bandwidth_gbs.dram.value'");
  expect(R"({"name": "x", "peak_tflops": {"fp32": {"value": 1e400}}})",
         "hw.json: not valid JSON (number overflow");
  expect(R"({"name": null, "peak_tflops": {}})", "field 'name': is missing");
  expect(R"({"name": 3})", "field 'name' = 3: is not a string");
  expect(
      R"({"name": "x", "peak_tflops": {"fp33": {"value": 1}}, "bandwidth_gbs": {"dram": {"value": 1}}})",
      "field 'peak_tflops.fp33' = {\"value\":1}: unknown data type");
  expect(
      R"({"name": "x", "peak_tflops": {"fp32": {"value": 1}}, "bandwidth_gbs": {"dram": {"value": 100}},
            "cmr_flops_per_byte": {"value": 20}})",
      "field 'cmr_flops_per_byte' = {\"value\":20}: states 20");
  expect(R"({"name": "x", "peak_flops": 1})", "field 'peak_flops' = 1: is not a known field");
  expect(R"({"name": "x", "peak_tflops": {"fp32": {"value": 1}},
            "bandwidth_gbs": {"dram": {"value": 100}, "l2": {"value": 50}}})",
         "field 'bandwidth_gbs.l2' = {\"value\":50}: is below dram");
  expect("{not json", "hw.json: not valid JSON");
  try {
    load_hardware("tpu-v9");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("p100"), std::string::npos) << e.what();
  }
  EXPECT_THROW(load_hardware("p4000").peak("int8"), Error);
  EXPECT_THROW(dtype_bits("fp12"), Error);
}

TEST(Charts, LayerRooflineSvgHasEveryPoint) {
  const ZooEntry& e = zoo_entry("squeezenet11");
  const RooflineResult r = place(e.build(1, e.image_size), "p100", "fp32");
  const std::string svg = render_layer_roofline_svg(r);
  EXPECT_EQ(testing::xml_problem(svg), "");
  int layer_points = 0;
  for (const auto& l : r.layers) layer_points += l.intensity > 0;
  // One circle per placed layer, two network points, and legend circles.
  int legend_markers = 0;
  for (size_t i = 0; (i = svg.find("<g class=\"legend\">", i)) != std::string::npos; ++i) {
    legend_markers += svg.compare(svg.find('>', svg.find("/>", i)) + 1, 7, "<circle") == 0;
  }
  EXPECT_EQ(testing::count_tags(svg, "circle"), layer_points + 2 + legend_markers);
  EXPECT_NE(svg.find("ridge fp32 dram: 16.9 FLOP/B"), std::string::npos);
  EXPECT_NE(svg.find("data-label=\"conv1 (Conv)"), std::string::npos);
}

TEST(Charts, HtmlReportIsSelfContained) {
  std::vector<RooflineResult> results;
  for (const char* name : {"alexnet", "mobilenet-v1"}) {
    const ZooEntry& e = zoo_entry(name);
    RooflineResult r = place(e.build(1, e.image_size), "p100", "fp32");
    r.analysis.model = e.display_name;
    results.push_back(std::move(r));
  }
  const std::string html = render_html_report(results);
  EXPECT_EQ(testing::xml_problem(html.substr(html.find("<html"))), "");
  EXPECT_NE(html.find("<title>reuselens report: 2 networks on p100 (fp32)</title>"),
            std::string::npos);
  EXPECT_EQ(testing::count_tags(html, "svg"), 4);  // two network charts + one per network
  EXPECT_NE(html.find("id=\"summary\""), std::string::npos);
  EXPECT_NE(html.find("id=\"conventions\""), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));  // no external assets
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script src"), std::string::npos);
}

}  // namespace
}  // namespace reuselens

namespace reuselens {
namespace {

// The zoo clusters on H100's plateau: the network chart must still print
// every name apart from every other, and draw every roof its legend lists.
TEST(Charts, NetworkChartLabelsNeverOverlapAndEveryRoofShows) {
  std::vector<RooflineResult> results;
  for (const ZooEntry& e : zoo()) {
    RooflineResult r = place(e.build(1, e.image_size), "h100-sxm", "fp32");
    r.analysis.model = e.display_name;
    results.push_back(std::move(r));
  }
  const std::string svg = render_network_roofline_svg(results, "AI_c");
  EXPECT_EQ(testing::xml_problem(svg), "");
  std::vector<double> ys;
  const std::string marker = "class=\"point-label\" x=\"";
  for (size_t i = 0; (i = svg.find(marker, i)) != std::string::npos; ++i) {
    const size_t y = svg.find("y=\"", i) + 3;
    ys.push_back(std::stod(svg.substr(y, svg.find('"', y) - y)));
  }
  ASSERT_EQ(ys.size(), zoo().size());
  std::sort(ys.begin(), ys.end());
  for (size_t i = 1; i < ys.size(); ++i) EXPECT_GE(ys[i] - ys[i - 1], 8.0) << "labels overlap";
  for (const char* roof : {"bf16 peak", "fp8 peak", "int8 peak", "tf32 peak"}) {
    const size_t g = svg.find(std::string("data-name=\"") + roof);
    ASSERT_NE(g, std::string::npos) << roof;
    const size_t points = svg.find("points=\"", g) + 8;
    EXPECT_NE(svg[points], '"') << roof << " is drawn outside the plot";
  }
}

}  // namespace
}  // namespace reuselens
