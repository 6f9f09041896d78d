// Hugging Face config.json -> LlmConfig. Each family reads the fields its
// modelling code reads, with the same defaults; a missing field the family
// needs is an error naming it, never a guess.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "ir/files.h"
#include "reuselens/error.h"
#include "reuselens/llm.h"

namespace reuselens {

namespace {

using nlohmann::json;

struct ArchitectureFamily {
  const char* architecture;
  const char* family;
};

// Architectures whose modelling code reuselens follows, and their family.
const std::vector<ArchitectureFamily>& architecture_families() {
  static const std::vector<ArchitectureFamily> table = {
      {"LlamaForCausalLM", "llama"},
      {"MistralForCausalLM", "mistral"},
      {"MixtralForCausalLM", "mixtral"},
      {"Qwen2ForCausalLM", "qwen2"},
      {"GemmaForCausalLM", "gemma"},
      {"Gemma2ForCausalLM", "gemma2"},
      {"Phi3ForCausalLM", "phi3"},
      {"GPT2LMHeadModel", "gpt2"},
      {"GPT2Model", "gpt2"},
      {"BertModel", "bert"},
      {"BertForMaskedLM", "bert"},
      {"BertForSequenceClassification", "bert"},
      {"BertForTokenClassification", "bert"},
      {"BertForQuestionAnswering", "bert"},
      {"BertForPreTraining", "bert"},
  };
  return table;
}

class Fields {
 public:
  Fields(const json& doc, std::string origin, std::string architecture)
      : doc_(doc), origin_(std::move(origin)), architecture_(std::move(architecture)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw_error(ErrorCode::kInvalidModel,
                origin_ + ": field '" + field + "' " + what + " (" + architecture_ + ")");
  }

  bool has(const char* field) const { return doc_.contains(field) && !doc_[field].is_null(); }

  // A positive integer the family needs.
  int64_t count(const char* field) const {
    if (!has(field)) fail(field, "is missing");
    return positive(field);
  }
  int64_t count_or(const char* field, int64_t fallback) const {
    return has(field) ? positive(field) : fallback;
  }
  // The first of several spellings (GPT-2's n_embd, hidden_size).
  int64_t count_any(std::initializer_list<const char*> fields) const {
    for (const char* f : fields) {
      if (has(f)) return positive(f);
    }
    fail(*fields.begin(), "is missing");
  }
  bool flag_or(const char* field, bool fallback) const {
    if (!has(field)) return fallback;
    if (!doc_[field].is_boolean()) fail(field, "is not true or false");
    return doc_[field].get<bool>();
  }
  double number_or(const char* field, double fallback) const {
    if (!has(field)) return fallback;
    if (!doc_[field].is_number()) fail(field, "is not a number");
    return doc_[field].get<double>();
  }
  std::string text_or(const char* field, const std::string& fallback) const {
    if (!has(field)) return fallback;
    if (!doc_[field].is_string()) fail(field, "is not a string");
    return doc_[field].get<std::string>();
  }

 private:
  int64_t positive(const char* field) const {
    const json& v = doc_[field];
    if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > (int64_t{1} << 40)) {
      fail(field, "is not a positive integer");
    }
    return v.get<int64_t>();
  }

  const json& doc_;
  std::string origin_, architecture_;
};

std::string dtype_name(const std::string& torch_dtype) {
  if (torch_dtype == "bfloat16") return "bf16";
  if (torch_dtype == "float16") return "fp16";
  if (torch_dtype == "float32" || torch_dtype.empty()) return "fp32";
  return torch_dtype;  // checked by number_type when used
}

void read_decoder(const Fields& f, LlmConfig& c) {
  c.vocab = f.count("vocab_size");
  c.hidden = f.count("hidden_size");
  c.intermediate = f.count("intermediate_size");
  c.layers = f.count("num_hidden_layers");
  c.heads = f.count("num_attention_heads");
  c.kv_heads = f.count_or("num_key_value_heads", c.heads);
  c.head_dim = f.count_or("head_dim", 0);
  c.max_positions = f.count_or("max_position_embeddings", 0);
  c.tied_embeddings = f.flag_or("tie_word_embeddings", false);
  c.activation = f.text_or("hidden_act", "silu");
  c.qkv_bias = c.o_bias = f.flag_or("attention_bias", false);
  c.mlp_bias = f.flag_or("mlp_bias", false);
  if (f.has("sliding_window")) {
    c.sliding_window = f.count("sliding_window");
    c.sliding_layers = c.layers;
  }
}

void read_family(const Fields& f, LlmConfig& c) {
  const std::string& fam = c.family;
  if (fam == "gpt2") {
    c.vocab = f.count("vocab_size");
    c.hidden = f.count_any({"n_embd", "hidden_size"});
    c.layers = f.count_any({"n_layer", "num_hidden_layers"});
    c.heads = f.count_any({"n_head", "num_attention_heads"});
    c.kv_heads = c.heads;
    c.intermediate = f.count_or("n_inner", 4 * c.hidden);
    c.max_positions = f.count_any({"n_positions", "n_ctx", "max_position_embeddings"});
    c.tied_embeddings = f.flag_or("tie_word_embeddings", true);
    c.activation = f.text_or("activation_function", "gelu_new");
    c.learned_positions = c.layer_norm = c.fused_qkv = true;
    c.qkv_bias = c.o_bias = c.mlp_bias = true;
    c.gated_mlp = false;
    return;
  }
  if (fam == "bert") {
    c.vocab = f.count("vocab_size");
    c.hidden = f.count("hidden_size");
    c.layers = f.count("num_hidden_layers");
    c.heads = f.count("num_attention_heads");
    c.kv_heads = c.heads;
    c.intermediate = f.count("intermediate_size");
    c.max_positions = f.count("max_position_embeddings");
    c.type_vocab = f.count_or("type_vocab_size", 2);
    c.activation = f.text_or("hidden_act", "gelu");
    c.encoder = c.learned_positions = c.layer_norm = c.post_norm = c.pooler = true;
    c.qkv_bias = c.o_bias = c.mlp_bias = true;
    c.gated_mlp = false;
    return;
  }
  read_decoder(f, c);
  if (fam == "mixtral") {
    c.experts = f.count("num_local_experts");
    c.experts_per_token = f.count("num_experts_per_tok");
    if (c.experts_per_token > c.experts) f.fail("num_experts_per_tok", "exceeds num_local_experts");
  } else if (fam == "qwen2") {
    c.qkv_bias = true;  // Qwen2Attention: q, k, v with bias, o without
    c.o_bias = false;
    c.sliding_window = 0;
    c.sliding_layers = 0;
    if (f.flag_or("use_sliding_window", false) && f.has("sliding_window")) {
      c.sliding_window = f.count("sliding_window");
      const int64_t full = std::min(f.count_or("max_window_layers", c.layers), c.layers);
      c.sliding_layers = c.layers - full;  // layers from max_window_layers on
    }
  } else if (fam == "gemma" || fam == "gemma2") {
    c.head_dim = f.count("head_dim");
    c.tied_embeddings = f.flag_or("tie_word_embeddings", true);
    c.activation = f.text_or("hidden_activation", f.text_or("hidden_act", "gelu_pytorch_tanh"));
    c.scale_embeddings = true;
    if (fam == "gemma2") {
      c.norms_per_block = 4;  // input, post-attention, pre- and post-feedforward
      c.attention_softcap = f.number_or("attn_logit_softcapping", 0);
      c.final_softcap = f.number_or("final_logit_softcapping", 0);
      // Gemma2 alternates: layers 0, 2, 4 ... use the window.
      c.sliding_layers = c.sliding_window ? (c.layers + 1) / 2 : 0;
    } else {
      c.sliding_window = c.sliding_layers = 0;
    }
  } else if (fam == "phi3") {
    c.fused_qkv = true;
  }
}

}  // namespace

const std::vector<std::string>& supported_llm_architectures() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& a : architecture_families()) out.push_back(a.architecture);
    return out;
  }();
  return names;
}

LlmConfig parse_llm_config(const std::string& json_text, const std::string& origin) {
  const json doc = parse_json_object(json_text, origin);
  std::string supported;
  for (const auto& a : supported_llm_architectures()) {
    supported += (supported.empty() ? "" : ", ") + a;
  }
  if (!doc.contains("architectures") || !doc["architectures"].is_array() ||
      doc["architectures"].empty() || !doc["architectures"][0].is_string()) {
    throw_error(ErrorCode::kInvalidModel,
                origin +
                    ": field 'architectures' is missing (a Hugging Face config.json names "
                    "its architecture; supported: " +
                    supported + ")");
  }
  LlmConfig c;
  c.architecture = doc["architectures"][0].get<std::string>();
  for (const auto& a : architecture_families()) {
    if (c.architecture == a.architecture) c.family = a.family;
  }
  if (c.family.empty()) {
    throw_error(ErrorCode::kUnknownModel, origin + ": architecture '" + c.architecture +
                                              "' is not modelled (supported: " + supported + ")");
  }
  c.origin = origin;
  const Fields fields(doc, origin, c.architecture);
  read_family(fields, c);
  if (!c.head_dim) {
    if (c.hidden % c.heads) fields.fail("num_attention_heads", "does not divide hidden_size");
    c.head_dim = c.hidden / c.heads;
  }
  if (c.heads % c.kv_heads) fields.fail("num_key_value_heads", "does not divide the heads");
  c.torch_dtype = dtype_name(fields.text_or("torch_dtype", "float32"));
  return c;
}

}  // namespace reuselens
