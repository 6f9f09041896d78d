#include <fmt/format.h>

#include "report/csv.h"
#include "report/json_records.h"
#include "report/svg_chart.h"
#include "report/text_table.h"
#include "reuselens/report.h"

namespace reuselens {

using report::csv_field;
using report::fixed;

namespace {

std::string energy_basis(const CorrelateOptions& o) {
  return o.above_idle ? "(P_avg - P_idle) x I_t, or measured energy less idle"
                      : "P_avg x I_t, or measured energy";
}

std::string interval_cell(const MetricCorrelation& m, size_t i, int part) {
  if (i >= m.intervals.size()) return "-";
  const auto& ci = m.intervals[i];
  return fixed(part == 0 ? ci.lower : part == 1 ? ci.upper : ci.width(), 2);
}

// Interval bounds in full for CSV: lower, upper, width of the i-th level.
void add_interval(report::Csv& csv, const MetricCorrelation& m, size_t i) {
  if (i >= m.intervals.size()) {
    csv.add("").add("").add("");
    return;
  }
  const auto& ci = m.intervals[i];
  csv.add(ci.lower).add(ci.upper).add(ci.width());
}

nlohmann::json interval_json(const stats::CorrelationInterval& ci) {
  return {{"level", ci.level},
          {"critical_value", ci.critical_value},
          {"n", ci.n},
          {"z_lower", ci.z_lower},
          {"z_upper", ci.z_upper},
          {"lower", ci.lower},
          {"upper", ci.upper},
          {"width", ci.width()}};
}

nlohmann::json options_json(const CorrelateOptions& o) {
  nlohmann::json j = report::convention_json(o.analysis);
  j["energy"] = energy_basis(o);
  j["above_idle"] = o.above_idle;
  j["mc_significant_digits"] = o.mc_significant_digits;
  j["metrics_batch"] = 1;
  return j;
}

}  // namespace

std::string render_correlation(const CorrelationReport& r, Format format, bool points) {
  if (format == Format::kJson) {
    nlohmann::json doc = report::document_header();
    doc["convention"] = options_json(r.options);
    doc["min_sample_size_95"] = r.min_sample_size;
    doc["notes"] = r.notes;
    nlohmann::json groups = nlohmann::json::array();
    for (const GroupCorrelation& g : r.groups) {
      nlohmann::json metrics = nlohmann::json::array();
      for (const MetricCorrelation& m : g.metrics) {
        nlohmann::json cis = nlohmann::json::array();
        for (const auto& ci : m.intervals) cis.push_back(interval_json(ci));
        metrics.push_back({{"metric", m.metric},
                           {"pearson", m.pearson},
                           {"spearman", m.spearman},
                           {"intervals", cis}});
      }
      nlohmann::json pts = nlohmann::json::array();
      for (const EnergyPoint& p : g.points) {
        pts.push_back({{"model", p.model},
                       {"spec", p.spec},
                       {"mc", p.mc},
                       {"ai_c", p.ai_c},
                       {"di", p.di},
                       {"energy_j", p.energy_j},
                       {"energy_per_image_j", p.energy_per_image_j},
                       {"energy_per_pixel_j", p.energy_per_pixel_j},
                       {"efficiency_macs_per_j", p.efficiency}});
      }
      groups.push_back({{"device", g.device},
                        {"batch", g.batch},
                        {"n", g.points.size()},
                        {"metrics", metrics},
                        {"points", pts}});
    }
    doc["groups"] = groups;
    return doc.dump(2) + "\n";
  }
  if (format == Format::kCsv) {
    const std::string& convention = r.options.analysis.convention.name;
    const double alpha = r.options.analysis.alpha;
    const std::string energy = energy_basis(r.options);
    if (points) {
      report::Csv csv({"device", "batch", "model", "mc", "ai_c", "di", "energy_j",
                       "energy_per_image_j", "energy_per_pixel_j", "efficiency_macs_per_j",
                       "convention", "alpha", "energy", "metrics_batch"});
      for (const auto& g : r.groups) {
        for (const auto& p : g.points) {
          csv.add(g.device).add(g.batch).add(p.model).add(p.mc).add(p.ai_c).add(p.di);
          csv.add(p.energy_j).add(p.energy_per_image_j).add(p.energy_per_pixel_j);
          csv.add(p.efficiency).add(convention).add(alpha).add(energy).add(1);
          csv.end_row();
        }
      }
      return csv.str();
    }
    report::Csv csv({"device", "batch", "n", "metric", "pearson", "spearman", "l95", "u95",
                     "width95", "l99", "u99", "width99", "convention", "alpha", "energy",
                     "metrics_batch"});
    for (const auto& g : r.groups) {
      for (const auto& m : g.metrics) {
        csv.add(g.device).add(g.batch).add(static_cast<int64_t>(g.points.size())).add(m.metric);
        csv.add(m.pearson).add(m.spearman);
        add_interval(csv, m, 0);
        add_interval(csv, m, 1);
        csv.add(convention).add(alpha).add(energy).add(1);
        csv.end_row();
      }
    }
    return csv.str();
  }
  std::string out = fmt::format(
      "convention: {}  alpha: {}  metrics at batch 1\n"
      "energy of one batch: {}\n"
      "energy efficiency (Eq. 2) = batch x Mc / energy, MACs/J; energy per pixel (Eq. 1) = energy "
      "/ (batch x H x W)\n"
      "intervals: Fisher z, standard error 1/sqrt(n - 3), for r_p\n",
      r.options.analysis.convention.name, r.options.analysis.alpha, energy_basis(r.options));
  for (const std::string& note : r.notes) out += "note: " + note + "\n";
  out += "\n";
  report::TextTable table({"device", "batch", "n", "metric", "r_p", "r_s", "95% L", "95% U",
                           "95% D", "99% L", "99% U", "99% D"});
  for (const auto& g : r.groups) {
    for (const auto& m : g.metrics) {
      table.add_row({g.device, std::to_string(g.batch), std::to_string(g.points.size()), m.metric,
                     fixed(m.pearson, 3), fixed(m.spearman, 3), interval_cell(m, 0, 0),
                     interval_cell(m, 0, 1), interval_cell(m, 0, 2), interval_cell(m, 1, 0),
                     interval_cell(m, 1, 1), interval_cell(m, 1, 2)});
    }
  }
  out += table.render("l");
  out += fmt::format(
      "\nminimum sample size for a Fisher-z interval no wider than 1 at 95 % (Eq. 6): {}\n",
      r.min_sample_size);
  if (points) {
    report::TextTable pts({"device", "batch", "model", "Mc (M)", "AI_c", "DI", "energy (J)",
                           "J/image", "EPP (nJ)", "MACs/J (G)"});
    for (const auto& g : r.groups) {
      for (const auto& p : g.points) {
        pts.add_row({g.device, std::to_string(g.batch), p.model, fixed(p.mc / 1e6, 1),
                     fixed(p.ai_c, 2), fixed(p.di, 2), fmt::format("{:.4g}", p.energy_j),
                     fmt::format("{:.4g}", p.energy_per_image_j),
                     fixed(p.energy_per_pixel_j * 1e9, 2), fixed(p.efficiency / 1e9, 2)});
      }
    }
    out += "\n" + pts.render("lll");
  }
  return out;
}

std::string render_sweep(const AlphaSweep& sweep, const CorrelateOptions& options, Format format) {
  const std::vector<GroupSweep>& sweeps = sweep.groups;
  if (format == Format::kJson) {
    nlohmann::json doc = report::document_header();
    doc["notes"] = sweep.notes;
    doc["convention"] = options_json(options);
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& s : sweeps) {
      nlohmann::json pts = nlohmann::json::array();
      for (const auto& p : s.points)
        pts.push_back({{"alpha", p.alpha}, {"pearson", p.pearson}, {"spearman", p.spearman}});
      groups.push_back({{"device", s.device},
                        {"batch", s.batch},
                        {"n", s.n},
                        {"points", pts},
                        {"best_alpha_pearson", s.best_alpha_pearson},
                        {"best_alpha_spearman", s.best_alpha_spearman},
                        {"leave_one_out",
                         {{"best_alpha", s.loo_best_alpha},
                          {"min", s.loo_min},
                          {"max", s.loo_max},
                          {"mean", s.loo_mean}}}});
    }
    doc["sweeps"] = groups;
    return doc.dump(2) + "\n";
  }
  if (format == Format::kCsv) {
    report::Csv csv({"device", "batch", "alpha", "pearson", "spearman", "convention", "metric"});
    for (const auto& s : sweeps) {
      for (const auto& p : s.points) {
        csv.add(s.device).add(s.batch).add(p.alpha).add(p.pearson).add(p.spearman);
        csv.add(options.analysis.convention.name).add("DI(alpha) vs energy efficiency");
        csv.end_row();
      }
    }
    return csv.str();
  }
  std::string out = fmt::format("DI(alpha) against energy efficiency; convention: {}\n",
                                options.analysis.convention.name);
  for (const std::string& note : sweep.notes) out += "note: " + note + "\n";
  out += "\n";
  report::TextTable summary({"device", "batch", "n", "best alpha (r_p)", "r_p there",
                             "best alpha (r_s)", "leave-one-out alpha (r_p): min", "mean", "max"});
  for (const auto& s : sweeps) {
    double best_rp = 0;
    for (const auto& p : s.points) {
      if (p.alpha == s.best_alpha_pearson) best_rp = p.pearson;
    }
    summary.add_row({s.device, std::to_string(s.batch), std::to_string(s.n),
                     fixed(s.best_alpha_pearson, 2), fixed(best_rp, 3),
                     fixed(s.best_alpha_spearman, 2),
                     s.loo_best_alpha.empty() ? "-" : fixed(s.loo_min, 2),
                     s.loo_best_alpha.empty() ? "-" : fixed(s.loo_mean, 3),
                     s.loo_best_alpha.empty() ? "-" : fixed(s.loo_max, 2)});
  }
  out += summary.render("l") + "\n";
  std::vector<std::string> header{"alpha"};
  for (const auto& s : sweeps) {
    header.push_back(fmt::format("r_p {} b{}", s.device, s.batch));
    header.push_back(fmt::format("r_s {} b{}", s.device, s.batch));
  }
  report::TextTable table(header);
  for (size_t i = 0; !sweeps.empty() && i < sweeps[0].points.size(); ++i) {
    std::vector<std::string> row{fixed(sweeps[0].points[i].alpha, 2)};
    for (const auto& s : sweeps) {
      row.push_back(fixed(s.points[i].pearson, 3));
      row.push_back(fixed(s.points[i].spearman, 3));
    }
    table.add_row(row);
  }
  return out + table.render("");
}

std::string render_sweep_svg(const AlphaSweep& sweep) {
  const std::vector<GroupSweep>& sweeps = sweep.groups;
  report::ChartSpec chart;
  chart.title = "Correlation of DI(alpha) with energy efficiency";
  chart.x_label = "alpha (weight of activation reuse in DI)";
  chart.y_label = "correlation coefficient";
  chart.x_min = 0;
  chart.x_max = 1;
  for (size_t i = 0; i < sweeps.size(); ++i) {
    const auto& s = sweeps[i];
    report::ChartSeries rp{fmt::format("r_p {} b{}", s.device, s.batch),
                           report::palette_color(i),
                           {},
                           true,
                           true,
                           false};
    report::ChartSeries rs{fmt::format("r_s {} b{}", s.device, s.batch),
                           report::palette_color(i),
                           {},
                           true,
                           false,
                           true};
    for (const auto& p : s.points) {
      rp.points.push_back(
          {p.alpha, p.pearson, fmt::format("alpha {:.2f}: r_p {:.3f}", p.alpha, p.pearson), 3});
      rs.points.push_back(
          {p.alpha, p.spearman, fmt::format("alpha {:.2f}: r_s {:.3f}", p.alpha, p.spearman), 3});
    }
    chart.series.push_back(std::move(rp));
    chart.series.push_back(std::move(rs));
    chart.markers.push_back(
        {s.best_alpha_pearson,
         fmt::format("max r_p {} b{}: {:.2f}", s.device, s.batch, s.best_alpha_pearson),
         report::palette_color(i)});
  }
  return report::render_svg_chart(chart);
}

std::string render_correlation_svg(const CorrelationReport& report) {
  std::vector<report::ChartSpec> panels;
  for (const char* metric : {"AI_c", "DI"}) {
    const bool di = std::string(metric) == "DI";
    report::ChartSpec chart;
    chart.title = fmt::format("Energy efficiency against {}", metric);
    const std::string& convention = report.options.analysis.convention.name;
    chart.x_label = di ? fmt::format("DI (alpha {:.2f}, '{}' convention)",
                                     report.options.analysis.alpha, convention)
                       : fmt::format("AI_c = Mc / (W + A) ('{}' convention)", convention);
    chart.y_label =
        fmt::format("GMAC per joule (Eq. 2; Mc by '{}')", report.options.analysis.convention.name);
    chart.log_y = true;
    for (size_t i = 0; i < report.groups.size(); ++i) {
      const GroupCorrelation& g = report.groups[i];
      double r = 0;
      for (const MetricCorrelation& m : g.metrics)
        if (m.metric == metric) r = m.pearson;
      report::ChartSeries series{fmt::format("{} b{} (r_p {:.2f})", g.device, g.batch, r),
                                 report::palette_color(i),
                                 {},
                                 false,
                                 true,
                                 false};
      for (const EnergyPoint& p : g.points) {
        const double x = di ? p.di : p.ai_c;
        series.points.push_back(
            {x, p.efficiency / 1e9,
             fmt::format("{}: {} {:.2f}, {:.3g} GMAC/J", p.model, metric, x, p.efficiency / 1e9),
             3.5});
      }
      chart.series.push_back(std::move(series));
    }
    panels.push_back(std::move(chart));
  }
  return report::render_svg_panels(panels);
}

std::string render_ranking(const std::vector<RankRow>& rows, double k,
                           const AnalysisOptions& options, Format format) {
  if (format == Format::kJson) {
    nlohmann::json doc = report::document_header();
    doc["convention"] = report::convention_json(options);
    doc["k"] = k;
    doc["objective"] = "Mc * (1/DI)^k, lower is better (Jha & Mittal Eq. 7)";
    nlohmann::json list = nlohmann::json::array();
    for (size_t i = 0; i < rows.size(); ++i) {
      list.push_back({{"rank", i + 1},
                      {"model", rows[i].model},
                      {"source", rows[i].spec},
                      {"input", rows[i].input},
                      {"batch", rows[i].batch},
                      {"mc", rows[i].mc},
                      {"di", rows[i].di},
                      {"objective", rows[i].objective}});
    }
    doc["ranking"] = list;
    return doc.dump(2) + "\n";
  }
  if (format == Format::kCsv) {
    report::Csv csv(
        {"rank", "model", "mc", "di", "objective", "k", "convention", "alpha", "batch"});
    for (size_t i = 0; i < rows.size(); ++i) {
      csv.add(static_cast<int64_t>(i + 1)).add(rows[i].model).add(rows[i].mc).add(rows[i].di);
      csv.add(rows[i].objective).add(k).add(options.convention.name).add(options.alpha);
      csv.add(rows[i].batch);
      csv.end_row();
    }
    return csv.str();
  }
  std::string out = fmt::format(
      "objective: Mc x (1/DI)^k with k = {} (Eq. 7), lower is better\nconvention: {}  alpha: "
      "{}\n(Mc and DI are counts: the objective does not depend on the data types)\n\n",
      k, options.convention.name, options.alpha);
  report::TextTable table({"rank", "model", "input", "Mc (M)", "DI", "objective"});
  for (size_t i = 0; i < rows.size(); ++i) {
    table.add_row({std::to_string(i + 1), rows[i].model, rows[i].input, fixed(rows[i].mc / 1e6, 1),
                   fixed(rows[i].di, 2), fmt::format("{:.4g}", rows[i].objective)});
  }
  return out + table.render("rl");
}

}  // namespace reuselens
