#include <fmt/format.h>

#include "report/csv.h"
#include "report/json_records.h"
#include "report/svg_chart.h"
#include "report/text_table.h"
#include "reuselens/report.h"

namespace reuselens {

using report::fixed;
using report::with_commas;

namespace {

nlohmann::json traffic_json(const Traffic& t) {
  return {{"input_reads", t.input_reads},
          {"weight_reads", t.weight_reads},
          {"output_reads", t.output_reads},
          {"output_writes", t.output_writes},
          {"total", t.total()}};
}

nlohmann::json energy_json(const EnergyBreakdown& e) {
  return {{"dram_input_pj", e.dram_input_pj},   {"dram_weight_pj", e.dram_weight_pj},
          {"dram_output_pj", e.dram_output_pj}, {"buffer_pj", e.buffer_pj},
          {"compute_pj", e.compute_pj},         {"total_pj", e.total_pj()}};
}

std::string shape(const ConvProblem& x) {
  std::string s = fmt::format("{}/{}/{}/{}/{}/{}", x.k, x.c, x.h, x.p, x.r, x.stride_h);
  if (x.groups > 1) s += fmt::format(" g{}", x.groups);
  return s;
}

std::string traffic_cell(const DataflowChoice& d) {
  return with_commas(d.traffic.total()) + (d.fits ? "" : "!");
}

// Buffer sizes in KiB (1024 bytes), as the column header says.
std::string kib(int64_t bits) {
  return fmt::format("{:.2f}", static_cast<double>(bits) / 8.0 / 1024.0);
}

nlohmann::json closed_form_json(const LayerBounds& b, const Traffic& t) {
  return b.closed_forms_na.empty() ? traffic_json(t) : nlohmann::json(nullptr);
}

nlohmann::json network_json(const NetworkDataflow& n) {
  const DataflowOptions& o = n.options;
  const int64_t words = o.buffer_bits / o.bits;
  nlohmann::json doc = report::document_header();
  doc["model"] = n.model;
  doc["buffer"] = {{"bits", o.buffer_bits}, {"word_bits", o.bits}, {"words", words}};
  doc["energy_table"] = {{"name", n.energy_table.name}, {"source", n.energy_table.source}};
  doc["units"] = "traffic in words of word_bits bits; energy in pJ";
  nlohmann::json layers = nlohmann::json::array();
  for (const LayerDataflow& l : n.layers) {
    const ConvProblem& x = l.problem;
    nlohmann::json flows = nlohmann::json::array();
    for (size_t i = 0; i < l.dataflows.size(); ++i) {
      const DataflowChoice& d = l.dataflows[i];
      nlohmann::json f = {
          {"name", d.name},
          {"stationary", stationary_name(d.tiling.stationary)},
          {"tiling",
           {{"kt", d.tiling.kt}, {"ct", d.tiling.ct}, {"pt", d.tiling.pt}, {"qt", d.tiling.qt}}},
          {"traffic", traffic_json(d.traffic)},
          {"buffer_words", d.buffer_words},
          {"fits", d.fits}};
      if (i < l.simulated.size()) f["simulated"] = traffic_json(l.simulated[i].traffic);
      flows.push_back(f);
    }
    layers.push_back({{"name", l.name},
                      {"problem",
                       {{"p", x.k},
                        {"q", x.c},
                        {"groups", x.groups},
                        {"n", x.h},
                        {"m", x.p},
                        {"r", x.r},
                        {"s", x.stride_h},
                        {"pad", x.pad_h}}},
                      {"macs", l.bounds.macs},
                      {"lower_bound_words", l.bounds.lower_bound_words},
                      {"compulsory", traffic_json(l.bounds.compulsory)},
                      {"woo_model", closed_form_json(l.bounds, l.bounds.woo_model)},
                      {"woo_buffer_bits", l.bounds.woo_buffer_bits},
                      {"roi_model", closed_form_json(l.bounds, l.bounds.roi_model)},
                      {"roi_buffer_bits", l.bounds.roi_buffer_bits},
                      {"closed_forms_na", l.bounds.closed_forms_na},
                      {"dataflows", flows},
                      {"best", l.dataflows[l.best].name},
                      {"energy", energy_json(l.energy)}});
  }
  doc["layers"] = layers;
  nlohmann::json unmodelled = nlohmann::json::array();
  for (const UnmodelledLayer& u : n.unmodelled)
    unmodelled.push_back({{"name", u.name}, {"op", u.op_type}, {"reason", u.reason}});
  doc["unmodelled_layers"] = unmodelled;
  doc["total"] = {{"macs", n.macs},
                  {"lower_bound_words", n.lower_bound_words},
                  {"compulsory", traffic_json(n.compulsory)},
                  {"best", traffic_json(n.best)},
                  {"energy", energy_json(n.energy)},
                  {"skipped_layers", n.skipped_layers}};
  return doc;
}

report::Csv dataflow_csv() {
  return report::Csv({"model",
                      "layer",
                      "p",
                      "q",
                      "groups",
                      "n",
                      "m",
                      "r",
                      "s",
                      "pad",
                      "macs",
                      "lower_bound",
                      "compulsory",
                      "woo_model",
                      "woo_buffer_bits",
                      "roi_model",
                      "roi_buffer_bits",
                      "closed_forms_na",
                      "woo",
                      "roi",
                      "os",
                      "ws",
                      "is",
                      "best",
                      "best_buffer_words",
                      "best_fits",
                      "energy_pj",
                      "buffer_bits",
                      "word_bits",
                      "words",
                      "mac",
                      "energy_table"});
}

void add_csv_rows(report::Csv& csv, const NetworkDataflow& n) {
  const DataflowOptions& o = n.options;
  const int64_t words = o.buffer_bits / o.bits;

  for (const LayerDataflow& l : n.layers) {
    const ConvProblem& x = l.problem;
    const bool na = !l.bounds.closed_forms_na.empty();
    csv.add(n.model).add(l.name).add(x.k).add(x.c).add(x.groups).add(x.h).add(x.p).add(x.r);
    csv.add(x.stride_h).add(x.pad_h).add(l.bounds.macs).add(l.bounds.lower_bound_words);
    csv.add(l.bounds.compulsory.total());
    if (na) {
      csv.add("").add("").add("").add("");
    } else {
      csv.add(l.bounds.woo_model.total()).add(l.bounds.woo_buffer_bits);
      csv.add(l.bounds.roi_model.total()).add(l.bounds.roi_buffer_bits);
    }
    csv.add(l.bounds.closed_forms_na);
    for (const DataflowChoice& d : l.dataflows) csv.add(d.traffic.total());
    csv.add(l.dataflows[l.best].name).add(l.dataflows[l.best].buffer_words);
    csv.add(l.dataflows[l.best].fits).add(l.energy.total_pj());
    csv.add(o.buffer_bits).add(static_cast<int64_t>(o.bits)).add(words).add(o.mac_kind);
    csv.add(n.energy_table.name);
    csv.end_row();
  }
}

std::string network_table(const NetworkDataflow& n) {
  const DataflowOptions& o = n.options;
  const int64_t words = o.buffer_bits / o.bits;
  std::string out = fmt::format(
      "model: {}\nbuffer: B = {} bits = {} words of b = {} bits\n"
      "traffic in words; lower bound = Mc / ((B_w - 1)/2)^2 (Sima et al.); p/q/n/m/r/s = output "
      "maps, input maps,\n"
      "input size, output size, receptive field, stride (per group)\n"
      "energy: {} - {}\n\n",
      n.model, with_commas(o.buffer_bits), with_commas(words), o.bits, n.energy_table.name,
      n.energy_table.source);
  report::TextTable model({"layer", "p/q/n/m/r/s", "MACs", "lower bound", "compulsory", "WOO model",
                           "WOO buffer (KiB)", "ROI model", "ROI buffer (KiB)"});
  std::string not_applicable;
  for (const LayerDataflow& l : n.layers) {
    if (!l.bounds.closed_forms_na.empty()) {
      model.add_row({l.name, shape(l.problem), with_commas(l.bounds.macs),
                     fmt::format("{:.4g}", l.bounds.lower_bound_words),
                     with_commas(l.bounds.compulsory.total()), "n/a", "n/a", "n/a", "n/a"});
      not_applicable += "  " + l.name + ": " + l.bounds.closed_forms_na + "\n";
      continue;
    }
    model.add_row({l.name, shape(l.problem), with_commas(l.bounds.macs),
                   fmt::format("{:.4g}", l.bounds.lower_bound_words),
                   with_commas(l.bounds.compulsory.total()),
                   with_commas(l.bounds.woo_model.total()), kib(l.bounds.woo_buffer_bits),
                   with_commas(l.bounds.roi_model.total()), kib(l.bounds.roi_buffer_bits)});
  }
  out += "the model (closed forms of the slides):\n" + model.render("ll");
  if (!not_applicable.empty()) out += "n/a: the closed forms do not apply to\n" + not_applicable;
  out += "\n";
  report::TextTable flows({"layer", "write-once-out", "read-once-in", "output-stat.",
                           "weight-stat.", "input-stat.", "best", "its buffer", "energy (uJ)",
                           "pJ/MAC"});
  for (const LayerDataflow& l : n.layers) {
    flows.add_row({l.name, traffic_cell(l.dataflows[0]), traffic_cell(l.dataflows[1]),
                   traffic_cell(l.dataflows[2]), traffic_cell(l.dataflows[3]),
                   traffic_cell(l.dataflows[4]), l.dataflows[l.best].name,
                   with_commas(l.dataflows[l.best].buffer_words),
                   fixed(l.energy.total_pj() / 1e6, 2),
                   fixed(l.energy.total_pj() / static_cast<double>(l.bounds.macs), 2)});
  }
  out +=
      "dataflows (exact DRAM words; ! = needs more buffer than there is, shown at its smallest "
      "tiling):\n" +
      flows.render("l") + "\n";
  if (!n.layers.empty() && !n.layers[0].simulated.empty()) {
    const bool lru = o.policy == BufferPolicy::kLru;
    report::TextTable sim({"layer", "dataflow", "closed form (explicit)",
                           lru ? "LRU cache of B words" : "simulated",
                           lru ? "LRU / explicit" : "match"});
    for (const LayerDataflow& l : n.layers) {
      for (size_t i = 0; i < l.dataflows.size(); ++i) {
        const int64_t a = l.dataflows[i].traffic.total(), b = l.simulated[i].traffic.total();
        sim.add_row({l.name, l.dataflows[i].name, with_commas(a), with_commas(b),
                     lru ? fixed(static_cast<double>(b) / static_cast<double>(a), 3)
                         : (a == b ? "yes" : "NO")});
      }
    }
    out += std::string("simulation, access by access (") +
           (lru ? "the same loop order against an LRU cache" : "explicitly managed tiles") +
           "):\n" + sim.render("ll") + "\n";
  }
  const EnergyBreakdown& e = n.energy;
  for (const UnmodelledLayer& u : n.unmodelled) {
    out += fmt::format("not modelled: {} ({}): {}\n", u.name, u.op_type, u.reason);
  }
  out += fmt::format(
      "network: {} conv/FC layers modelled ({} not; {} other layers are not conv/FC), {} MACs\n",
      n.layers.size(), n.unmodelled.size(), n.skipped_layers, with_commas(n.macs));
  out += fmt::format(
      "  lower bound {:.4g} words; compulsory {} words; best dataflows {} words "
      "(inputs {}, weights {}, partial sums read {}, outputs written {})\n",
      n.lower_bound_words, with_commas(n.compulsory.total()), with_commas(n.best.total()),
      with_commas(n.best.input_reads), with_commas(n.best.weight_reads),
      with_commas(n.best.output_reads), with_commas(n.best.output_writes));
  out += fmt::format(
      "  energy {:.4g} uJ = {:.2f} pJ/MAC: DRAM inputs {:.4g}, weights {:.4g}, outputs {:.4g}; "
      "buffer {:.4g}; "
      "MACs {:.4g} (uJ)\n",
      e.total_pj() / 1e6, e.total_pj() / static_cast<double>(std::max<int64_t>(1, n.macs)),
      e.dram_input_pj / 1e6, e.dram_weight_pj / 1e6, e.dram_output_pj / 1e6, e.buffer_pj / 1e6,
      e.compute_pj / 1e6);
  return out;
}

}  // namespace

std::string render_dataflow(const std::vector<NetworkDataflow>& results, Format format) {
  if (format == Format::kJson) {
    if (results.size() == 1) return network_json(results.front()).dump(2) + "\n";
    nlohmann::json doc = report::document_header();
    nlohmann::json list = nlohmann::json::array();
    for (const NetworkDataflow& n : results) {
      nlohmann::json one = network_json(n);
      one.erase("tool");
      one.erase("version");
      list.push_back(std::move(one));
    }
    doc["networks"] = std::move(list);
    return doc.dump(2) + "\n";
  }
  if (format == Format::kCsv) {
    report::Csv csv = dataflow_csv();
    for (const NetworkDataflow& n : results) add_csv_rows(csv, n);
    return csv.str();
  }
  std::string out;
  for (const NetworkDataflow& n : results) out += (out.empty() ? "" : "\n") + network_table(n);
  return out;
}

std::string render_dataflow_sweep(const DataflowSweep& s, Format format) {
  if (format == Format::kJson) {
    nlohmann::json doc = report::document_header();
    nlohmann::json pts = nlohmann::json::array();
    for (const auto& p : s.points) {
      pts.push_back({{"value", p.value},
                     {"x", p.x},
                     {"woo_model", p.woo_model},
                     {"best", p.best},
                     {"compulsory", p.compulsory},
                     {"lower_bound", p.lower_bound}});
    }
    doc["sweep"] = {{"parameter", s.parameter}, {"order", s.order},         {"points", pts},
                    {"slope", s.slope},         {"intercept", s.intercept}, {"r2", s.r2},
                    {"best_r2", s.best_r2}};
    return doc.dump(2) + "\n";
  }
  if (format == Format::kCsv) {
    report::Csv csv({"parameter", "value", "x", "order", "woo_model", "best", "compulsory",
                     "lower_bound", "units"});
    for (const auto& p : s.points) {
      csv.add(s.parameter).add(p.value).add(p.x).add(s.order).add(p.woo_model).add(p.best);
      csv.add(p.compulsory).add(p.lower_bound).add("words");
      csv.end_row();
    }
    return csv.str();
  }
  report::TextTable t(
      {s.parameter, "x", "WOO model", "best dataflow", "compulsory", "lower bound"});
  for (const auto& p : s.points) {
    t.add_row({std::to_string(p.value), fmt::format("{:.4g}", p.x), with_commas(p.woo_model),
               with_commas(p.best), with_commas(p.compulsory),
               fmt::format("{:.4g}", p.lower_bound)});
  }
  return fmt::format("sweep of {}: DRAM words against x = the model's order {}\n\n", s.parameter,
                     s.order) +
         t.render("") +
         fmt::format(
             "\nleast squares: {} = {:.6g} x + {:.6g}, R^2 = {:.6f}; best exact dataflow R^2 = "
             "{:.6f}\n",
             s.parameter == "buffer" ? "best" : "WOO model", s.slope, s.intercept, s.r2, s.best_r2);
}

std::string render_dataflow_sweep_svg(const DataflowSweep& s) {
  report::ChartSpec chart;
  chart.title = fmt::format("DRAM traffic against {} (model order {})", s.parameter, s.order);
  chart.x_label = s.parameter == "buffer" ? "buffer (bits)" : s.parameter;
  chart.y_label = "DRAM accesses (words)";
  chart.log_x = s.parameter == "buffer" || s.parameter == "p" || s.parameter == "q";
  chart.log_y = true;
  const std::pair<const char*, int64_t DataflowSweepPoint::*> lines[] = {
      {"write-once-outputs model", &DataflowSweepPoint::woo_model},
      {"best exact dataflow", &DataflowSweepPoint::best},
      {"compulsory", &DataflowSweepPoint::compulsory}};
  size_t color = 0;
  for (const auto& [name, field] : lines) {
    report::ChartSeries series{name, report::palette_color(color++), {}, true, true, false};
    for (const auto& p : s.points) {
      series.points.push_back({static_cast<double>(p.value), static_cast<double>(p.*field),
                               fmt::format("{}={}: {} words", s.parameter, p.value, p.*field), 3});
    }
    chart.series.push_back(std::move(series));
  }
  report::ChartSeries lb{"lower bound", report::palette_color(color), {}, true, false, true};
  for (const auto& p : s.points) {
    if (p.lower_bound > 0)
      lb.points.push_back({static_cast<double>(p.value), p.lower_bound, "", 0});
  }
  chart.series.push_back(std::move(lb));
  return report::render_svg_chart(chart);
}

}  // namespace reuselens
