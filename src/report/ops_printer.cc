// The cost registry as a table, JSON or CSV (docs/ops.md is its Markdown).
#include <algorithm>
#include <tuple>

#include "report/csv.h"
#include "report/json_records.h"
#include "report/text_table.h"
#include "reuselens/report.h"

namespace reuselens {

std::string render_ops(const OpRegistry& registry, Format format) {
  std::vector<const OpSchema*> sorted;
  for (const OpSchema& s : registry.all()) sorted.push_back(&s);
  std::sort(sorted.begin(), sorted.end(), [](const OpSchema* a, const OpSchema* b) {
    return std::tie(a->domain, a->op_type, a->since_version) <
           std::tie(b->domain, b->op_type, b->since_version);
  });
  const auto domain = [](const OpSchema* s) {
    return s->domain.empty() ? std::string("ai.onnx") : s->domain;
  };
  if (format == Format::kJson) {
    nlohmann::json doc = report::document_header();
    nlohmann::json list = nlohmann::json::array();
    for (const OpSchema* s : sorted) {
      list.push_back({{"domain", domain(s)},
                      {"op", s->op_type},
                      {"since_version", s->since_version},
                      {"kind", op_kind_name(s->kind)},
                      {"counted_as", s->formula}});
    }
    doc["ops"] = std::move(list);
    return doc.dump(2) + "\n";
  }
  if (format == Format::kCsv) {
    report::Csv csv({"domain", "op", "since_version", "kind", "counted_as"});
    for (const OpSchema* s : sorted) {
      csv.add(domain(s)).add(s->op_type).add(s->since_version).add(op_kind_name(s->kind));
      csv.add(s->formula);
      csv.end_row();
    }
    return csv.str();
  }
  report::TextTable table({"domain", "op", "since", "kind", "counted as"});
  for (const OpSchema* s : sorted) {
    table.add_row({domain(s), s->op_type, std::to_string(s->since_version), op_kind_name(s->kind),
                   s->formula});
  }
  return table.render("llrll") + std::to_string(sorted.size()) + " schemas\n";
}

}  // namespace reuselens
