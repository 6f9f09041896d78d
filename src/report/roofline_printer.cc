#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "report/csv.h"
#include "report/json_records.h"
#include "report/provenance.h"
#include "report/svg_chart.h"
#include "report/text_table.h"
#include "reuselens/report.h"

namespace reuselens {

using report::fixed;

namespace {

std::string si(double v, const char* unit) {
  const char* prefixes[] = {"", "k", "M", "G", "T", "P"};
  int i = 0;
  while (std::abs(v) >= 1000 && i < 5) {
    v /= 1000;
    ++i;
  }
  return fmt::format("{:.3g} {}{}", v, prefixes[i], unit);
}

std::string time_str(double s) {
  if (s >= 1) return fmt::format("{:.3g} s", s);
  if (s >= 1e-3) return fmt::format("{:.3g} ms", s * 1e3);
  return fmt::format("{:.3g} us", s * 1e6);
}

// Integer types count operations (OP/s, TOPS), floating-point ones FLOPs.
std::string op_unit(const std::string& dtype) { return number_type(dtype).integer ? "OP" : "FLOP"; }

std::string header(const RooflineResult& r) {
  const std::string op = op_unit(r.dtype);
  return fmt::format(
      "model: {}\ninput: {} (batch {})\nhardware: {} ({}) - {}\n"
      "compute type: {}  bytes: {}  memory level: {}\n"
      "peak: {}{}/s  bandwidth: {}B/s  ridge point: {:.2f} {}/B\n"
      "bytes = weights + inputs + outputs, each once (compulsory traffic); time = max({}s/peak, "
      "bytes/bandwidth)\nconvention of AI_c and DI: {}  alpha: {}\n",
      r.analysis.model, report::inputs_text(r.analysis), r.analysis.batch, r.hardware.name,
      r.hardware.origin, r.hardware.description, r.dtype, report::precision_text(r.analysis),
      r.level, si(r.peak, ""), op, si(r.bandwidth, ""), r.ridge, op, op,
      r.analysis.options.convention.name, r.analysis.options.alpha);
}

nlohmann::json placement_json(const NetworkPlacement& p) {
  return {{"metric", p.metric},
          {"value_macs_per_element", p.value},
          {"macs_per_byte", p.macs_per_byte},
          {"flops_per_byte", p.flops_per_byte},
          {"bound", bound_name(p.bound)},
          {"attainable_flops", p.attainable},
          {"paper_figure5_bound", bound_name(p.paper_bound)}};
}

nlohmann::json result_json(const RooflineResult& r, bool layers) {
  nlohmann::json j = {{"model", r.analysis.model},
                      {"hardware", {{"name", r.hardware.name}, {"origin", r.hardware.origin}}},
                      {"dtype", r.dtype},
                      {"level", r.level},
                      {"peak_flops", r.peak},
                      {"bandwidth_bytes_per_s", r.bandwidth},
                      {"ridge_flops_per_byte", r.ridge},
                      {"total_time_s", r.total_time_s},
                      {"memory_bound_time_share", r.memory_bound_time_share},
                      {"memory_bound_layers", r.memory_bound_layers},
                      {"compute_bound_layers", r.compute_bound_layers},
                      {"by_ai_c", placement_json(r.by_ai_c)},
                      {"by_di", placement_json(r.by_di)},
                      {"coverage", r.analysis.coverage.summary()}};
  if (layers) {
    nlohmann::json list = nlohmann::json::array();
    for (const LayerPlacement& l : r.layers) {
      list.push_back({{"name", l.name},
                      {"op", l.op_type},
                      {"kind", l.kind},
                      {"counted", l.counted},
                      {"flops", l.flops},
                      {"bytes", l.bytes},
                      {"intensity", l.intensity},
                      {"bound", bound_name(l.bound)},
                      {"attainable_flops", l.attainable},
                      {"time_s", l.time_s}});
    }
    j["layers"] = list;
  }
  return j;
}

std::string placement_line(const NetworkPlacement& p) {
  return fmt::format(
      "{:<5} {:8.2f} MACs/element = {:8.2f} FLOP/B -> {:<7} ({}FLOP/s); Figure 5 places it {}",
      p.metric, p.value, p.flops_per_byte, bound_name(p.bound), si(p.attainable, ""),
      bound_name(p.paper_bound));
}

}  // namespace

std::string render_roofline(const RooflineResult& r, Format format) {
  if (format == Format::kJson) {
    nlohmann::json doc = report::document_header();
    doc["convention"] = report::convention_json(r.analysis.options);
    doc["roofline"] = result_json(r, true);
    return doc.dump(2) + "\n";
  }
  if (format == Format::kCsv) {
    std::vector<std::string> columns = {"model",
                                        "layer",
                                        "op",
                                        "kind",
                                        "status",
                                        "flops",
                                        "bytes",
                                        "intensity_flop_per_byte",
                                        "bound",
                                        "attainable_flops",
                                        "time_s",
                                        "hardware",
                                        "dtype",
                                        "level",
                                        "ridge_flop_per_byte"};
    for (const std::string& c : report::provenance_columns()) columns.push_back(c);
    report::Csv csv(columns);
    for (const LayerPlacement& l : r.layers) {
      csv.add(r.analysis.model).add(l.name).add(l.op_type).add(l.kind);
      csv.add(l.counted ? "counted" : "unsupported");
      if (l.counted) {
        csv.add(l.flops).add(l.bytes).add(l.intensity).add(bound_name(l.bound));
        csv.add(l.attainable).add(l.time_s);
      } else {
        csv.add("").add("").add("").add("").add("").add("");
      }
      csv.add(r.hardware.name).add(r.dtype).add(r.level).add(r.ridge);
      report::add_provenance(csv, r.analysis);
      csv.end_row();
    }
    return csv.str();
  }
  report::TextTable table(
      {"layer", "op", "FLOPs", "bytes", "FLOP/B", "bound", "attainable", "time"});
  for (const LayerPlacement& l : r.layers) {
    if (!l.counted) {
      table.add_row({l.name, l.op_type, "unsupported"});
      continue;
    }
    if (l.bound == Bound::kNone) {
      table.add_row({l.name, l.op_type, "0", "0", "-", "view", "-", "0"});
      continue;
    }
    table.add_row({l.name, l.op_type, report::with_commas(l.flops), report::with_commas(l.bytes),
                   fixed(l.intensity, 2), bound_name(l.bound),
                   si(l.attainable, (op_unit(r.dtype) + "/s").c_str()), time_str(l.time_s)});
  }
  std::string out =
      header(r) + "coverage: " + r.analysis.coverage.summary() + "\n\n" + table.render("ll") + "\n";
  out += fmt::format("sum of layer lower bounds: {}  ({} memory-bound layers, {} compute-bound)\n",
                     time_str(r.total_time_s), r.memory_bound_layers, r.compute_bound_layers);
  out += fmt::format("share of that time in memory-bound layers: {:.1f} %\n",
                     100 * r.memory_bound_time_share);
  out += "network placement (metric per element, over the bytes per element of " +
         report::precision_text(r.analysis) + "):\n";
  out += "  " + placement_line(r.by_ai_c) + "\n  " + placement_line(r.by_di) + "\n";
  return out;
}

std::string render_roofline_comparison(const std::vector<RooflineResult>& results, Format format) {
  if (format == Format::kJson) {
    nlohmann::json doc = report::document_header();
    if (!results.empty()) doc["convention"] = report::convention_json(results[0].analysis.options);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : results) list.push_back(result_json(r, false));
    doc["rooflines"] = list;
    return doc.dump(2) + "\n";
  }
  if (format == Format::kCsv) {
    std::vector<std::string> columns = {"model",
                                        "hardware",
                                        "dtype",
                                        "level",
                                        "ridge_flop_per_byte",
                                        "time_s",
                                        "memory_bound_time_share",
                                        "ai_c",
                                        "ai_c_flop_per_byte",
                                        "ai_c_bound",
                                        "ai_c_figure5_bound",
                                        "di",
                                        "di_flop_per_byte",
                                        "di_bound",
                                        "di_figure5_bound",
                                        "coverage"};
    for (const std::string& c : report::provenance_columns()) columns.push_back(c);
    report::Csv csv(columns);
    for (const auto& r : results) {
      csv.add(r.analysis.model).add(r.hardware.name).add(r.dtype).add(r.level).add(r.ridge);
      csv.add(r.total_time_s).add(r.memory_bound_time_share).add(r.by_ai_c.value);
      csv.add(r.by_ai_c.flops_per_byte).add(bound_name(r.by_ai_c.bound));
      csv.add(bound_name(r.by_ai_c.paper_bound)).add(r.by_di.value).add(r.by_di.flops_per_byte);
      csv.add(bound_name(r.by_di.bound)).add(bound_name(r.by_di.paper_bound));
      csv.add(r.analysis.coverage.summary());
      report::add_provenance(csv, r.analysis);
      csv.end_row();
    }
    return csv.str();
  }
  std::string out;
  if (!results.empty()) {
    const auto& r = results[0];
    out = fmt::format(
        "hardware: {} - {}\ncompute type: {}  ridge point: {:.2f} {}/B  memory level: {}\n"
        "convention of AI_c and DI: {}  alpha: {}\n\n",
        r.hardware.name, r.hardware.description, r.dtype, r.ridge, op_unit(r.dtype), r.level,
        r.analysis.options.convention.name, r.analysis.options.alpha);
  }
  report::TextTable table({"model", "input", "bytes", "time bound", "mem-bound share", "AI_c",
                           "AI_c FLOP/B", "bound", "Fig. 5", "DI", "DI FLOP/B", "bound", "Fig. 5"});
  for (const auto& r : results) {
    table.add_row({r.analysis.model, report::inputs_text(r.analysis),
                   report::precision_short(r.analysis), time_str(r.total_time_s),
                   fmt::format("{:.1f} %", 100 * r.memory_bound_time_share),
                   fixed(r.by_ai_c.value, 2), fixed(r.by_ai_c.flops_per_byte, 2),
                   bound_name(r.by_ai_c.bound), bound_name(r.by_ai_c.paper_bound),
                   fixed(r.by_di.value, 2), fixed(r.by_di.flops_per_byte, 2),
                   bound_name(r.by_di.bound), bound_name(r.by_di.paper_bound)});
  }
  out += table.render("l");
  out +=
      "(Fig. 5: the metric's value taken directly as the x coordinate against the ridge, as the "
      "paper draws it)\n";
  return out;
}

namespace {

// Roofs of every data type the machine lists against one memory level, and
// the selected type's roof against every level.
void add_roofs(report::ChartSpec& chart, const RooflineResult& r, double x_lo, double x_hi) {
  size_t color = 6;
  for (const MemoryLevel& level : r.hardware.levels) {
    const double peak = r.peak;
    const double ridge = peak / level.bytes_per_s;
    report::ChartSeries roof{fmt::format("roof {} / {}", r.dtype, level.name),
                             report::palette_color(color),
                             {},
                             true,
                             false,
                             level.name != "dram"};
    roof.points = {
        {x_lo, x_lo * level.bytes_per_s, "", 0}, {ridge, peak, "", 0}, {x_hi, peak, "", 0}};
    chart.series.push_back(roof);
    chart.markers.push_back(
        {ridge, fmt::format("ridge {} {}: {:.1f} FLOP/B", r.dtype, level.name, ridge), "#333"});
  }
  for (const PeakRate& p : r.hardware.peaks) {
    if (p.dtype == r.dtype) continue;
    report::ChartSeries ceiling{fmt::format("{} peak", p.dtype), "#999", {}, true, false, true};
    ceiling.points = {{x_lo, p.ops_per_s, "", 0}, {x_hi, p.ops_per_s, "", 0}};
    chart.series.push_back(ceiling);
    ++color;
  }
}

}  // namespace

std::string render_layer_roofline_svg(const RooflineResult& r) {
  report::ChartSpec chart;
  chart.title = fmt::format("{} on {} ({})", r.analysis.model, r.hardware.name, r.dtype);
  chart.x_label = "arithmetic intensity (FLOP/B)";
  chart.y_label = "attainable performance (FLOP/s)";
  chart.log_x = chart.log_y = true;
  chart.width = 860;
  chart.height = 520;
  double x_lo = 1e-2, x_hi = 1e4;
  for (const LayerPlacement& l : r.layers) {
    if (l.intensity > 0) x_lo = std::min(x_lo, l.intensity), x_hi = std::max(x_hi, l.intensity);
  }
  x_lo = std::pow(10, std::floor(std::log10(x_lo)));
  x_hi = std::pow(10, std::ceil(std::log10(x_hi)));
  chart.x_min = x_lo;
  chart.x_max = x_hi;
  double y_hi = r.peak;
  for (const PeakRate& p : r.hardware.peaks) y_hi = std::max(y_hi, p.ops_per_s);
  chart.y_max = std::pow(10, std::ceil(std::log10(y_hi * 1.01)));
  chart.y_min = std::pow(10, std::floor(std::log10(x_lo * r.hardware.levels.front().bytes_per_s)));
  add_roofs(chart, r, x_lo, x_hi);
  double max_flops = 1;
  for (const LayerPlacement& l : r.layers)
    max_flops = std::max(max_flops, static_cast<double>(l.flops));
  std::map<std::string, report::ChartSeries> by_kind;
  size_t kinds = 0;
  for (const LayerPlacement& l : r.layers) {
    if (l.intensity <= 0) continue;
    auto [it, fresh] = by_kind.try_emplace(l.kind);
    if (fresh)
      it->second = {"layers: " + l.kind, report::palette_color(kinds++), {}, false, true, false};
    const double radius = 2.5 + 7.5 * std::sqrt(static_cast<double>(l.flops) / max_flops);
    it->second.points.push_back(
        {l.intensity, l.attainable,
         fmt::format("{} ({}): {:.3g} FLOP/B, {:.3g} FLOP/s, {}-bound", l.name, l.op_type,
                     l.intensity, l.attainable, bound_name(l.bound)),
         radius});
  }
  for (auto& [kind, series] : by_kind) chart.series.push_back(std::move(series));
  report::ChartSeries net{"network: AI_c, DI", "#000", {}, false, true, false};
  net.points.push_back(
      {r.by_ai_c.flops_per_byte, r.by_ai_c.attainable,
       fmt::format("{} by AI_c: {:.3g} FLOP/B", r.analysis.model, r.by_ai_c.flops_per_byte), 6});
  net.points.push_back(
      {r.by_di.flops_per_byte, r.by_di.attainable,
       fmt::format("{} by DI: {:.3g} FLOP/B", r.analysis.model, r.by_di.flops_per_byte), 6});
  chart.series.push_back(net);
  return report::render_svg_chart(chart);
}

std::string render_network_roofline_svg(const std::vector<RooflineResult>& results,
                                        const std::string& metric) {
  report::ChartSpec chart;
  if (results.empty()) return report::render_svg_chart(chart);
  const RooflineResult& first = results.front();
  chart.title = fmt::format("Networks by {} on {} ({})", metric, first.hardware.name, first.dtype);
  chart.x_label = metric + " (FLOP/B: 2 x MACs per element / bytes per element)";
  chart.y_label = "attainable performance (FLOP/s)";
  chart.log_x = chart.log_y = true;
  chart.width = 860;
  chart.height = 520;
  double x_lo = first.ridge, x_hi = first.ridge;
  for (const auto& r : results) {
    const NetworkPlacement& p = metric == "DI" ? r.by_di : r.by_ai_c;
    x_lo = std::min(x_lo, p.flops_per_byte);
    x_hi = std::max(x_hi, p.flops_per_byte);
  }
  chart.x_min = std::pow(10, std::floor(std::log10(x_lo)));
  chart.x_max = std::pow(10, std::ceil(std::log10(x_hi * 1.5)));
  // Every roof the legend lists is inside the plot.
  double y_hi = first.peak;
  for (const PeakRate& p : first.hardware.peaks) y_hi = std::max(y_hi, p.ops_per_s);
  chart.y_max = std::pow(10, std::ceil(std::log10(y_hi * 1.01)));
  chart.y_min =
      std::pow(10, std::floor(std::log10(chart.x_min * first.hardware.levels.front().bytes_per_s)));
  add_roofs(chart, first, chart.x_min, chart.x_max);
  chart.width = 1000;
  chart.label_column = true;  // networks cluster: names in a column, with leader lines
  report::ChartSeries nets{"networks", report::palette_color(0), {}, false, true, false};
  for (const auto& r : results) {
    const NetworkPlacement& p = metric == "DI" ? r.by_di : r.by_ai_c;
    nets.points.push_back({p.flops_per_byte, p.attainable,
                           fmt::format("{}: {} {:.2f} ({:.3g} FLOP/B), {}-bound", r.analysis.model,
                                       metric, p.value, p.flops_per_byte, bound_name(p.bound)),
                           4, r.analysis.model});
  }
  chart.series.push_back(nets);
  return report::render_svg_chart(chart);
}

}  // namespace reuselens
