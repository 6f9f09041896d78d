// Per-level counts against Timeloop's own reference outputs (transcribed in
// tests/data/timeloop/reference_cases.json, source cited there): every tile,
// partition, read, fill and update of every level and tensor must agree. The
// access-by-access simulation must agree with the closed form under the
// exact convention on the same cases.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "reuselens/mapping.h"
#include "test_util.h"

namespace reuselens {
namespace {

using nlohmann::json;

json cases() {
  return json::parse(
      testing::read_text(testing::source_path("tests/data/timeloop/reference_cases.json")));
}

struct Case {
  std::string name;
  Architecture arch;
  MapProblem problem;
  Mapping mapping;
  json expect;
};

std::vector<Case> load_cases() {
  const json doc = cases();
  std::vector<Case> out;
  for (const json& c : doc["cases"]) {
    Case k;
    k.name = c["name"];
    k.arch = parse_architecture_json(doc["architectures"][c["arch"].get<std::string>()].dump(),
                                     c["arch"]);
    k.problem = parse_map_problem(c["layer"], /*dims_default_to_one=*/true);
    k.mapping = parse_mapping_json(c["mapping"].dump(), k.name, k.arch);
    k.expect = c["expect"];
    out.push_back(std::move(k));
  }
  return out;
}

const LevelCounts& level(const MappingResult& r, const std::string& name) {
  for (const LevelCounts& l : r.levels) {
    if (l.name == name) return l;
  }
  throw std::runtime_error("no level " + name);
}

TEST(TimeloopReference, EveryCountOfEveryCase) {
  const auto all = load_cases();
  ASSERT_EQ(all.size(), 6u);
  for (const Case& c : all) {
    const MappingResult r = evaluate_mapping(c.mapping, c.arch, c.problem);
    for (const auto& [level_name, tensors] : c.expect.items()) {
      const LevelCounts& l = level(r, level_name);
      for (const auto& [tensor_name, v] : tensors.items()) {
        int t = 0;
        while (map_tensor_name(static_cast<MapTensor>(t)) != tensor_name) ++t;
        const TensorCounts& got = l.tensors[t];
        const std::string where = c.name + ": " + level_name + " " + tensor_name;
        EXPECT_TRUE(got.kept) << where;
        EXPECT_EQ(got.tile, v[0].get<int64_t>()) << where << " utilized capacity";
        EXPECT_EQ(got.partition, v[1].get<int64_t>()) << where << " partition size";
        EXPECT_EQ(got.reads, v[2].get<int64_t>()) << where << " reads";
        EXPECT_EQ(got.fills, v[3].get<int64_t>()) << where << " fills";
        EXPECT_EQ(got.updates, v[4].get<int64_t>()) << where << " updates";
      }
    }
  }
}

// Where Timeloop's stride-reset rule does not apply, execution agrees with
// it; everywhere, execution agrees with the exact convention.
TEST(TimeloopReference, SimulationMatchesTheExactConvention) {
  for (const Case& c : load_cases()) {
    const MappingResult closed =
        evaluate_mapping(c.mapping, c.arch, c.problem, ReuseConvention::kExact);
    const MappingResult run = simulate_mapping(c.mapping, c.arch, c.problem);
    ASSERT_EQ(closed.levels.size(), run.levels.size());
    for (size_t l = 0; l < run.levels.size(); ++l) {
      for (int t = 0; t < kMapTensors; ++t) {
        const TensorCounts& a = closed.levels[l].tensors[t];
        const TensorCounts& b = run.levels[l].tensors[t];
        const std::string where =
            c.name + ": " + run.levels[l].name + " " + map_tensor_name(static_cast<MapTensor>(t));
        EXPECT_EQ(a.tile, b.tile) << where;
        EXPECT_EQ(a.partition, b.partition) << where;
        EXPECT_EQ(a.fills, b.fills) << where;
        EXPECT_EQ(a.reads, b.reads) << where;
        EXPECT_EQ(a.updates, b.updates) << where;
      }
    }
  }
}

// The one place the conventions part on these cases: K steps over 16 PEs
// restart R's sliding window; Timeloop refetches the 16-word input tile
// (36 words per C), execution keeps the 14 words the windows share (22).
TEST(TimeloopReference, ConventionsDifferOnlyWhereTheStrideResets) {
  const auto all = load_cases();
  const Case& kp = all[4];
  const auto fills = [&](ReuseConvention convention) {
    return evaluate_mapping(kp.mapping, kp.arch, kp.problem, convention)
        .levels[2]
        .tensors[static_cast<int>(MapTensor::kInputs)]
        .fills;
  };
  EXPECT_EQ(fills(ReuseConvention::kTimeloop), 32 * 36);
  EXPECT_EQ(fills(ReuseConvention::kExact), 32 * 22);
}

}  // namespace
}  // namespace reuselens
