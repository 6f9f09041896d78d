// The built-in language-model configs (data/llm/, compiled in) and how a
// model spec names one.
#include <algorithm>
#include <cctype>
#include <filesystem>

#include "ir/files.h"
#include "ir/names.h"
#include "reuselens/error.h"
#include "reuselens/llm.h"

namespace reuselens {

const std::vector<std::pair<std::string, std::string>>& llm_config_files();  // generated

const std::vector<LlmZooEntry>& llm_zoo() {
  static const std::vector<LlmZooEntry> entries = {
      {"llama-2-7b", "Llama-2-7B", "llama-2-7b.json", "meta-llama/Llama-2-7b-hf"},
      {"llama-2-13b", "Llama-2-13B", "llama-2-13b.json", "meta-llama/Llama-2-13b-hf"},
      {"llama-2-70b", "Llama-2-70B", "llama-2-70b.json", "meta-llama/Llama-2-70b-hf"},
      {"llama-3-8b", "Llama-3-8B", "llama-3-8b.json", "meta-llama/Meta-Llama-3-8B"},
      {"llama-3-70b", "Llama-3-70B", "llama-3-70b.json", "meta-llama/Meta-Llama-3-70B"},
      {"llama-3.1-8b", "Llama-3.1-8B", "llama-3.1-8b.json", "meta-llama/Llama-3.1-8B"},
      {"llama-3.2-1b", "Llama-3.2-1B", "llama-3.2-1b.json", "meta-llama/Llama-3.2-1B"},
      {"mistral-7b", "Mistral-7B", "mistral-7b.json", "mistralai/Mistral-7B-v0.1"},
      {"mixtral-8x7b", "Mixtral-8x7B", "mixtral-8x7b.json", "mistralai/Mixtral-8x7B-v0.1"},
      {"qwen2-0.5b", "Qwen2-0.5B", "qwen2-0.5b.json", "Qwen/Qwen2-0.5B"},
      {"qwen2.5-7b", "Qwen2.5-7B", "qwen2.5-7b.json", "Qwen/Qwen2.5-7B"},
      {"gemma-2b", "Gemma-2B", "gemma-2b.json", "google/gemma-2b"},
      {"gemma-2-2b", "Gemma-2-2B", "gemma-2-2b.json", "google/gemma-2-2b"},
      {"phi-3-mini", "Phi-3-mini-4k", "phi-3-mini-4k.json", "microsoft/Phi-3-mini-4k-instruct"},
      {"gpt2", "GPT-2", "gpt2.json", "openai-community/gpt2"},
      {"bert-base", "BERT-base", "bert-base-uncased.json", "google-bert/bert-base-uncased"},
  };
  return entries;
}

const LlmZooEntry* find_llm_zoo_entry(const std::string& name) {
  const std::string key = normalized_name(name.rfind("zoo:", 0) == 0 ? name.substr(4) : name);
  if (key.empty()) return nullptr;
  for (const LlmZooEntry& e : llm_zoo()) {
    if (normalized_name(e.name) == key || normalized_name(e.display_name) == key) return &e;
  }
  return nullptr;
}

bool is_llm_spec(const std::string& spec) {
  if (spec.rfind("zoo:", 0) == 0) return find_llm_zoo_entry(spec) != nullptr;
  if (spec.ends_with(".json")) return true;
  std::error_code ec;
  return !std::filesystem::exists(spec, ec) && find_llm_zoo_entry(spec) != nullptr;
}

LlmConfig load_llm_config(const std::string& spec) {
  if (const LlmZooEntry* e = find_llm_zoo_entry(spec);
      e && (spec.rfind("zoo:", 0) == 0 || !spec.ends_with(".json"))) {
    for (const auto& [file, text] : llm_config_files()) {
      if (file != e->file) continue;
      LlmConfig c = parse_llm_config(text, "zoo:" + e->name);
      c.name = e->name;
      c.display_name = e->display_name;
      c.source = "Hugging Face " + e->source + " config.json (data/llm/" + e->file + ")";
      return c;
    }
    throw_error(ErrorCode::kIo, "zoo:" + e->name + ": data/llm/" + e->file + " is not built in");
  }
  LlmConfig c = parse_llm_config(read_text_file(spec), spec);
  std::filesystem::path path(spec);
  // A config.json is named after its folder (models/llama-3-8b/config.json).
  c.name = path.stem() == "config" && path.has_parent_path() && !path.parent_path().empty()
               ? path.parent_path().filename().string()
               : path.stem().string();
  c.display_name = c.name;
  c.source = spec;
  return c;
}

}  // namespace reuselens
