// Joins measurements with model metrics (Eq. 1 and 2) and correlates.
#include "reuselens/correlate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "ir/checked.h"
#include "reuselens/error.h"
#include "reuselens/reuselens.h"

namespace reuselens {

namespace {

std::string where(const Measurement& m) {
  return (m.origin.empty() ? "line " : m.origin + ":") + std::to_string(m.line);
}

}  // namespace

// zoo:NAME and paths pass through; a zoo name or display name maps to its entry.
std::string measurement_model_spec(const Measurement& m) {
  if (m.model.rfind("zoo:", 0) == 0 || m.model.find('/') != std::string::npos ||
      m.model.find(".prototxt") != std::string::npos) {
    return m.model;
  }
  if (const ZooEntry* e = find_zoo_entry(m.model)) return "zoo:" + e->name;
  throw_error(ErrorCode::kUnknownModel,
              where(m) + ": model '" + m.model +
                  "' is neither zoo:NAME, a .prototxt path nor a zoo network");
}

std::vector<Measurement> filter_measurements(const std::vector<Measurement>& rows,
                                             const std::vector<std::string>& specs) {
  if (specs.empty()) return rows;
  const std::vector<std::string> wanted = expand_model_specs(specs);
  std::vector<Measurement> out;
  for (const Measurement& m : rows) {
    if (std::find(wanted.begin(), wanted.end(), measurement_model_spec(m)) != wanted.end())
      out.push_back(m);
  }
  if (out.empty())
    throw_error(ErrorCode::kUsage, "no measurement row is for any of the --models given");
  return out;
}

namespace {

double round_significant(double v, int digits) {
  if (digits <= 0 || v == 0) return v;
  const double magnitude =
      std::pow(10.0, digits - 1 - static_cast<int>(std::floor(std::log10(std::abs(v)))));
  return std::round(v * magnitude) / magnitude;
}

struct ModelFacts {
  Analysis analysis;
  int64_t pixels = 0;
};

// The energy of one batch; 0 when --above-idle leaves none (the row's power
// is at or below its idle power), which the caller reports and leaves out.
double batch_energy(const Measurement& m, bool above_idle) {
  const double seconds = m.inference_ms / 1000.0;
  double energy = m.energy_j ? *m.energy_j : m.avg_power_w * seconds;
  if (above_idle) {
    if (!m.idle_power_w) {
      throw_error(ErrorCode::kUsage, where(m) + ": --above-idle needs an idle_power_w value");
    }
    energy -= *m.idle_power_w * seconds;
  }
  return std::max(energy, 0.0);
}

struct Group {
  std::string device;
  int64_t batch;
  std::vector<EnergyPoint> points;
};

constexpr size_t kMinPoints = 3;  // fewer points have no correlation to speak of

std::vector<Group> join(const std::vector<Measurement>& rows, const CorrelateOptions& options,
                        std::vector<std::string>& notes) {
  validate(options.analysis);
  std::map<std::string, ModelFacts> facts;
  std::vector<Group> groups;
  std::map<std::pair<std::string, int64_t>, size_t> group_index;
  std::map<std::tuple<std::string, std::string, int64_t>, int> seen;
  for (const Measurement& m : rows) {
    const std::string spec = measurement_model_spec(m);
    auto [it, inserted] = facts.try_emplace(spec);
    if (inserted) {
      it->second.analysis = analyze_model(spec, {}, options.analysis);
      const auto& shape = it->second.analysis.input_shape;
      it->second.pixels = shape.size() >= 2 ? shape[shape.size() - 1] * shape[shape.size() - 2] : 1;
    }
    const auto key = std::make_tuple(spec, m.device, m.batch);
    if (auto dup = seen.find(key); dup != seen.end()) {
      throw_error(ErrorCode::kUsage, where(m) + ": duplicate of line " +
                                         std::to_string(dup->second) +
                                         " (same model, device and batch)");
    }
    seen[key] = m.line;
    const ModelFacts& f = it->second;
    EnergyPoint p;
    p.model = f.analysis.model;
    p.spec = spec;
    p.mc =
        round_significant(static_cast<double>(f.analysis.total.mc), options.mc_significant_digits);
    p.ai_c = f.analysis.total.ai_c;
    p.di = f.analysis.total.di;
    p.mc_over_w = f.analysis.total.mc_over_w;
    p.mc_over_a = f.analysis.total.mc_over_a;
    p.pixels = f.pixels;
    p.energy_j = batch_energy(m, options.above_idle);
    if (p.energy_j <= 0) {
      notes.push_back(fmt::format(
          "{}: {} on {} at batch {} left out: its average power {:g} W is not above its idle "
          "power {:g} W, so --above-idle leaves no energy",
          where(m), p.model, m.device, m.batch, m.avg_power_w, m.idle_power_w.value_or(0)));
      continue;
    }
    p.energy_per_image_j = p.energy_j / static_cast<double>(m.batch);
    p.energy_per_pixel_j = p.energy_j / static_cast<double>(m.batch * p.pixels);
    p.efficiency = static_cast<double>(m.batch) * p.mc / p.energy_j;
    if (!std::isfinite(p.efficiency) || !std::isfinite(p.energy_per_pixel_j)) {
      throw_error(ErrorCode::kParse, where(m) + ": " + p.model + " on " + m.device +
                                         ": its energy and time give no finite efficiency");
    }
    auto [g, fresh] = group_index.try_emplace({m.device, m.batch}, groups.size());
    if (fresh) groups.push_back({m.device, m.batch, {}});
    groups[g->second].points.push_back(std::move(p));
  }
  std::vector<Group> kept;
  for (Group& g : groups) {
    if (g.points.size() >= kMinPoints) {
      kept.push_back(std::move(g));
      continue;
    }
    notes.push_back(fmt::format(
        "{}, batch {}: {} point{}, fewer than the {} a correlation needs; "
        "skipped",
        g.device, g.batch, g.points.size(), g.points.size() == 1 ? "" : "s", kMinPoints));
  }
  if (kept.empty()) {
    throw_error(ErrorCode::kUsage, "no (device, batch) group has " + std::to_string(kMinPoints) +
                                       " or more measurements to correlate" +
                                       (notes.empty() ? "" : " (" + notes.back() + ")"));
  }
  return kept;
}

MetricCorrelation correlate_metric(const std::string& name, const std::vector<double>& metric,
                                   const std::vector<double>& efficiency,
                                   const CorrelateOptions& options) {
  MetricCorrelation c;
  c.metric = name;
  c.pearson = stats::pearson(metric, efficiency);
  c.spearman = stats::spearman(metric, efficiency);
  const int64_t n = static_cast<int64_t>(metric.size());
  if (n >= 4 && std::abs(c.pearson) < 1.0) {
    for (double level : options.levels) {
      double critical = 0;
      if (level == 0.95) critical = options.critical_95;
      if (level == 0.99) critical = options.critical_99;
      c.intervals.push_back(stats::correlation_interval(c.pearson, n, level, critical));
    }
  }
  return c;
}

std::vector<double> column(const std::vector<EnergyPoint>& points, double EnergyPoint::*field) {
  std::vector<double> out;
  out.reserve(points.size());
  for (const EnergyPoint& p : points) out.push_back(p.*field);
  return out;
}

std::string group_name(const Group& g) { return g.device + ", batch " + std::to_string(g.batch); }

}  // namespace

CorrelationReport correlate(const std::vector<Measurement>& rows, const CorrelateOptions& options) {
  CorrelationReport report;
  report.options = options;
  report.min_sample_size = stats::min_sample_size(1.0, 0.95);
  for (Group& g : join(rows, options, report.notes)) {
    GroupCorrelation out;
    out.device = g.device;
    out.batch = g.batch;
    const std::vector<double> efficiency = column(g.points, &EnergyPoint::efficiency);
    try {
      out.metrics.push_back(
          correlate_metric("AI_c", column(g.points, &EnergyPoint::ai_c), efficiency, options));
      out.metrics.push_back(
          correlate_metric("DI", column(g.points, &EnergyPoint::di), efficiency, options));
    } catch (const Error& e) {
      throw e.with_context(group_name(g));
    }
    out.points = std::move(g.points);
    report.groups.push_back(std::move(out));
  }
  return report;
}

namespace {

// Alpha maximising Pearson's r of DI(alpha) against efficiency, skipping
// point `skip` (-1: none). Ties keep the smallest alpha.
std::vector<SweepPoint> sweep(const std::vector<EnergyPoint>& points, const SweepOptions& o,
                              int skip, bool with_spearman) {
  std::vector<SweepPoint> out;
  const int steps = alpha_sweep_steps(o);
  for (int i = 0; i <= steps; ++i) {
    // On the grid exactly (0.85, not 0.8500000000000001): callers select rows by value.
    const double alpha = std::min(o.to, std::round((o.from + o.step * i) * 1e12) / 1e12);
    std::vector<double> di, efficiency;
    for (size_t p = 0; p < points.size(); ++p) {
      if (static_cast<int>(p) == skip) continue;
      di.push_back(data_reuse_index(points[p].mc_over_w, points[p].mc_over_a, alpha));
      efficiency.push_back(points[p].efficiency);
    }
    SweepPoint sp;
    sp.alpha = alpha;
    sp.pearson = stats::pearson(di, efficiency);
    if (with_spearman) sp.spearman = stats::spearman(di, efficiency);
    out.push_back(sp);
  }
  return out;
}

double argmax_alpha(const std::vector<SweepPoint>& points, double SweepPoint::*field) {
  const SweepPoint* best = &points.front();
  for (const SweepPoint& p : points) {
    if (p.*field > best->*field + 1e-12) best = &p;
  }
  return best->alpha;
}

}  // namespace

int alpha_sweep_steps(const SweepOptions& o) {
  // Written so that NaN fails every test.
  if (!(o.from >= 0 && o.to <= 1 && o.from <= o.to)) {
    throw_error(ErrorCode::kUsage, "alpha sweep needs 0 <= from <= to <= 1 (--from " +
                                       number_text(o.from) + ", --to " + number_text(o.to) + ")");
  }
  if (!(o.step > 0 && o.step <= 1)) {
    throw_error(ErrorCode::kUsage, "--step " + number_text(o.step) + " is not in (0, 1]");
  }
  const double steps = std::floor((o.to - o.from) / o.step + 1e-9);
  if (steps + 1 > kMaxAlphaSweepPoints) {
    throw_error(ErrorCode::kUsage, "--step " + number_text(o.step) + " makes " +
                                       number_text(steps + 1) + " alpha points (at most " +
                                       std::to_string(kMaxAlphaSweepPoints) + ")");
  }
  return static_cast<int>(steps);
}

AlphaSweep sweep_alpha(const std::vector<Measurement>& rows, const SweepOptions& options) {
  alpha_sweep_steps(options);
  AlphaSweep out;
  for (const Group& g : join(rows, options.correlate, out.notes)) {
    GroupSweep s;
    s.device = g.device;
    s.batch = g.batch;
    s.n = static_cast<int64_t>(g.points.size());
    try {
      s.points = sweep(g.points, options, -1, true);
      s.best_alpha_pearson = argmax_alpha(s.points, &SweepPoint::pearson);
      s.best_alpha_spearman = argmax_alpha(s.points, &SweepPoint::spearman);
      if (g.points.size() > 3) {
        for (size_t skip = 0; skip < g.points.size(); ++skip) {
          s.loo_best_alpha.push_back(argmax_alpha(
              sweep(g.points, options, static_cast<int>(skip), false), &SweepPoint::pearson));
        }
        s.loo_min = *std::min_element(s.loo_best_alpha.begin(), s.loo_best_alpha.end());
        s.loo_max = *std::max_element(s.loo_best_alpha.begin(), s.loo_best_alpha.end());
        double sum = 0;
        for (double a : s.loo_best_alpha) sum += a;
        s.loo_mean = sum / static_cast<double>(s.loo_best_alpha.size());
      }
    } catch (const Error& e) {
      throw e.with_context(group_name(g));
    }
    out.groups.push_back(std::move(s));
  }
  return out;
}

std::vector<RankRow> rank_models(const std::vector<std::string>& specs, const LoadOptions& load,
                                 const AnalysisOptions& options, double k) {
  if (!(k >= 0.0 && k <= 1.0)) {
    throw_error(ErrorCode::kUsage,
                "--k " + std::to_string(k) + " is outside [0, 1] (Eq. 7 takes k in (0, 1))");
  }
  return rank_analyses(compare_models(specs, load, options, ""), k);
}

std::vector<RankRow> rank_analyses(const std::vector<Analysis>& analyses, double k) {
  if (!(k >= 0.0 && k <= 1.0)) {
    throw_error(ErrorCode::kUsage,
                "k " + std::to_string(k) + " is outside [0, 1] (Eq. 7 takes k in (0, 1))");
  }
  std::vector<RankRow> rows;
  for (const Analysis& a : analyses) {
    RankRow r;
    r.model = a.model;
    r.spec = a.source;
    r.input = inputs_summary(a);
    r.batch = a.batch;
    r.mc = a.total.mc;
    r.di = a.total.di;
    r.objective = static_cast<double>(a.total.mc) * std::pow(1.0 / a.total.di, k);
    rows.push_back(r);
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const RankRow& a, const RankRow& b) { return a.objective < b.objective; });
  return rows;
}

}  // namespace reuselens
