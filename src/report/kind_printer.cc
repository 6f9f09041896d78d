// Layers, weights and MACs by layer kind: `analyze --by-kind` and
// `compare --by-kind` (the lecture's scaling table: models side by side).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/csv.h"
#include "report/json_records.h"
#include "report/provenance.h"
#include "report/text_table.h"
#include "reuselens/report.h"

namespace reuselens {

using report::with_commas;

namespace report {

// 2,572 -> "2.57k", 665,784,864 -> "666M": three significant digits, SI suffix.
std::string compact(int64_t value) {
  static const char* suffixes[] = {"", "k", "M", "G", "T", "P"};
  double v = static_cast<double>(value);
  int i = 0;
  while (std::abs(v) >= 999.5 && i < 5) {
    v /= 1000;
    ++i;
  }
  if (i == 0) return std::to_string(value);
  return fmt::format("{:.3g}{}", v, suffixes[i]);
}

}  // namespace report

namespace {

std::vector<std::string> kind_columns() {
  std::vector<std::string> c = {"model", "kind",  "layers",       "weights",
                                "macs",  "flops", "weight_share", "mac_share"};
  for (const std::string& p : report::provenance_columns()) c.push_back(p);
  return c;
}

void add_kind_rows(report::Csv& csv, const Analysis& a) {
  for (const KindTotals& k : a.by_kind) {
    csv.add(a.model).add(k.kind).add(k.layers).add(k.weights).add(k.macs).add(k.flops);
    csv.add(k.weight_share).add(k.mac_share);
    report::add_provenance(csv, a);
    csv.end_row();
  }
}

const KindTotals* find_kind(const Analysis& a, const std::string& kind) {
  for (const KindTotals& k : a.by_kind) {
    if (k.kind == kind) return &k;
  }
  return nullptr;
}

// The kinds that carry weights or MACs in any of the models: the rows of
// the side-by-side table (pooling, activations and views add layers, not
// reuse, and are in the JSON and CSV).
std::vector<std::string> costly_kinds(const std::vector<Analysis>& analyses) {
  std::vector<std::string> kinds;
  for (const std::string& kind : layer_kind_order()) {
    for (const Analysis& a : analyses) {
      const KindTotals* k = find_kind(a, kind);
      if (k && (k->weights > 0 || k->macs > 0)) {
        kinds.push_back(kind);
        break;
      }
    }
  }
  return kinds;
}

std::string kind_label(const std::string& kind) {
  if (kind == "conv") return "CONV";
  if (kind == "fc") return "FC";
  return kind;
}

}  // namespace

std::string render_kind_breakdown(const Analysis& a, Format format) {
  if (format == Format::kJson) {
    nlohmann::json doc = report::document_header();
    doc["convention"] = report::convention_json(a.options);
    doc["analysis"] = report::analysis_json(a, false);
    return doc.dump(2) + "\n";
  }
  if (format == Format::kCsv) {
    report::Csv csv(kind_columns());
    add_kind_rows(csv, a);
    return csv.str();
  }
  report::TextTable table(
      {"kind", "layers", "weights", "share of W", "MACs", "share of Mc", "FLOPs"});
  for (const KindTotals& k : a.by_kind) {
    table.add_row({k.kind, std::to_string(k.layers), with_commas(k.weights),
                   fmt::format("{:.1f} %", 100 * k.weight_share), with_commas(k.macs),
                   fmt::format("{:.1f} %", 100 * k.mac_share), with_commas(k.flops)});
  }
  table.add_row({"total", std::to_string(a.layers.size()), with_commas(a.total.w), "100.0 %",
                 with_commas(a.total.mc), "100.0 %", with_commas(a.total.flops)});
  return fmt::format(
             "model: {}\nsource: {}\ninput: {} (batch {})\nconvention: {} - {}\n"
             "coverage: {}\n\n",
             a.model, a.source, report::inputs_text(a), a.batch, a.options.convention.name,
             a.options.convention.description, a.coverage.summary()) +
         table.render("l") +
         "(weights and MACs under the convention; matmul = products of two activations)\n";
}

std::string render_kind_comparison(const std::vector<Analysis>& analyses, Format format) {
  if (format == Format::kJson) {
    nlohmann::json doc = report::document_header();
    if (!analyses.empty()) doc["convention"] = report::convention_json(analyses.front().options);
    nlohmann::json rows = nlohmann::json::array();
    for (const Analysis& a : analyses) rows.push_back(report::analysis_json(a, false));
    doc["models"] = std::move(rows);
    return doc.dump(2) + "\n";
  }
  if (format == Format::kCsv) {
    report::Csv csv(kind_columns());
    for (const Analysis& a : analyses) add_kind_rows(csv, a);
    return csv.str();
  }
  std::vector<std::string> header = {""};
  for (const Analysis& a : analyses) header.push_back(a.model);
  report::TextTable table(header);
  const auto row = [&](const std::string& label, const auto& cell) {
    std::vector<std::string> r = {label};
    for (const Analysis& a : analyses) r.push_back(cell(a));
    table.add_row(std::move(r));
  };
  row("input", [](const Analysis& a) { return report::inputs_text(a); });
  for (const std::string& kind : costly_kinds(analyses)) {
    const std::string label = kind_label(kind);
    row("# of " + label + " layers", [&kind](const Analysis& a) {
      const KindTotals* k = find_kind(a, kind);
      return std::to_string(k ? k->layers : 0);
    });
    row("  weights", [&kind](const Analysis& a) {
      const KindTotals* k = find_kind(a, kind);
      return report::compact(k ? k->weights : 0);
    });
    row("  MACs", [&kind](const Analysis& a) {
      const KindTotals* k = find_kind(a, kind);
      return report::compact(k ? k->macs : 0);
    });
  }
  row("total weights (W)", [](const Analysis& a) { return report::compact(a.total.w); });
  row("total MACs (Mc)", [](const Analysis& a) { return report::compact(a.total.mc); });
  std::string out;
  if (!analyses.empty()) {
    const AnalysisOptions& o = analyses.front().options;
    out = fmt::format("convention: {} - {}\n\n", o.convention.name, o.convention.description);
  }
  return out + table.render("l") +
         "(weights and MACs under the convention, to three significant digits; exact: --format "
         "json or csv)\n";
}

}  // namespace reuselens
