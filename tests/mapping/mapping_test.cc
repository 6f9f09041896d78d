// The mapping model: closed form against execution on random mappings, the
// lecture's partial-sum example, the two-level dataflows as special cases,
// presets, and bad input.
#include "reuselens/mapping.h"

#include <gtest/gtest.h>

#include <random>

#include "reuselens/dataflow.h"
#include "reuselens/error.h"

namespace reuselens {
namespace {

const char* kThreeLevel = R"({"name": "t", "mac_energy": 1, "levels": [
  {"name": "DRAM", "read_energy": 100},
  {"name": "GLB", "capacity_words": 4096, "read_energy": 5, "fanout_x": 4, "fanout_y": 2},
  {"name": "RF", "capacity_words": 256, "read_energy": 1}]})";

// A random mapping: each dim's extent split over the levels' temporal and
// spatial slots, random loop orders, random bypass below DRAM.
Mapping random_mapping(std::mt19937& rng, const Architecture& arch, const MapProblem& p) {
  Mapping m;
  m.levels.resize(arch.levels.size());
  for (int d = 0; d < kMapDims; ++d) {
    int64_t left = p.size[d];
    for (size_t l = arch.levels.size(); l-- > 0;) {
      for (int axis = 0; axis < 2 && l + 1 < arch.levels.size() + 1; ++axis) {
        const int64_t fan = axis == 0 ? arch.levels[l].fanout_x : arch.levels[l].fanout_y;
        auto& loops = axis == 0 ? m.levels[l].spatial_x : m.levels[l].spatial_y;
        int64_t used = 1;
        for (const auto& lp : loops) used *= lp.bound;
        std::vector<int64_t> options;
        for (int64_t f = 1; f <= left; ++f) {
          if (left % f == 0 && used * f <= fan) options.push_back(f);
        }
        const int64_t f = options[rng() % options.size()];
        if (f > 1) loops.push_back({static_cast<MapDim>(d), f});
        left /= f;
      }
      if (l == 0) {
        m.levels[0].temporal.push_back({static_cast<MapDim>(d), left});
        break;
      }
      std::vector<int64_t> options;
      for (int64_t f = 1; f <= left; ++f) {
        if (left % f == 0) options.push_back(f);
      }
      const int64_t f = options[rng() % options.size()];
      m.levels[l].temporal.push_back({static_cast<MapDim>(d), f});
      left /= f;
    }
  }
  for (size_t l = 0; l < m.levels.size(); ++l) {
    std::shuffle(m.levels[l].temporal.begin(), m.levels[l].temporal.end(), rng);
    if (l > 0) {
      for (int t = 0; t < kMapTensors; ++t) m.levels[l].keeps[t] = rng() % 4 != 0;
    }
  }
  return m;
}

TEST(MappingModel, ClosedFormEqualsExecutionOnRandomMappings) {
  Architecture arch = parse_architecture_json(kThreeLevel, "three-level");
  arch.levels[1].capacity = arch.levels[2].capacity = 0;  // any tile fits
  std::mt19937 rng(7);
  const std::vector<std::string> layers = {"K=4,C=6,P=6,Q=4,R=3,S=2",
                                           "N=2,K=8,C=4,P=5,Q=5,R=3,S=3,stride=2",
                                           "K=6,C=4,P=8,R=3,dilation=2", "K=16,C=12"};
  int compared = 0;
  for (const std::string& spec : layers) {
    const MapProblem p = parse_map_problem(spec, /*dims_default_to_one=*/true);
    for (int i = 0; i < 60; ++i) {
      const Mapping m = random_mapping(rng, arch, p);
      const MappingResult closed = evaluate_mapping(m, arch, p, ReuseConvention::kExact);
      const MappingResult run = simulate_mapping(m, arch, p);
      for (size_t l = 0; l < run.levels.size(); ++l) {
        for (int t = 0; t < kMapTensors; ++t) {
          const TensorCounts& a = closed.levels[l].tensors[t];
          const TensorCounts& b = run.levels[l].tensors[t];
          ASSERT_EQ(a.fills, b.fills)
              << spec << " #" << i << " level " << l << " tensor " << t << "\n"
              << mapping_to_json(m, arch);
          ASSERT_EQ(a.tile, b.tile);
          ASSERT_EQ(a.reads, b.reads);
          ASSERT_EQ(a.updates, b.updates);
          ++compared;
        }
      }
      // Every MAC reads its operands once at the innermost keeper, and each
      // output is written to DRAM at least once.
      EXPECT_GE(closed.levels[0].tensors[2].updates, p.tensor_size(MapTensor::kOutputs));
    }
  }
  EXPECT_GT(compared, 2000);
}

// The lecture: 128 outputs, each a dot product of 3 x 3 x 128 on 16 MACs.
TEST(MappingModel, LecturePartialSums) {
  const Architecture arch = parse_architecture_json(R"({"name": "psum", "levels": [
      {"name": "DRAM", "fanout_x": 16, "dims_x": ["C"]},
      {"name": "Accumulator", "capacity_words": {"Outputs": 1}, "keeps": ["Outputs"]}]})",
                                                    "psum");
  const MapProblem p = parse_map_problem("K=128,C=128,R=3,S=3", /*dims_default_to_one=*/true);
  const auto dram_outputs = [&](const std::string& dram_order, const std::string& acc) {
    const std::string json = R"([{"target": "DRAM", "type": "spatial", "factors": "C=16"},
        {"target": "DRAM", "type": "temporal", "factors": ")" +
                             std::string(acc.empty() ? "K=128 C=8 R=3 S=3" : "K=128") +
                             R"(", "permutation": ")" + dram_order + R"("},
        {"target": "Accumulator", "type": "temporal", "factors": ")" +
                             acc + R"("}])";
    const MappingResult r = evaluate_mapping(parse_mapping_json(json, "m", arch), arch, p);
    return r.levels[0].tensors[static_cast<int>(MapTensor::kOutputs)];
  };
  // Output-stationary: the reduction runs in the accumulators; one write per output.
  const TensorCounts os = dram_outputs("K", "C=8 R=3 S=3");
  EXPECT_EQ(os.updates, 128);
  EXPECT_EQ(os.reads, 0);
  EXPECT_EQ(dram_partial_sum_accesses(Stationary::kOutput, 1152, 16), 0);
  // Weight-stationary: every group of 16 products leaves as a partial sum.
  const TensorCounts ws = dram_outputs("KCRS", "");
  EXPECT_EQ(ws.updates, 128 * dram_partial_sum_accesses(Stationary::kWeight, 1152, 16));
  EXPECT_EQ(ws.reads, ws.updates - 128);  // the first update of each output reads nothing
}

// The dataflow command's tiled output-stationary nest is a mapping on the
// DRAM + buffer machine: the same DRAM words (a layer without padding).
TEST(MappingModel, TwoLevelDataflowIsASpecialCase) {
  ConvProblem c;
  c.k = 32, c.c = 16, c.h = c.w = 14, c.p = c.q = 12, c.r = c.s = 3;
  Tiling t;
  t.stationary = Stationary::kOutput;
  t.kt = 8, t.ct = 4, t.pt = 6, t.qt = 4;
  const Traffic expected = tiling_traffic(c, t);
  Architecture arch = load_architecture("dram-buffer");
  const MapProblem p =
      parse_map_problem("K=32,C=16,P=12,Q=12,R=3,S=3", /*dims_default_to_one=*/true);
  // for K, P, Q tiles { for C tiles { W, I in } O out }: C innermost at DRAM.
  const Mapping m = parse_mapping_json(R"([
      {"target": "DRAM", "type": "temporal", "factors": "C=4 Q=3 P=2 K=4", "permutation": "CQPK"},
      {"target": "Buffer", "type": "temporal", "factors": "K=8 C=4 P=6 Q=4 R=3 S=3"}])",
                                       "os", arch);
  const MappingResult r = evaluate_mapping(m, arch, p);
  const auto& dram = r.levels[0].tensors;
  EXPECT_EQ(dram[0].reads, expected.weight_reads);
  EXPECT_EQ(dram[1].reads, expected.input_reads);
  EXPECT_EQ(dram[2].updates, expected.output_writes);
  EXPECT_EQ(dram[2].reads, expected.output_reads);
}

TEST(MappingModel, PresetsLoadWithSources) {
  const auto presets = architecture_presets();
  EXPECT_EQ(presets.size(), 4u);
  for (const std::string& name : presets) {
    const Architecture a = load_architecture(name);
    EXPECT_FALSE(a.source.empty()) << name;
    EXPECT_GT(a.levels.size(), 1u) << name;
  }
  EXPECT_EQ(load_architecture("eyeriss-like").mac_instances(), 168);
  EXPECT_EQ(load_architecture("tpu-v1-like").mac_instances(), 65536);
  EXPECT_EQ(load_architecture("simba-like").mac_instances(), 1024);
}

TEST(MappingModel, BadMappingsAreErrorsNamingTheProblem) {
  const Architecture arch = parse_architecture_json(kThreeLevel, "t");
  const MapProblem p = parse_map_problem("K=16,C=16,P=4", /*dims_default_to_one=*/true);
  const auto error = [&](const std::string& json) {
    try {
      evaluate_mapping(parse_mapping_json(json, "m.json", arch), arch, p);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error(R"([{"target": "DRAM", "factors": "K=16 C=16 P=2"}])")
                .find("dim P: factors multiply to 2"),
            std::string::npos);
  EXPECT_NE(error(R"([{"target": "SRAM", "factors": "K=8"}])").find("= \"SRAM\": is not a level"),
            std::string::npos);
  EXPECT_NE(error(R"([{"target": "DRAM", "factors": "K=2 C=16 P=4"},
                      {"target": "GLB", "type": "spatial", "factors": "K=8"}])")
                .find("factors use 8 of 4"),
            std::string::npos);
  EXPECT_NE(error(R"([{"target": "RF", "factors": "K=16 C=16 P=4"}])").find("RF: the tiles need"),
            std::string::npos);
  EXPECT_NE(error(R"([{"target": "DRAM", "factors": "X=8"}])").find("'X' is not a dim"),
            std::string::npos);
  EXPECT_THROW(load_architecture("no-such-preset"), Error);
  EXPECT_THROW(parse_architecture_json(
                   R"({"name": "x", "levels": [{"name": "D", "keeps": ["Weights"]}]})", "x"),
               Error);
}

TEST(MappingSearch, FindsAMappingAtLeastAsGoodAsAGivenOne) {
  const Architecture arch = load_architecture("dram-buffer");
  const MapProblem p =
      parse_map_problem("K=32,C=16,P=12,Q=12,R=3,S=3", /*dims_default_to_one=*/true);
  SearchOptions o;
  o.objective = MapObjective::kDram;
  const SearchResult s = search_mappings(arch, p, o);
  ASSERT_FALSE(s.best.empty());
  EXPECT_TRUE(s.exhaustive);
  // Everything fits the 64 Ki-word buffer: the compulsory traffic.
  EXPECT_EQ(s.best.front().second.dram_words(), s.compulsory_dram_words);
  EXPECT_LE(s.lower_bound_dram_words, s.compulsory_dram_words);
  for (size_t i = 1; i < s.best.size(); ++i) {
    EXPECT_LE(s.best[i - 1].second.dram_words(), s.best[i].second.dram_words());
  }
}

TEST(MappingSearch, RespectsCapacitiesAndFanouts) {
  const Architecture arch = load_architecture("eyeriss-like");
  const MapProblem p =
      parse_map_problem("K=64,C=32,P=13,Q=13,R=3,S=3", /*dims_default_to_one=*/true);
  SearchOptions o;
  o.max_evaluations = 20000;
  const SearchResult s = search_mappings(arch, p, o);
  ASSERT_FALSE(s.best.empty());
  for (const auto& [m, r] : s.best) {
    EXPECT_NO_THROW(validate_mapping(m, arch, p));
    EXPECT_GT(r.utilization, 0.3);
    EXPECT_GE(r.dram_words(), s.compulsory_dram_words);
  }
}

}  // namespace
}  // namespace reuselens
