// Language-model configs: parameter counts against the published figures,
// a hand-computed step, the conventions, and bad configs.
#include <gtest/gtest.h>

#include "reuselens/error.h"
#include "reuselens/llm.h"
#include "test_util.h"

namespace reuselens {
namespace {

LlmAnalysis step(const std::string& model, LlmPhase phase, int64_t batch, int64_t length,
                 const std::string& convention = "conv-fc") {
  LlmWorkload w;
  w.phase = phase;
  w.batch = batch;
  w.prompt = w.context = length;
  AnalysisOptions o;
  o.convention = convention_by_name(convention);
  return analyze_llm(load_llm_config(model), w, o);
}

// Parameter counts as the models' cards and num_parameters() give them.
TEST(LlmParameters, MatchPublishedCounts) {
  const std::vector<std::pair<std::string, int64_t>> published = {
      {"zoo:llama-2-7b", 6738415616},    {"zoo:llama-2-13b", 13015864320},
      {"zoo:llama-2-70b", 68976648192},  {"zoo:llama-3-8b", 8030261248},
      {"zoo:llama-3-70b", 70553706496},  {"zoo:llama-3.1-8b", 8030261248},
      {"zoo:llama-3.2-1b", 1235814400},  {"zoo:mistral-7b", 7241732096},
      {"zoo:mixtral-8x7b", 46702792704}, {"zoo:qwen2-0.5b", 494032768},
      {"zoo:qwen2.5-7b", 7615616512},    {"zoo:gemma-2b", 2506172416},
      {"zoo:gemma-2-2b", 2614341888},    {"zoo:phi-3-mini", 3821079552},
      {"zoo:gpt2", 124439808},           {"zoo:bert-base", 109482240},
  };
  for (const auto& [model, params] : published) {
    EXPECT_EQ(step(model, LlmPhase::kPrefill, 1, 8).params.total, params) << model;
  }
  EXPECT_EQ(published.size(), llm_zoo().size()) << "every zoo config has a published count";
}

TEST(LlmParameters, MixtureOfExpertsActiveAndEmbeddings) {
  const LlmParameters p = step("zoo:mixtral-8x7b", LlmPhase::kDecode, 1, 16).params;
  // Shared weights + 2 of 8 experts: 46.7 B - 32 layers x 6 experts x 3 x 4096 x 14336.
  EXPECT_EQ(p.active_per_token, 46702792704 - int64_t{32} * 6 * 3 * 4096 * 14336);
  EXPECT_EQ(p.experts_total, int64_t{32} * 8 * 3 * 4096 * 14336);
  EXPECT_EQ(p.embeddings, int64_t{32000} * 4096);
  const LlmParameters gpt2 = step("zoo:gpt2", LlmPhase::kPrefill, 1, 8).params;
  EXPECT_EQ(gpt2.embeddings, int64_t{50257 + 1024} * 768);  // tokens and positions, tied once
}

TEST(LlmKvCache, PublishedFootprints) {
  LlmWorkload w;
  w.phase = LlmPhase::kDecode;
  w.context = 4096;
  w.kv_type = "fp16";
  EXPECT_EQ(analyze_llm(load_llm_config("zoo:llama-2-7b"), w).kv_cache_bytes,
            int64_t{2} << 30);  // 2 GiB
  EXPECT_EQ(analyze_llm(load_llm_config("zoo:llama-3-8b"), w).kv_cache_bytes,
            int64_t{512} << 20);  // 512 MiB: 8 KV heads of 32
  w.batch = 8;
  w.kv_type = "fp8";
  EXPECT_EQ(analyze_llm(load_llm_config("zoo:llama-3-8b"), w).kv_cache_bytes, int64_t{2} << 30);
}

const char* kTinyLlama = R"({
  "architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 100,
  "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 2,
  "num_attention_heads": 2, "num_key_value_heads": 1, "torch_dtype": "bfloat16"})";

// Decode, batch 2, context 5, hand-computed: H 8, I 16, 2 layers, 2 query
// heads and 1 KV head of d 4, V 100.
TEST(LlmStep, TinyDecodeByHand) {
  const LlmConfig c = parse_llm_config(kTinyLlama, "tiny.json");
  LlmWorkload w;
  w.phase = LlmPhase::kDecode;
  w.batch = 2;
  w.context = 5;
  AnalysisOptions o;
  o.convention = convention_by_name("conv-fc");
  const LlmAnalysis a = analyze_llm(c, w, o);
  // Per layer: q 2x8x8 + k 2x8x4 + v 2x8x4 + o 2x8x8 + QK 2x2x5x4 + AV 2x2x5x4 + 3 x 2x8x16.
  const int64_t per_layer = 128 + 64 + 64 + 128 + 80 + 80 + 3 * 256;
  EXPECT_EQ(a.analysis.total.mc, 2 * per_layer + 2 * 8 * 100);  // + lm_head
  // W read: 2 embedding rows, per layer q k v o + MLP + 2 norms, final norm, lm_head.
  EXPECT_EQ(a.analysis.total.w, 16 + 2 * (64 + 32 + 32 + 64 + 384 + 16) + 8 + 800);
  EXPECT_EQ(a.params.total, 800 + 2 * (64 + 32 + 32 + 64 + 384 + 16) + 8 + 800);
  // The attention reads 5 K and 5 V entries of 4 per sequence and layer, writes 1 each.
  EXPECT_EQ(a.analysis.total.kv, 2 * 2 * 2 * 5 * 4);
  int64_t written = 0;
  for (const auto& l : a.analysis.layers) written += l.kv_written;
  EXPECT_EQ(written, 2 * 2 * 2 * 1 * 4);
  EXPECT_EQ(a.kv_cache_bytes, 2 * 2 * 2 * 5 * 4 * 2);  // bf16
  // AI_c and DI count the cache as its own class.
  const auto& t = a.analysis.total;
  EXPECT_DOUBLE_EQ(t.ai_c, static_cast<double>(t.mc) / static_cast<double>(t.w + t.a + t.kv));
  EXPECT_DOUBLE_EQ(t.di, data_reuse_index(static_cast<double>(t.mc) / t.w,
                                          static_cast<double>(t.mc) / (t.a + t.kv), 0.8));
}

TEST(LlmStep, CausalCountsHalfThePrefillProducts) {
  const LlmConfig c = parse_llm_config(kTinyLlama, "tiny.json");
  LlmWorkload w;
  w.prompt = 6;
  const auto qk_macs = [&](const std::string& attention) {
    w.attention = attention;
    for (const auto& x : analyze_llm(c, w).components) {
      if (x.name == "attention.qk") return x.macs;
    }
    return int64_t{-1};
  };
  EXPECT_EQ(qk_macs("dense"), 2 * 6 * 6 * 4);         // heads x P^2 x d
  EXPECT_EQ(qk_macs("causal"), 2 * (6 * 7 / 2) * 4);  // heads x P(P+1)/2 x d
}

TEST(LlmStep, LogitsLastOrAll) {
  const LlmConfig c = parse_llm_config(kTinyLlama, "tiny.json");
  LlmWorkload w;
  w.prompt = 6;
  w.batch = 3;
  const auto lm_head = [&](const std::string& logits) {
    w.logits = logits;
    return analyze_llm(c, w).components.back().macs;
  };
  EXPECT_EQ(lm_head("last"), 3 * 8 * 100);
  EXPECT_EQ(lm_head("all"), 3 * 6 * 8 * 100);
}

TEST(LlmStep, SlidingWindowCapsDecodeReads) {
  // Mistral-7B v0.1: a 4096-token window on every layer.
  const LlmAnalysis a = step("zoo:mistral-7b", LlmPhase::kDecode, 1, 8192);
  EXPECT_EQ(a.attended, 4096);
  EXPECT_EQ(a.kv_cache_bytes, int64_t{32} * 4096 * 2 * 8 * 128 * 2);
  // Gemma 2: every other layer; the rest attend to the whole context.
  const LlmAnalysis g = step("zoo:gemma-2-2b", LlmPhase::kDecode, 1, 8192);
  EXPECT_EQ(g.kv_cache_bytes, (int64_t{13} * 8192 + int64_t{13} * 4096) * 2 * 4 * 256 * 4);
}

TEST(LlmStep, Int4WeightsCountScalesAndZeroPoints) {
  LlmWorkload w;
  w.phase = LlmPhase::kDecode;
  w.weight_type = "int4";
  const LlmAnalysis a = analyze_llm(load_llm_config("zoo:llama-2-7b"), w);
  EXPECT_EQ(a.workload.group_size, 128);
  // q_proj: 4096 x 4096 at 4 bits, 32 x 4096 groups of a 2-byte scale and a 4-bit zero point.
  const int64_t q = 4096 * 4096 / 2 + 32 * 4096 * 2 + 32 * 4096 / 2;
  for (const auto& x : a.components) {
    if (x.name == "q_proj") EXPECT_EQ(x.weight_bytes, q);
    if (x.name == "lm_head") EXPECT_EQ(x.weight_bytes, int64_t{4096} * 32000 * 2);  // fp16
  }
  // Every projection at int4 with metadata; embeddings, lm_head and norms at fp16.
  const int64_t o = q, kv = q,
                mlp = (4096 * 11008 / 2 + 32 * 11008 * 2 + 32 * 11008 / 2) * 2 +
                      (11008 * 4096 / 2 + 86 * 4096 * 2 + 86 * 4096 / 2);
  EXPECT_EQ(a.stored_weight_bytes, int64_t{32} * (q + 2 * kv + o + mlp) +
                                       (int64_t{2} * 32000 * 4096 + 32 * 2 * 4096 + 4096) * 2);
}

TEST(LlmStep, MixtureOfExpertsReadsOnlyRoutedExperts) {
  // One token: exactly its 2 experts per layer.
  const LlmAnalysis one = step("zoo:mixtral-8x7b", LlmPhase::kDecode, 1, 128);
  EXPECT_DOUBLE_EQ(one.experts_read, 2.0);
  // Many tokens: every expert.
  const LlmAnalysis many = step("zoo:mixtral-8x7b", LlmPhase::kPrefill, 1, 512);
  EXPECT_NEAR(many.experts_read, 8.0, 1e-9);
  // The MACs follow the routed tokens, not the experts read.
  int64_t expert_macs = 0;
  for (const auto& x : one.components) {
    if (x.name.rfind("experts.", 0) == 0) expert_macs += x.macs * x.count;
  }
  EXPECT_EQ(expert_macs, int64_t{32} * 2 * 3 * 4096 * 14336);
}

TEST(LlmStep, DecodeIsWeightBoundAndBatchRaisesWeightReuse) {
  const LlmAnalysis b1 = step("zoo:llama-3-8b", LlmPhase::kDecode, 1, 1024);
  const LlmAnalysis b64 = step("zoo:llama-3-8b", LlmPhase::kDecode, 64, 1024);
  EXPECT_NEAR(b1.analysis.total.mc_over_w, 1.0, 0.2);  // each weight used once per token
  EXPECT_GT(b64.analysis.total.mc_over_w, 50);
  // KV reuse does not grow with the batch: each sequence reads its own cache.
  const auto kv_reuse = [](const LlmAnalysis& a) {
    int64_t macs = 0;
    for (const auto& l : a.analysis.layers) {
      if (l.kind == "matmul") macs += l.macs;
    }
    return static_cast<double>(macs) / static_cast<double>(a.analysis.total.kv);
  };
  EXPECT_DOUBLE_EQ(kv_reuse(b1), kv_reuse(b64));
}

TEST(LlmConfigErrors, NameTheField) {
  const auto error = [](const std::string& text) {
    try {
      parse_llm_config(text, "bad.json");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(
      error(R"({"architectures": ["FalconForCausalLM"]})").find("supported: LlamaForCausalLM"),
      std::string::npos);
  EXPECT_NE(error(R"({"architectures": ["LlamaForCausalLM"], "vocab_size": 10})")
                .find("field 'hidden_size' is missing"),
            std::string::npos);
  EXPECT_NE(error(R"({"vocab_size": 10})").find("field 'architectures' is missing"),
            std::string::npos);
  EXPECT_NE(error("{not json").find("not valid JSON"), std::string::npos);
  EXPECT_NE(error(R"({"architectures": ["LlamaForCausalLM"], "vocab_size": 10, "hidden_size": 8,
      "intermediate_size": 8, "num_hidden_layers": 1, "num_attention_heads": 3})")
                .find("does not divide hidden_size"),
            std::string::npos);
  EXPECT_NE(error(R"({"architectures": ["LlamaForCausalLM"], "vocab_size": -1})")
                .find("'vocab_size' is not a positive integer"),
            std::string::npos);
}

TEST(LlmConfigErrors, ImpossibleSteps) {
  LlmWorkload w;
  w.phase = LlmPhase::kDecode;
  EXPECT_THROW(analyze_llm(load_llm_config("zoo:bert-base"), w), Error);  // an encoder
  LlmWorkload long_prompt;
  long_prompt.prompt = 2048;  // GPT-2 learned 1024 positions
  EXPECT_THROW(analyze_llm(load_llm_config("zoo:gpt2"), long_prompt), Error);
  LlmWorkload bad_type;
  bad_type.kv_type = "int3";
  EXPECT_THROW(analyze_llm(load_llm_config("zoo:gpt2"), bad_type), Error);
}

}  // namespace
}  // namespace reuselens
