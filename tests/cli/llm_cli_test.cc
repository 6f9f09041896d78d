// Language models through the CLI as a user runs them: a config.json or a
// zoo name in analyze, compare, roofline (with a sweep and its chart) and
// report; bad configs as one-line errors with their exit codes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_util.h"

namespace reuselens {
namespace {

using testing::run_cli;

std::string temp_file(const std::string& name, const std::string& text) {
  const std::string dir = ::testing::TempDir() + "/llm_cli/" + name;
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/config.json";
  std::ofstream(path) << text;
  return path;
}

TEST(LlmCli, AnalyzeDecodeReportsParametersAndKvCache) {
  const auto r = run_cli(
      "analyze zoo:llama-3-8b --phase decode --context 4096 --batch 8 "
      "--kv-type fp16 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["llm"]["parameters"]["total"], 8030261248);
  EXPECT_EQ(doc["llm"]["kv_cache_bytes"], int64_t{4} << 30);  // 512 MiB per sequence x 8
  EXPECT_EQ(doc["llm"]["step"]["phase"], "decode");
  EXPECT_EQ(doc["analysis"]["total"]["kv"], int64_t{8} * 4096 * 2 * 32 * 8 * 128);
  const auto table = run_cli("analyze zoo:llama-3-8b --phase decode --context 4096 --batch 8");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  for (const char* row : {"q_proj", "attention.qk", "softmax", "attention.av", "gate_proj",
                          "down_proj", "lm_head", "KV cache", "DI"}) {
    EXPECT_NE(table.out.find(row), std::string::npos) << row;
  }
}

TEST(LlmCli, ConfigFileWorksWhereAZooNameDoes) {
  const std::string path =
      temp_file("qwen", testing::read_text(testing::source_path("data/llm/qwen2-0.5b.json")));
  const auto file = run_cli("analyze " + path + " --format json");
  const auto zoo = run_cli("analyze zoo:qwen2-0.5b --format json");
  ASSERT_EQ(file.exit_code, 0) << file.err;
  ASSERT_EQ(zoo.exit_code, 0) << zoo.err;
  const auto a = nlohmann::json::parse(file.out), b = nlohmann::json::parse(zoo.out);
  EXPECT_EQ(a["analysis"]["total"], b["analysis"]["total"]);
  EXPECT_EQ(a["llm"]["config"]["name"], "qwen") << "a config.json is named after its folder";
  const auto compare = run_cli("compare " + path + " zoo:gpt2 zoo:alexnet");
  EXPECT_EQ(compare.exit_code, 0) << compare.err;
  EXPECT_NE(compare.out.find("KV"), std::string::npos) << "the KV note";
}

TEST(LlmCli, RooflineServingBoundsAndFootprint) {
  const auto r = run_cli(
      "roofline zoo:llama-2-7b --hw a100 --phase decode --context 4096 "
      "--batch 16 --kv-type fp16 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  const auto& s = doc["serving"];
  // 16 sequences of 2 GiB of cache and 12.55 GiB of fp16 weights exceed 40 GiB.
  EXPECT_FALSE(s["fits"].get<bool>());
  EXPECT_EQ(s["max_batch"], 13);  // (40 GiB - 6,738,415,616 x 2 B) / 2 GiB
  EXPECT_GT(s["tokens_per_s"].get<double>(), 0);
  EXPECT_TRUE(s["ttft_s"].is_null()) << "decode has no time to first token";
  const auto prefill = run_cli("roofline zoo:llama-2-7b --hw a100 --prompt 1024 --format json");
  ASSERT_EQ(prefill.exit_code, 0) << prefill.err;
  EXPECT_GT(nlohmann::json::parse(prefill.out)["serving"]["ttft_s"].get<double>(), 0);
}

TEST(LlmCli, SweepFindsTheRidgeAndDrawsIt) {
  const std::string svg = ::testing::TempDir() + "/llm_sweep.svg";
  std::filesystem::remove(svg);
  const auto r = run_cli(
      "roofline zoo:llama-3-8b --hw h100-sxm --phase decode --context 128 "
      "--sweep batch=1:1024:x2 --format json --svg " +
      svg);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  const auto& points = doc["sweep"]["points"];
  ASSERT_EQ(points.size(), 11u);
  // Short contexts: weight reuse grows with the batch until the step is compute-bound.
  const int64_t crossing = doc["sweep"]["ridge_crossing"];
  EXPECT_GT(crossing, 1);
  for (const auto& p : points) {
    EXPECT_EQ(p["bound"] == "compute", p["batch"].get<int64_t>() >= crossing) << p;
  }
  const std::string chart = testing::read_text(svg);
  EXPECT_EQ(testing::xml_problem(chart), "");
  EXPECT_NE(chart.find("ridge"), std::string::npos);
  EXPECT_GE(testing::count_tags(chart, "circle"), 11);
}

TEST(LlmCli, ReportTakesAConfig) {
  const auto r = run_cli("report zoo:mixtral-8x7b zoo:alexnet --hw h100-sxm --phase decode");
  EXPECT_EQ(r.exit_code, 2) << "--phase is refused for AlexNet, not ignored";
  const auto ok = run_cli("report zoo:mixtral-8x7b --hw h100-sxm --phase decode --batch 4");
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(testing::xml_problem(ok.out), "");
  EXPECT_NE(ok.out.find("Mixtral-8x7B"), std::string::npos);
}

TEST(LlmCli, BadConfigsAreOneLineErrors) {
  struct Case {
    std::string text;
    int exit_code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {R"({"architectures": ["MambaForCausalLM"]})", 6, "is not modelled (supported:"},
      {R"({"architectures": ["LlamaForCausalLM"], "vocab_size": 10})", 5,
       "field 'hidden_size' is missing"},
      {"{\"architectures\": [", 4, "not valid JSON"},
  };
  int i = 0;
  for (const Case& c : cases) {
    const std::string path = temp_file("bad" + std::to_string(i++), c.text);
    const auto r = run_cli("analyze " + path);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.text << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(r.out.empty());
  }
  const auto missing = run_cli("analyze /nonexistent/config.json");
  EXPECT_EQ(missing.exit_code, 3) << missing.err;
  const auto dataflow = run_cli("dataflow zoo:llama-3-8b");
  EXPECT_EQ(dataflow.exit_code, 2);
  EXPECT_NE(dataflow.err.find("language-model config"), std::string::npos);
}

TEST(LlmCli, ZooListsTheConfigs) {
  const auto r = run_cli("zoo --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["language_models"].size(), 16u);
  const auto table = run_cli("compare zoo:llm --phase decode --context 1024");
  EXPECT_EQ(table.exit_code, 2) << "BERT has no decode: the collection is refused whole";
  EXPECT_NE(table.err.find("encoder"), std::string::npos);
}

}  // namespace
}  // namespace reuselens
