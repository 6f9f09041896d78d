#include <fmt/format.h>

#include "report/csv.h"
#include "report/json_records.h"
#include "report/provenance.h"
#include "report/text_table.h"
#include "reuselens/error.h"
#include "reuselens/report.h"

namespace reuselens {

using report::fixed;
using report::with_commas;

Format format_by_name(const std::string& name) {
  if (name == "table") return Format::kTable;
  if (name == "json") return Format::kJson;
  if (name == "csv") return Format::kCsv;
  throw_error(ErrorCode::kUsage, "unknown format '" + name + "' (known: table, json, csv)");
}

namespace {

std::string header_lines(const Analysis& a) {
  const AnalysisOptions& o = a.options;
  std::string out =
      fmt::format("model: {}\nsource: {}\n{}: {} (batch {})\n", a.model, a.source,
                  a.inputs.size() > 1 ? "inputs" : "input", report::inputs_text(a), a.batch);
  out += fmt::format("convention: {} - {}\n", o.convention.name, o.convention.description);
  out += fmt::format("alpha: {}  bytes: {}\n", o.alpha, report::precision_text(a));
  out += "coverage: " + a.coverage.summary() + "\n";
  for (const auto& n : a.notes) out += "note: " + n + "\n";
  return out;
}

std::string ratio_cell(double v) { return v == 0.0 ? "-" : fixed(v, 2); }

std::string summary_lines(const Analysis& a) {
  const NetworkMetrics& t = a.total;
  report::TextTable table({"metric", "value", "unit"});
  table.add_row({"Mc", with_commas(t.mc), "MACs"});
  table.add_row({"FLOPs", with_commas(t.flops), "FLOP"});
  table.add_row({"W", with_commas(t.w), "weights (elements)"});
  table.add_row({"A", with_commas(t.a), "activations (elements)"});
  table.add_row({"A/W", fixed(t.a_over_w, 2), "ratio"});
  table.add_row({"Mc/W", fixed(t.mc_over_w, 2), "weight reuse, MACs per weight"});
  table.add_row({"Mc/A", fixed(t.mc_over_a, 2), "activation reuse, MACs per activation"});
  table.add_row({"AI_c", fixed(t.ai_c, 2), "Mc/(W+A), MACs per element"});
  table.add_row({"DI", fixed(t.di, 2),
                 fmt::format("(alpha*Mc/A + (1-alpha)*Mc/W)/4, alpha={}", a.options.alpha)});
  table.add_row({"d_f", fixed(t.d_f, 2), "100*(AI_c-DI)/AI_c, percent"});
  table.add_row(
      {"median layer AI", fixed(t.median_layer_ai, 2), "conv/FC layers, MACs per element"});
  table.add_row(
      {"variance layer AI", fmt::format("{:.3g}", t.variance_layer_ai), "conv/FC layers"});
  table.add_row(
      {"peak live activations", with_commas(t.peak_live_activations), "elements, execution order"});
  const bool typed = a.bytes_from_tensor_types;
  table.add_row({"weight bytes", with_commas(t.weight_bytes),
                 typed ? "bytes at each tensor's type"
                       : fmt::format("bytes at {} ({} bits)", a.options.weight_type,
                                     a.options.weight_bits())});
  table.add_row(
      {"activation bytes", with_commas(t.activation_bytes),
       typed ? "bytes at each tensor's type"
             : fmt::format("bytes at {} ({} bits)", a.options.act_type, a.options.act_bits())});
  table.add_row({"Mc/byte", fixed(t.mc_per_byte, 2), "MACs per byte"});
  table.add_row({"FLOPs/byte", fixed(t.flops_per_byte, 2), "FLOP per byte"});
  return table.render("lrl");
}

std::string render_table(const Analysis& a) {
  report::TextTable table({"layer", "op", "output", "MACs", "FLOPs", "weights", "in act", "out act",
                           "AI", "Mc/W", "Mc/A", "bytes", "FLOP/B"});
  for (const LayerMetrics& l : a.layers) {
    if (l.status == NodeStatus::kUnsupported) {
      table.add_row({l.name, l.op_type, shape_to_string(l.output_shape), "unsupported", "-", "-",
                     with_commas(l.input_activations), with_commas(l.output_activations)});
      continue;
    }
    table.add_row({l.name,
                   l.op_type + (l.in_place ? "*" : "") +
                       (l.repeats > 1 ? " x" + std::to_string(l.repeats) : ""),
                   shape_to_string(l.output_shape), with_commas(l.macs), with_commas(l.flops),
                   with_commas(l.weights), with_commas(l.input_activations),
                   with_commas(l.output_activations), ratio_cell(l.arithmetic_intensity),
                   ratio_cell(l.weight_reuse), ratio_cell(l.activation_reuse), with_commas(l.bytes),
                   ratio_cell(l.flops_per_byte)});
  }
  return header_lines(a) + "\n" + table.render("lll") +
         (a.options.convention.layer_a_inputs
              ? "(* in-place layer; AI = MACs/(weights + in act + out act))\n\n"
              : "(* in-place layer; AI = MACs/(weights + out act), as the paper's Table 5)\n\n") +
         summary_lines(a);
}

// One record per layer, then one for the network (scope "network"): DI and
// d_f exist for the network only, the layer columns of the network record
// hold its totals (Mc, FLOPs, W, A, AI_c, Mc/W, Mc/A).
std::string render_csv(const Analysis& a) {
  std::vector<std::string> columns = {"scope",
                                      "model",
                                      "layer",
                                      "op",
                                      "kind",
                                      "status",
                                      "output_shape",
                                      "in_place",
                                      "repeats",
                                      "macs",
                                      "flops",
                                      "weights",
                                      "input_activations",
                                      "output_activations",
                                      "activations",
                                      "arithmetic_intensity",
                                      "weight_reuse",
                                      "activation_reuse",
                                      "di",
                                      "d_f",
                                      "bytes",
                                      "flops_per_byte",
                                      "coverage"};
  for (const std::string& c : report::provenance_columns()) columns.push_back(c);
  report::Csv csv(columns);
  const std::string coverage = a.coverage.summary();
  for (const LayerMetrics& l : a.layers) {
    const bool counted = l.status == NodeStatus::kCounted;
    csv.add("layer").add(a.model).add(l.name).add(l.op_type).add(l.kind);
    csv.add(counted ? "counted" : "unsupported").add(shape_to_string(l.output_shape));
    csv.add(l.in_place).add(l.repeats);
    if (counted) {
      csv.add(l.macs).add(l.flops).add(l.weights);
    } else {
      csv.add("").add("").add("");
    }
    csv.add(l.input_activations).add(l.output_activations).add("");
    if (counted) {
      csv.add(l.arithmetic_intensity).add(l.weight_reuse).add(l.activation_reuse);
    } else {
      csv.add("").add("").add("");
    }
    csv.add("").add("");
    if (counted) {
      csv.add(l.bytes).add(l.flops_per_byte);
    } else {
      csv.add("").add("");
    }
    csv.add(coverage);
    report::add_provenance(csv, a);
    csv.end_row();
  }
  const NetworkMetrics& t = a.total;
  csv.add("network").add(a.model).add("").add("").add("").add(
      a.coverage.counted == a.coverage.total ? "counted" : "partial");
  csv.add("").add("").add("").add(t.mc).add(t.flops).add(t.w).add("").add("");
  csv.add(t.a).add(t.ai_c).add(t.mc_over_w).add(t.mc_over_a).add(t.di).add(t.d_f);
  csv.add(t.weight_bytes + t.activation_bytes).add(t.flops_per_byte).add(coverage);
  report::add_provenance(csv, a);
  csv.end_row();
  return csv.str();
}

}  // namespace

std::string render_analysis(const Analysis& analysis, Format format) {
  switch (format) {
    case Format::kTable:
      return render_table(analysis);
    case Format::kCsv:
      return render_csv(analysis);
    case Format::kJson: {
      nlohmann::json doc = report::document_header();
      doc["convention"] = report::convention_json(analysis.options);
      doc["analysis"] = report::analysis_json(analysis, true);
      return doc.dump(2) + "\n";
    }
  }
  return "";
}

}  // namespace reuselens
