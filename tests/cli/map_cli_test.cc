// `reuselens map` as a user runs it: a mapping file counted, executed and
// drawn; a layer and a network searched; bad input as one-line errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_util.h"

namespace reuselens {
namespace {

using testing::run_cli;

const std::string kLayer = "--layer K=16,C=8,P=8,Q=8,R=3,S=3 --arch dram-buffer ";
const std::string kFile = "--mapping " + testing::source_path("tests/data/mapping/small_os.json");

nlohmann::json level(const nlohmann::json& result, const std::string& name) {
  for (const auto& l : result["levels"]) {
    if (l["name"] == name) return l;
  }
  return {};
}

TEST(MapCli, CountsAMappingFileByHand) {
  const auto r = run_cli("map " + kLayer + kFile + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  const auto buffer = level(doc["result"], "Buffer")["tensors"];
  // Tiles: K8 x C8 x 3 x 3 weights; C8 x 10 x 6 inputs; K8 x 8 x 4 outputs.
  EXPECT_EQ(buffer["Weights"]["tile"], 576);
  EXPECT_EQ(buffer["Inputs"]["tile"], 480);
  EXPECT_EQ(buffer["Outputs"]["tile"], 256);
  // DRAM steps K (2) inside Q (2): weights at every step; inputs stay over K
  // and come whole at the Q step under Timeloop's convention (its stride
  // differs from K's, which left the inputs in place).
  EXPECT_EQ(buffer["Weights"]["fills"], 576 * 4);
  EXPECT_EQ(buffer["Inputs"]["fills"], 480 * 2);
  EXPECT_EQ(buffer["Outputs"]["fills"], 256 * 4);
  const auto dram = level(doc["result"], "DRAM")["tensors"];
  EXPECT_EQ(dram["Outputs"]["updates"], 1024);
  EXPECT_EQ(dram["Outputs"]["reads"], 0);
  EXPECT_EQ(doc["result"]["macs"], 16 * 8 * 8 * 8 * 9);
}

TEST(MapCli, SimulationIsTheExactConvention) {
  const auto sim = run_cli("map " + kLayer + kFile + " --simulate --format json");
  const auto exact = run_cli("map " + kLayer + kFile + " --reuse-convention exact --format json");
  ASSERT_EQ(sim.exit_code, 0) << sim.err;
  ASSERT_EQ(exact.exit_code, 0) << exact.err;
  const auto a = nlohmann::json::parse(sim.out)["result"]["levels"];
  const auto b = nlohmann::json::parse(exact.out)["result"]["levels"];
  EXPECT_EQ(a, b);
  // Execution keeps the two input columns consecutive Q tiles share.
  EXPECT_EQ(level(nlohmann::json::parse(sim.out)["result"], "Buffer")["tensors"]["Inputs"]["fills"],
            480 + 8 * 10 * 4);
}

TEST(MapCli, SearchesALayerAndDrawsIt) {
  const std::string svg = ::testing::TempDir() + "/map.svg";
  std::filesystem::remove(svg);
  const auto r = run_cli(
      "map --layer K=64,C=32,P=14,Q=14,R=3,S=3 --arch eyeriss-like --search "
      "--budget 50000 --format json --svg " +
      svg);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto s = nlohmann::json::parse(r.out)["search"];
  EXPECT_EQ(s["evaluated"], 50000);
  EXPECT_FALSE(s["exhaustive"].get<bool>());
  EXPECT_GE(s["best"][0]["result"]["dram_words"].get<int64_t>(),
            s["compulsory_dram_words"].get<int64_t>());
  const std::string chart = testing::read_text(svg);
  EXPECT_EQ(testing::xml_problem(chart), "");
  EXPECT_NE(chart.find("GlobalBuffer"), std::string::npos);
  EXPECT_GE(testing::count_tags(chart, "rect"), 4);
}

TEST(MapCli, NetworkTotalsAreTheLayersSums) {
  const auto r = run_cli("map zoo:alexnet --arch simba-like --search --budget 2000 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto n = nlohmann::json::parse(r.out)["network"];
  ASSERT_EQ(n["layers"].size(), 8u);  // 5 conv + 3 FC
  int64_t macs = 0, dram = 0;
  for (const auto& l : n["layers"]) {
    macs += l["result"]["macs"].get<int64_t>();
    dram += l["result"]["dram_words"].get<int64_t>();
  }
  EXPECT_EQ(n["macs"], macs);
  EXPECT_EQ(n["dram_words"], dram);
  // The MACs of the conv/FC layers, as analyze counts them.
  const auto a = run_cli("analyze zoo:alexnet --convention conv-fc --format json");
  EXPECT_EQ(macs, nlohmann::json::parse(a.out)["analysis"]["total"]["mc"].get<int64_t>());
}

TEST(MapCli, BadInputIsAOneLineError) {
  const std::string bad = ::testing::TempDir() + "/bad_mapping.json";
  { std::ofstream(bad) << R"([{"target": "DRAM", "factors": "K=3"}])"; }
  const auto r = run_cli("map " + kLayer + "--mapping " + bad);
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("dim K: factors multiply to 3"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
  EXPECT_EQ(run_cli("map " + kLayer + "--mapping /nonexistent.json").exit_code, 3);
  EXPECT_EQ(run_cli("map --layer K=0,C=3 --search").exit_code, 2);
  EXPECT_EQ(run_cli("map zoo:alexnet --only pool1 --search").exit_code, 2);
}

}  // namespace
}  // namespace reuselens
