#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>

#include "report/csv.h"
#include "report/json_records.h"
#include "report/provenance.h"
#include "report/text_table.h"
#include "reuselens/error.h"
#include "reuselens/report.h"

namespace reuselens {

using report::fixed;

namespace {

const std::map<std::string, std::function<double(const NetworkMetrics&)>>& numeric_columns() {
  static const std::map<std::string, std::function<double(const NetworkMetrics&)>> columns = {
      {"mc", [](const NetworkMetrics& t) { return static_cast<double>(t.mc); }},
      {"w", [](const NetworkMetrics& t) { return static_cast<double>(t.w); }},
      {"a", [](const NetworkMetrics& t) { return static_cast<double>(t.a); }},
      {"mc_over_w", [](const NetworkMetrics& t) { return t.mc_over_w; }},
      {"mc_over_a", [](const NetworkMetrics& t) { return t.mc_over_a; }},
      {"ai_c", [](const NetworkMetrics& t) { return t.ai_c; }},
      {"di", [](const NetworkMetrics& t) { return t.di; }},
      {"d_f", [](const NetworkMetrics& t) { return t.d_f; }},
      {"a_over_w", [](const NetworkMetrics& t) { return t.a_over_w; }},
  };
  return columns;
}

}  // namespace

std::vector<std::string> comparison_columns() {
  std::vector<std::string> out{"name"};
  for (const auto& [name, fn] : numeric_columns()) out.push_back(name);
  return out;
}

void sort_analyses(std::vector<Analysis>& analyses, const std::string& column) {
  if (column == "name") {
    std::stable_sort(analyses.begin(), analyses.end(),
                     [](const Analysis& a, const Analysis& b) { return a.model < b.model; });
    return;
  }
  auto it = numeric_columns().find(column);
  if (it == numeric_columns().end()) {
    std::string known;
    for (const auto& c : comparison_columns()) known += (known.empty() ? "" : ", ") + c;
    throw_error(ErrorCode::kUsage, "cannot sort by '" + column + "' (known: " + known + ")");
  }
  const auto& key = it->second;
  std::stable_sort(analyses.begin(), analyses.end(), [&key](const Analysis& a, const Analysis& b) {
    return key(a.total) > key(b.total);
  });
}

std::string render_comparison(const std::vector<Analysis>& analyses, Format format) {
  if (format == Format::kJson) {
    nlohmann::json doc = report::document_header();
    if (!analyses.empty()) doc["convention"] = report::convention_json(analyses.front().options);
    nlohmann::json rows = nlohmann::json::array();
    for (const Analysis& a : analyses) rows.push_back(report::analysis_json(a, false));
    doc["models"] = std::move(rows);
    return doc.dump(2) + "\n";
  }
  if (format == Format::kCsv) {
    std::vector<std::string> columns = {
        "model", "mc_over_w",    "mc_over_a",        "ai_c",    "di", "d_f", "a_over_w", "mc", "w",
        "a",     "weight_bytes", "activation_bytes", "coverage"};
    for (const std::string& c : report::provenance_columns()) columns.push_back(c);
    report::Csv csv(columns);
    for (const Analysis& a : analyses) {
      const NetworkMetrics& t = a.total;
      csv.add(a.model).add(t.mc_over_w).add(t.mc_over_a).add(t.ai_c).add(t.di).add(t.d_f);
      csv.add(t.a_over_w).add(t.mc).add(t.w).add(t.a).add(t.weight_bytes).add(t.activation_bytes);
      csv.add(a.coverage.summary());
      report::add_provenance(csv, a);
      csv.end_row();
    }
    return csv.str();
  }
  std::string out;
  if (!analyses.empty()) {
    const AnalysisOptions& o = analyses.front().options;
    out += fmt::format("convention: {} - {}\nalpha: {}\n", o.convention.name,
                       o.convention.description, o.alpha);
    // Batch and precision are per model (an ONNX model counts at its own
    // types); printed once when every row shares them.
    const bool same_precision =
        std::all_of(analyses.begin(), analyses.end(), [&](const Analysis& a) {
          return report::precision_text(a) == report::precision_text(analyses.front());
        });
    const bool same_batch = std::all_of(analyses.begin(), analyses.end(), [&](const Analysis& a) {
      return a.batch == analyses.front().batch;
    });
    out += "batch: " + (same_batch ? std::to_string(analyses.front().batch) : "per model (input)") +
           "\nbytes: " +
           (same_precision ? report::precision_text(analyses.front()) : "per model (see JSON)") +
           "\n\n";
  }
  report::TextTable table({"model", "input", "Mc/W", "Mc/A", "AI_c", "DI", "d_f", "A/W", "Mc (M)",
                           "W (M)", "A (M)", "MB", "coverage"});
  for (const Analysis& a : analyses) {
    const NetworkMetrics& t = a.total;
    table.add_row({a.model, shape_to_string(a.input_shape), fixed(t.mc_over_w, 2),
                   fixed(t.mc_over_a, 2), fixed(t.ai_c, 2), fixed(t.di, 2), fixed(t.d_f, 2),
                   fixed(t.a_over_w, 2), fixed(t.mc / 1e6, 1), fixed(t.w / 1e6, 2),
                   fixed(t.a / 1e6, 2),
                   fixed((t.weight_bytes + t.activation_bytes + t.kv_bytes) / 1e6, 1),
                   fmt::format("{}/{}", a.coverage.counted, a.coverage.total)});
  }
  out += table.render("ll");
  out +=
      "(Mc in MACs, W in weights, A in activation elements; DI and AI_c in MACs per element; MB = "
      "weight + activation bytes / 10^6)\n";
  if (std::any_of(analyses.begin(), analyses.end(),
                  [](const Analysis& a) { return a.total.kv > 0; })) {
    out +=
        "(language models: one step; AI_c = Mc/(W+A+KV) and DI's data term Mc/(A+KV) count the "
        "KV cache, and MB its bytes; `analyze` shows KV)\n";
  }
  return out;
}

std::string render_zoo(const std::vector<ZooRow>& rows, const std::vector<LlmZooRow>& llms,
                       Format format) {
  if (format == Format::kJson) {
    nlohmann::json doc = report::document_header();
    nlohmann::json list = nlohmann::json::array();
    for (const ZooRow& r : rows) {
      list.push_back({{"name", r.entry->name},
                      {"display_name", r.entry->display_name},
                      {"image_size", r.entry->image_size},
                      {"mc", r.mc},
                      {"w", r.w},
                      {"source", r.entry->source},
                      {"paper", r.entry->paper}});
    }
    doc["convention"] = "paper";
    doc["zoo"] = std::move(list);
    nlohmann::json models = nlohmann::json::array();
    for (const LlmZooRow& r : llms) {
      models.push_back({{"name", r.entry->name},
                        {"display_name", r.entry->display_name},
                        {"architecture", r.config.architecture},
                        {"params", r.params.total},
                        {"active_params", r.params.active_per_token},
                        {"layers", r.config.layers},
                        {"hidden", r.config.hidden},
                        {"heads", r.config.heads},
                        {"kv_heads", r.config.kv_heads},
                        {"source", r.config.source}});
    }
    doc["language_models"] = std::move(models);
    return doc.dump(2) + "\n";
  }
  if (format == Format::kCsv) {
    report::Csv csv({"name", "display_name", "kind", "input", "mc", "w", "params", "source",
                     "convention", "batch"});
    for (const ZooRow& r : rows) {
      csv.add(r.entry->name).add(r.entry->display_name).add("cnn");
      csv.add(fmt::format("{0}x{1}x{1}", r.entry->channels, r.entry->image_size)).add(r.mc);
      csv.add(r.w).add("").add(r.entry->source).add("paper").add(1);
      csv.end_row();
    }
    for (const LlmZooRow& r : llms) {
      csv.add(r.entry->name).add(r.entry->display_name).add("llm").add("config.json").add("");
      csv.add("").add(r.params.total).add(r.config.source).add("").add("");
      csv.end_row();
    }
    return csv.str();
  }
  report::TextTable table({"name", "network", "input", "Mc (M)", "W (M)", "follows"});
  for (const ZooRow& r : rows) {
    table.add_row({"zoo:" + r.entry->name, r.entry->display_name,
                   fmt::format("{0}x{1}x{1}", r.entry->channels, r.entry->image_size),
                   fixed(r.mc / 1e6, 1), fixed(r.w / 1e6, 2), r.entry->source});
  }
  std::string out = table.render("lllrrl") + "(counted under the paper convention at batch 1)\n\n";
  report::TextTable models({"name", "language model", "architecture", "params", "layers", "hidden",
                            "heads/KV", "config"});
  for (const LlmZooRow& r : llms) {
    const LlmConfig& c = r.config;
    std::string params = fmt::format("{:.2f} B", r.params.total / 1e9);
    if (c.experts) params += fmt::format(" ({:.1f} B active)", r.params.active_per_token / 1e9);
    models.add_row({"zoo:" + r.entry->name, r.entry->display_name, c.architecture, params,
                    std::to_string(c.layers), std::to_string(c.hidden),
                    fmt::format("{}/{}", c.heads, c.kv_heads), "data/llm/" + r.entry->file});
  }
  return out + models.render("lllrrrrl") +
         "(Hugging Face config.json files, sources in data/llm/README.md; `zoo:llm` is all of "
         "them)\n";
}

}  // namespace reuselens
