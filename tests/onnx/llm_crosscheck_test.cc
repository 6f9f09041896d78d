// The config path against the ONNX path on the same dimensions: a GPT-style
// and a Llama-style decoder exported from PyTorch at prefill
// (tools/onnx_fixtures/export.py, export_llama.py) give the MACs and the
// parameters their config.json gives.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "reuselens/llm.h"
#include "reuselens/model.h"
#include "test_util.h"

namespace reuselens {
namespace {

using testing::read_text;
using testing::source_path;

// The exported graphs compute every query-key pair and every position's
// logits: the config path counts the same under dense attention, all logits.
LlmAnalysis config_step(const std::string& config, int64_t prompt) {
  LlmWorkload w;
  w.prompt = prompt;
  w.attention = "dense";
  w.logits = "all";
  AnalysisOptions o;
  o.convention = convention_by_name("conv-fc");
  return analyze_llm(load_llm_config(source_path(config)), w, o);
}

Analysis onnx_step(const std::string& model) {
  AnalysisOptions o;
  o.convention = convention_by_name("conv-fc");
  return analyze(load_model(source_path(model)), o);
}

TEST(LlmOnnxCrossCheck, LlamaStyleDecoder) {
  const auto truth =
      nlohmann::json::parse(read_text(source_path("tests/data/llm/tiny_llama_truth.json")));
  const LlmAnalysis config = config_step("tests/data/llm/tiny_llama.json", truth["prompt"]);
  const Analysis onnx = onnx_step("tests/data/llm/tiny_llama.onnx");
  EXPECT_EQ(config.analysis.total.mc, onnx.total.mc);
  EXPECT_EQ(config.analysis.total.mc,
            truth["linear_macs"].get<int64_t>() + truth["attention_macs"].get<int64_t>());
  EXPECT_EQ(config.params.total, truth["params"].get<int64_t>());
  // The export stores the rotary tables and the mask as initializers too.
  EXPECT_EQ(onnx.total.w, config.params.total + truth["buffers"].get<int64_t>());
}

TEST(LlmOnnxCrossCheck, GptStyleDecoder) {
  const auto truth = nlohmann::json::parse(read_text(source_path("tests/data/onnx/truth.json")));
  const auto& t = truth["models"]["tiny_decoder"];
  const LlmAnalysis config = config_step("tests/data/llm/tiny_decoder.json", t["input"][1]);
  const Analysis onnx = onnx_step("tests/data/onnx/tiny_decoder.onnx");
  EXPECT_EQ(config.analysis.total.mc, onnx.total.mc);
  EXPECT_EQ(config.analysis.total.mc,
            t["conv_fc_macs"].get<int64_t>() + t["attention_macs"].get<int64_t>());
  EXPECT_EQ(config.params.total, t["params"].get<int64_t>());
}

}  // namespace
}  // namespace reuselens
