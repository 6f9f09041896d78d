#include "reuselens/llm.h"
#include "reuselens/reuselens.h"

namespace reuselens {

Analysis analyze_model(const std::string& spec, const LoadOptions& load,
                       const AnalysisOptions& options) {
  validate(options);
  const std::string canonical = canonical_model_spec(spec);
  if (is_llm_spec(canonical)) return analyze_llm_model(canonical, load, options).analysis;
  Analysis result = analyze(load_model(canonical, load), options);
  if (canonical.rfind("zoo:", 0) == 0) {
    const ZooEntry& entry = zoo_entry(canonical.substr(4, canonical.find('@') - 4));
    result.model = entry.display_name;
    result.source = canonical + " (follows " + entry.source + ")";
  }
  return result;
}

std::vector<Analysis> compare_models(
    const std::vector<std::string>& specs, const LoadOptions& load, const AnalysisOptions& options,
    const std::string& sort_column,
    const std::function<void(size_t, size_t, const std::string&)>& progress) {
  validate(options);
  if (!sort_column.empty() && sort_column != "name") {
    std::vector<Analysis> probe;
    sort_analyses(probe, sort_column);  // rejects unknown columns before any work
  }
  std::vector<Analysis> out;
  const std::vector<std::string> expanded = expand_model_specs(specs);
  for (const std::string& spec : expanded) {
    if (progress) progress(out.size(), expanded.size(), spec);
    try {
      out.push_back(analyze_model(spec, load, options));
    } catch (const Error& e) {
      throw e.with_context(spec);
    }
  }
  if (!sort_column.empty()) sort_analyses(out, sort_column);
  return out;
}

std::vector<ZooRow> zoo_summary() {
  std::vector<ZooRow> rows;
  const AnalysisOptions options;
  for (const ZooEntry& e : zoo()) {
    const Analysis a = analyze(e.build(1, e.image_size), options);
    rows.push_back({&e, a.total.mc, a.total.w});
  }
  return rows;
}

std::vector<LlmZooRow> llm_zoo_summary() {
  std::vector<LlmZooRow> rows;
  for (const LlmZooEntry& e : llm_zoo()) {
    LlmConfig c = load_llm_config("zoo:" + e.name);
    const LlmAnalysis a = analyze_llm(c, LlmWorkload{});
    rows.push_back({&e, std::move(c), a.params});
  }
  return rows;
}

}  // namespace reuselens
