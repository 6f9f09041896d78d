#include "reuselens/dataflow.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "reuselens/error.h"
#include "reuselens/report.h"
#include "reuselens/zoo.h"
#include "test_util.h"

namespace reuselens {
namespace {

// The slides' AlexNet table: m per conv layer, 2m^2 + 1, and the write-once
// outputs buffer in kB (1 kB = 1024 bytes) at b = 8, 16, 32 bits.
TEST(SimaSlides, AlexNetBufferTable) {
  const ZooEntry& e = zoo_entry("alexnet");
  const NetworkDataflow n = analyze_dataflow(e.build(1, 227), {});
  const int64_t m[] = {55, 27, 13, 13, 13};
  const int64_t two_m2[] = {6051, 1459, 339, 339, 339};
  const char* kb[5][3] = {{"5.91", "11.82", "23.64"},
                          {"1.42", "2.85", "5.70"},
                          {"0.33", "0.66", "1.32"},
                          {"0.33", "0.66", "1.32"},
                          {"0.33", "0.66", "1.32"}};
  for (int layer = 0; layer < 5; ++layer) {
    const ConvProblem& x = n.layers[layer].problem;
    EXPECT_EQ(x.p, m[layer]);
    EXPECT_EQ(2 * x.p * x.q + 1, two_m2[layer]);
    int i = 0;
    for (int bits : {8, 16, 32}) {
      const LayerBounds b = layer_bounds(x, 1 << 20, bits);
      char text[16];
      std::snprintf(text, sizeof text, "%.2f", static_cast<double>(b.woo_buffer_bits) / 8 / 1024);
      EXPECT_STREQ(text, kb[layer][i++]) << "layer " << layer + 1 << " b=" << bits;
    }
  }
}

// Timeloop's Eyeriss-like reference layer: C=3, M=32, R=S=3, P=Q=112, stride 2,
// no padding (input 225 wide): compulsory traffic 864 + 151,875 + 401,408.
TEST(Timeloop, CompulsoryTrafficOfReferenceLayer) {
  const ConvProblem x = parse_problem("p=32,q=3,n=225,r=3,s=2,pad=0");
  EXPECT_EQ(x.p, 112);
  const LayerBounds b = layer_bounds(x, 1 << 20, 16);
  EXPECT_EQ(b.compulsory.weight_reads, 864);
  EXPECT_EQ(b.compulsory.input_reads, 151875);
  EXPECT_EQ(b.compulsory.output_writes, 401408);
  EXPECT_EQ(b.compulsory.total(), 554147);
}

// The lecture: 128 filters of 3x3x128 on a 16-wide MAC unit with a one-word
// buffer: dot product 1152, 72 partial sums per output; output-stationary
// spills none, weight-stationary 72 per output, 72 x 128 per output position.
TEST(Lecture, PartialSumExample) {
  const int64_t length = 3 * 3 * 128;
  EXPECT_EQ(length, 1152);
  EXPECT_EQ(partial_sums_per_output(length, 16), 72);
  EXPECT_EQ(dram_partial_sum_accesses(Stationary::kOutput, length, 16), 0);
  EXPECT_EQ(128 * dram_partial_sum_accesses(Stationary::kWeight, length, 16), 72 * 128);
}

TEST(ClosedForms, SlidesFormulasByHand) {
  const ConvProblem x = parse_problem("p=384,q=256,n=15,r=3,s=1,pad=1");
  EXPECT_EQ(x.p, 15);
  const LayerBounds b = layer_bounds(x, 64 * 1024 * 8, 16);
  EXPECT_EQ(b.macs, int64_t{384} * 256 * 15 * 15 * 9);
  EXPECT_EQ(b.woo_model.input_reads, int64_t{384} * 256 * 225);
  EXPECT_EQ(b.woo_model.output_writes, 384 * 225);
  EXPECT_EQ(b.woo_model.weight_reads, 384 * (256 * 9 + 1));
  EXPECT_EQ(b.woo_buffer_bits, 16 * (2 * 225 + 1));
  EXPECT_EQ(b.roi_model.output_reads + b.roi_model.output_writes,
            int64_t{384} * 225 * (2 * 256 - 1));
  const double half = (32768.0 - 1) / 2;
  EXPECT_DOUBLE_EQ(b.lower_bound_words, static_cast<double>(b.macs) / (half * half));
}

// Closed forms equal the simulator's exact counts over a table of small
// layers, tilings and buffers; the lower bound and compulsory traffic are
// never above any simulated dataflow, explicit or LRU.
TEST(ClosedForms, EqualTheSimulatorOnSmallLayers) {
  std::mt19937 rng(2026);
  int checked = 0;
  const char* layers[] = {"p=4,q=3,n=7,r=3,s=1,pad=1", "p=5,q=2,n=9,r=3,s=2,pad=0",
                          "p=3,q=4,n=8,r=5,s=2,pad=2", "p=6,q=1,n=6,r=1,s=1,pad=0",
                          "p=2,q=5,n=11,r=3,s=3,pad=1", "p=4,q=4,n=5,r=2,s=1,pad=1",
                          "p=3,q=3,n=12,r=4,s=2,pad=1,g=2",
                          // Outside the slides' closed forms, exact all the same:
                          // stride beyond the kernel (ResNet's 1x1/2 shortcut),
                          // padding as wide as the kernel (all-padding windows).
                          "p=6,q=4,n=9,r=1,s=2,pad=0", "p=4,q=3,n=10,r=2,s=3,pad=1",
                          "p=3,q=2,n=7,r=3,s=1,pad=3", "p=5,q=3,n=8,r=1,s=1,pad=1"};
  for (const char* spec : layers) {
    const ConvProblem x = parse_problem(spec);
    for (int64_t buffer_words : {24, 64, 256, 4096}) {
      const LayerBounds b = layer_bounds(x, buffer_words * 16, 16);
      std::vector<Tiling> tilings = {write_once_outputs(x), read_once_inputs(x)};
      for (Stationary s : {Stationary::kOutput, Stationary::kWeight, Stationary::kInput}) {
        tilings.push_back(best_tiling(x, s, buffer_words).tiling);
        tilings.push_back({s, int64_t(1 + rng() % 3), int64_t(1 + rng() % 3),
                           int64_t(1 + rng() % 4), int64_t(1 + rng() % 4)});
      }
      for (const Tiling& t : tilings) {
        const Traffic closed = tiling_traffic(x, t);
        const SimulationResult sim = simulate(x, t, BufferPolicy::kExplicit);
        EXPECT_EQ(closed.input_reads, sim.traffic.input_reads) << spec;
        EXPECT_EQ(closed.weight_reads, sim.traffic.weight_reads) << spec;
        EXPECT_EQ(closed.output_reads, sim.traffic.output_reads) << spec;
        EXPECT_EQ(closed.output_writes, sim.traffic.output_writes) << spec;
        EXPECT_EQ(sim.mac_steps, x.macs());
        EXPECT_LE(sim.peak_resident_words, tiling_buffer_words(x, t) * x.groups);
        EXPECT_LE(b.compulsory.total(), closed.total()) << spec;
        EXPECT_LE(b.lower_bound_words, static_cast<double>(closed.total())) << spec;
        const SimulationResult lru = simulate(x, t, BufferPolicy::kLru, buffer_words);
        EXPECT_LE(b.compulsory.total(), lru.traffic.total()) << spec;
        EXPECT_LE(b.lower_bound_words, static_cast<double>(lru.traffic.total())) << spec;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 11 * 4 * 8);
}

TEST(ClosedForms, NotApplicableOutsideTheSlidesModel) {
  EXPECT_EQ(closed_forms_not_applicable(parse_problem("p=4,q=3,n=7,r=3,s=1,pad=1")), "");
  EXPECT_EQ(closed_forms_not_applicable(parse_problem("p=4,q=3,n=7,r=3,s=3,pad=2")), "");
  const LayerBounds b = layer_bounds(parse_problem("p=6,q=4,n=9,r=1,s=2"), 1 << 14, 16);
  EXPECT_NE(b.closed_forms_na.find("stride 2 > kernel 1"), std::string::npos);
  EXPECT_EQ(b.woo_model.total(), 0);
  EXPECT_GT(b.lower_bound_words, 0);
  EXPECT_EQ(b.compulsory.input_reads, 4 * 5 * 5);  // every other row and column
  EXPECT_NE(closed_forms_not_applicable(parse_problem("p=4,q=3,n=7,r=3,pad=3")).find("pad 3 >= "),
            std::string::npos);
}

TEST(ClosedForms, LruWithRoomForEverythingIsCompulsory) {
  const ConvProblem x = parse_problem("p=4,q=3,n=7,r=3,s=1,pad=1");
  const LayerBounds b = layer_bounds(x, 1 << 20, 16);
  const SimulationResult lru =
      simulate(x, {Stationary::kWeight, 1, 1, 1, 1}, BufferPolicy::kLru, 100000);
  EXPECT_EQ(lru.traffic.total(), b.compulsory.total());
}

TEST(BestTiling, FitsTheBufferAndFlagsWhenNothingDoes) {
  const ConvProblem x = parse_problem("p=64,q=64,n=28,r=3,s=1,pad=1");
  for (Stationary s : {Stationary::kOutput, Stationary::kWeight, Stationary::kInput}) {
    const DataflowChoice d = best_tiling(x, s, 4096);
    EXPECT_TRUE(d.fits);
    EXPECT_LE(d.buffer_words, 4096);
    EXPECT_EQ(d.traffic.total(), tiling_traffic(x, d.tiling).total());
  }
  const DataflowChoice tiny = best_tiling(x, Stationary::kOutput, 5);
  EXPECT_FALSE(tiny.fits);
  EXPECT_GT(tiny.buffer_words, 5);
}

TEST(BadInput, ClearErrors) {
  const auto expect = [](const std::function<void()>& f, const std::string& fragment) {
    try {
      f();
      ADD_FAILURE() << "no error, expected " << fragment;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kUsage);
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  expect([] { parse_problem("p=0,q=3,n=7,r=3"); }, "p (output maps) must be positive");
  expect([] { parse_problem("p=4,q=-3,n=7,r=3"); }, "q (input maps) must be positive");
  expect([] { parse_problem("p=4,q=3,n=7,r=3,pad=-1"); }, "pad must not be negative");
  expect([] { parse_problem("p=4,q=3,n=2,r=5"); }, "kernel is larger than the padded input");
  expect([] { parse_problem("p=4,q=3,n=7"); }, "field 'r' is missing");
  expect([] { parse_problem("p=4,q=3,n=7,r=3,t=1"); }, "unknown field 't'");
  expect([] { layer_bounds(parse_problem("p=4,q=3,n=7,r=3"), 32, 16); }, "holds 2 words");
  expect([] { parse_buffer_bits("64 parsecs"); }, "is not a positive number with a unit");
  expect([] { parse_buffer_bits("-4KiB"); }, "is not a positive number with a unit");
  EXPECT_EQ(parse_buffer_bits("64KiB"), 64 * 1024 * 8);
  EXPECT_EQ(parse_buffer_bits("48kB"), 48000 * 8);
  EXPECT_EQ(parse_buffer_bits("4096b"), 4096);
  EXPECT_EQ(parse_buffer_bits("1MiB"), 8 * 1048576);
}

TEST(Energy, HandComputedLayer) {
  const EnergyTable t = load_energy_table("horowitz45");
  EXPECT_DOUBLE_EQ(t.dram_pj_per_bit, 20.0);
  EXPECT_DOUBLE_EQ(t.mac_pj("fp", 32), 3.7 + 0.9);
  EXPECT_DOUBLE_EQ(t.mac_pj("int", 8), 0.2 + 0.03);
  EXPECT_DOUBLE_EQ(t.sram_pj_per_bit(8192), 10.0 / 64);
  EXPECT_DOUBLE_EQ(t.sram_pj_per_bit(1024), 10.0 / 64);     // clamped below
  EXPECT_NEAR(t.sram_pj_per_bit(16384), 15.0 / 64, 1e-12);  // halfway in log(size)
  Traffic tr;
  tr.input_reads = 100;
  tr.weight_reads = 50;
  tr.output_writes = 10;
  const EnergyBreakdown e = layer_energy(t, tr, 1000, 16, 8192 * 8, "fp");
  EXPECT_DOUBLE_EQ(e.dram_input_pj, 100 * 16 * 20.0);
  EXPECT_DOUBLE_EQ(e.dram_weight_pj, 50 * 16 * 20.0);
  EXPECT_DOUBLE_EQ(e.dram_output_pj, 10 * 16 * 20.0);
  EXPECT_DOUBLE_EQ(e.buffer_pj, 3 * 1000 * 16 * 10.0 / 64);
  EXPECT_DOUBLE_EQ(e.compute_pj, 1000 * 1.5);
  EXPECT_THROW(t.mac_pj("fp", 8), Error);
  EXPECT_THROW(parse_energy_json(R"({"name": "x"})", "e.json"), Error);
}

TEST(Sweeps, FitTheModelsAsymptotics) {
  const ConvProblem base = parse_problem("p=384,q=256,n=15,r=3,s=1,pad=1");
  DataflowOptions o;
  for (const char* sweep : {"p=16:512:x2", "n=8:64:+8", "r=1:7:+2", "s=1:3:+1"}) {
    const DataflowSweep s = sweep_dataflow(base, sweep, o);
    EXPECT_GE(s.points.size(), 3u);
    EXPECT_GT(s.r2, 0.99) << sweep;
    EXPECT_GT(s.slope, 0) << sweep;
  }
  const DataflowSweep p = sweep_dataflow(base, "p=16:512:x2", o);
  EXPECT_NEAR(p.r2, 1.0, 1e-12);  // exactly linear in p
  const std::string svg = render_dataflow_sweep_svg(p);
  EXPECT_EQ(testing::xml_problem(svg), "");
  EXPECT_EQ(testing::count_tags(svg, "circle"), 3 * 6 + 3);  // 3 marked series x 6 points + legend
  EXPECT_THROW(sweep_dataflow(base, "z=1:4:+1", o), Error);
  EXPECT_THROW(sweep_dataflow(base, "p=16:8:x2", o), Error);
}

}  // namespace
}  // namespace reuselens
