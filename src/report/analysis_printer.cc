#include <fmt/format.h>

#include "report/json_records.h"
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
  std::string out = fmt::format("model: {}\nsource: {}\ninput: {} (batch {})\n", a.model, a.source,
                                shape_to_string(a.input_shape), a.batch);
  out += fmt::format("convention: {} - {}\n", o.convention.name, o.convention.description);
  out += a.bytes_from_tensor_types
             ? fmt::format("alpha: {}  bytes at each tensor's own type (from the model)\n", o.alpha)
             : fmt::format("alpha: {}  weights: {}-bit  activations: {}-bit\n", o.alpha,
                           o.weight_bits, o.act_bits);
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
  table.add_row({"weight bytes", with_commas(t.weight_bytes),
                 fmt::format("bytes at {} bits", a.options.weight_bits)});
  table.add_row({"activation bytes", with_commas(t.activation_bytes),
                 fmt::format("bytes at {} bits", a.options.act_bits)});
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
    table.add_row({l.name, l.op_type + (l.in_place ? "*" : ""), shape_to_string(l.output_shape),
                   with_commas(l.macs), with_commas(l.flops), with_commas(l.weights),
                   with_commas(l.input_activations), with_commas(l.output_activations),
                   ratio_cell(l.arithmetic_intensity), ratio_cell(l.weight_reuse),
                   ratio_cell(l.activation_reuse), with_commas(l.bytes),
                   ratio_cell(l.flops_per_byte)});
  }
  return header_lines(a) + "\n" + table.render("lll") +
         (a.options.convention.layer_a_inputs
              ? "(* in-place layer; AI = MACs/(weights + in act + out act))\n\n"
              : "(* in-place layer; AI = MACs/(weights + out act), as the paper's Table 5)\n\n") +
         summary_lines(a);
}

std::string render_csv(const Analysis& a) {
  std::string out = fmt::format(
      "# model={} convention={} alpha={} batch={} weight_bits={} act_bits={} coverage=\"{}\"\n",
      a.model, a.options.convention.name, a.options.alpha, a.batch, a.options.weight_bits,
      a.options.act_bits, a.coverage.summary());
  out +=
      "layer,op,kind,status,output_shape,in_place,macs,flops,weights,input_activations,"
      "output_activations,arithmetic_intensity,weight_reuse,activation_reuse,bytes,flops_per_"
      "byte\n";
  for (const LayerMetrics& l : a.layers) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{:.6g},{:.6g},{:.6g},{},{:.6g}\n",
                       report::csv_field(l.name), l.op_type, l.kind,
                       l.status == NodeStatus::kCounted ? "counted" : "unsupported",
                       shape_to_string(l.output_shape), l.in_place ? 1 : 0, l.macs, l.flops,
                       l.weights, l.input_activations, l.output_activations, l.arithmetic_intensity,
                       l.weight_reuse, l.activation_reuse, l.bytes, l.flops_per_byte);
  }
  return out;
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
