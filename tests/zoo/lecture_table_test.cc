// The lecture's scaling table (Observation 1; Sze et al. 2017, Table 3) from
// `compare --by-kind`: every cell equals ours at the lecture's rounding, or
// is one of the differences docs/zoo.md explains, pinned here to our exact
// count so that a change to either shows.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "test_util.h"

namespace reuselens {
namespace {

using testing::parse_csv;
using testing::read_text;
using testing::run_cli;
using testing::source_path;

// "2.6k" -> {2600, 100}: the value and the unit of its last printed digit.
std::pair<double, double> printed(const std::string& text) {
  double scale = 1;
  std::string digits = text;
  const char suffix = text.back();
  if (suffix == 'k' || suffix == 'M' || suffix == 'G') {
    scale = suffix == 'k' ? 1e3 : suffix == 'M' ? 1e6 : 1e9;
    digits.pop_back();
  }
  const size_t dot = digits.find('.');
  const int decimals = dot == std::string::npos ? 0 : static_cast<int>(digits.size() - dot - 1);
  return {std::stod(digits) * scale, scale * std::pow(10.0, -decimals)};
}

struct Difference {
  int64_t ours;
  const char* why;  // the explanation docs/zoo.md gives
};

// (row, model) -> our exact count where it is not the lecture's.
const std::map<std::pair<std::string, std::string>, Difference>& differences() {
  static const std::map<std::pair<std::string, std::string>, Difference> d = {
      {{"conv_layers", "vgg16"}, {13, "VGG-16 has 13 conv layers; 16 counts its 3 FC layers too"}},
      {{"conv_layers", "resnet50"},
       {53, "49 is the depth in conv layers; the 4 projection shortcuts make 53"}},
      {{"conv_macs", "lenet5"},
       {357600, "no LeNet-5 variant gives 283k: C3 fully connected 357,600, Table I's 267,600"}},
      {{"fc_layers", "lenet5"}, {3, "the output layer counts as the third FC layer"}},
      {{"fc_weights", "lenet5"}, {59134, "C5 + F6 + output, with biases; the lecture C5 + F6"}},
      {{"fc_macs", "lenet5"}, {58920, "C5 + F6 + output; the lecture C5 + F6 (58,080)"}},
      {{"total_weights", "lenet5"}, {61706, "the output layer and biases"}},
      {{"total_macs", "lenet5"}, {416520, "conv MACs, as above"}},
  };
  return d;
}

TEST(LectureTable, EveryCellAtTheLecturesRoundingOrExplained) {
  const auto r = run_cli(
      "compare zoo:lenet5 zoo:alexnet@3x227x227 zoo:vgg16 zoo:resnet50 --by-kind --convention "
      "conv-fc --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  // The file's first lines are its citation, '#' comments.
  std::string text = read_text(source_path("data/lecture/scaling_table.csv"));
  while (text[0] == '#') text.erase(0, text.find('\n') + 1);
  const auto rows = parse_csv(text);
  ASSERT_EQ(rows[0], (std::vector<std::string>{"row", "lenet5", "alexnet", "vgg16", "resnet50"}));
  int matched = 0, explained = 0;
  for (size_t model = 0; model < 4; ++model) {
    const auto& m = doc["models"][model];
    std::map<std::string, int64_t> ours;
    for (const auto& k : m["by_kind"]) {
      const std::string kind = k["kind"];
      if (kind != "conv" && kind != "fc") continue;
      ours[kind + "_layers"] = k["layers"];
      ours[kind + "_weights"] = k["weights"];
      ours[kind + "_macs"] = k["macs"];
    }
    // The lecture's totals are conv + FC (no BatchNorm parameters).
    ours["total_weights"] = ours["conv_weights"] + ours["fc_weights"];
    ours["total_macs"] = ours["conv_macs"] + ours["fc_macs"];
    const std::string name = rows[0][model + 1];
    const std::vector<int64_t> shape = m["input_shape"];
    EXPECT_EQ(std::to_string(shape[2]) + "x" + std::to_string(shape[3]), rows[1][model + 1]);
    for (size_t i = 2; i < rows.size(); ++i) {
      const std::string& row = rows[i][0];
      const auto [value, unit] = printed(rows[i][model + 1]);
      const int64_t count = ours.at(row);
      const bool equal = std::abs(static_cast<double>(count) - value) <= unit / 2 + 1e-9;
      auto diff = differences().find({row, name});
      if (diff == differences().end()) {
        EXPECT_TRUE(equal) << name << " " << row << ": ours " << count << ", the lecture's "
                           << rows[i][model + 1];
        ++matched;
      } else {
        EXPECT_FALSE(equal) << name << " " << row << " now matches: drop the explanation";
        EXPECT_EQ(count, diff->second.ours) << name << " " << row << ": " << diff->second.why;
        ++explained;
      }
    }
  }
  EXPECT_EQ(matched, 24);  // 4 models x 8 rows, input sizes checked apart
  EXPECT_EQ(explained, 8);
}

// LeNet-5's counts by hand (LeCun et al. 1998, Fig. 2; C3 fully connected).
TEST(LectureTable, LeNet5ByHand) {
  const auto r = run_cli("analyze zoo:lenet5 --by-kind --convention conv-fc --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto a = nlohmann::json::parse(r.out)["analysis"];
  // C1: 6 x 28 x 28 outputs x 25; C3: 16 x 10 x 10 x 150.
  EXPECT_EQ(a["by_kind"][0]["kind"], "conv");
  EXPECT_EQ(a["by_kind"][0]["macs"], 6 * 28 * 28 * 25 + 16 * 10 * 10 * 150);
  EXPECT_EQ(a["by_kind"][0]["weights"], (150 + 6) + (2400 + 16));
  // C5 400 -> 120, F6 120 -> 84, output 84 -> 10.
  EXPECT_EQ(a["by_kind"][1]["kind"], "fc");
  EXPECT_EQ(a["by_kind"][1]["macs"], 400 * 120 + 120 * 84 + 84 * 10);
  EXPECT_EQ(a["total"]["w"], 2572 + 48120 + 10164 + 850);
  EXPECT_FALSE(a.contains("layers")) << "--by-kind replaces the layer list";
}

}  // namespace
}  // namespace reuselens
