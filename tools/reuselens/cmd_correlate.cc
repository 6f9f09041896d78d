#include <memory>

#include "commands.h"
#include "common.h"
#include "output.h"

namespace reuselens::cli {

namespace {

struct MeasurementOptions {
  std::string measurements;
  std::vector<std::string> models;
  bool above_idle = false;
  int mc_digits = 0;
  bool paper_z = false;
  std::string convention = "paper";
  double alpha = 0.8;
};

// `correlation`: correlate's own options, alpha and the intervals' critical
// values; calibrate sweeps alpha and prints no intervals.
void add_measurement_options(CLI::App& sub, MeasurementOptions& o, bool correlation = true) {
  sub.add_option(
         "--measurements", o.measurements,
         "Measurement CSV (docs/statistics.md), or 'paper' for the shipped Jha & Mittal data")
      ->required();
  sub.add_option("--models", o.models, "Only these models (zoo:NAME, zoo:all, .prototxt)");
  sub.add_flag("--above-idle", o.above_idle, "Subtract idle power (needs idle_power_w)");
  sub.add_option("--mc-digits", o.mc_digits,
                 "Round Mc to this many significant digits in Eq. 2 (0: exact)")
      ->capture_default_str();
  if (correlation) {
    sub.add_flag("--paper-z", o.paper_z, "Use the paper's rounded critical values 1.96 and 2.58");
  }
  sub.add_option("--convention", o.convention, "Counting convention of AI_c and DI")
      ->capture_default_str();
  if (correlation) sub.add_option("--alpha", o.alpha, "DI's alpha")->capture_default_str();
}

CorrelateOptions to_correlate_options(const MeasurementOptions& o) {
  CorrelateOptions c;
  c.analysis.convention = convention_by_name(o.convention);
  c.analysis.alpha = o.alpha;
  validate(c.analysis);
  c.above_idle = o.above_idle;
  if (o.mc_digits < 0 || o.mc_digits > 15)
    throw_error(ErrorCode::kUsage, "--mc-digits must be 0 to 15");
  c.mc_significant_digits = o.mc_digits;
  if (o.paper_z) {
    c.critical_95 = 1.96;
    c.critical_99 = 2.58;
  }
  return c;
}

std::vector<Measurement> rows_for(const MeasurementOptions& o) {
  return filter_measurements(load_measurements(o.measurements), o.models);
}

}  // namespace

void setup_correlate(CLI::App& app) {
  struct Options {
    MeasurementOptions m;
    bool points = false;
    std::string svg;
    CommonOptions common;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand("correlate",
                                     "Correlate AI_c and DI with measured energy efficiency "
                                     "(Pearson, Spearman, Fisher-z intervals)");
  add_measurement_options(*sub, o->m);
  sub->add_flag("--points", o->points,
                "Also print energy, energy per pixel and efficiency per measurement");
  sub->add_option("--svg", o->svg,
                  "Also draw efficiency against AI_c and DI as an SVG chart to this file")
      ->check(writable_path());
  add_common_options(*sub, o->common);
  sub->callback([o] {
    const CorrelationReport report = correlate(rows_for(o->m), to_correlate_options(o->m));
    const Format format = format_by_name(o->common.format);
    if (format == Format::kCsv) {  // CSV has no place for them
      for (const std::string& note : report.notes) warn(note);
    }
    emit(o->common, render_correlation(report, format, o->points));
    if (!o->svg.empty()) emit_file(o->svg, render_correlation_svg(report));
  });
}

void setup_calibrate(CLI::App& app) {
  struct Options {
    MeasurementOptions m;
    double from = 0, to = 1, step = 0.05;
    std::string svg;
    CommonOptions common;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand(
      "calibrate",
      "Sweep DI's alpha against measured energy efficiency (the paper's Figures 4 and 6)");
  add_measurement_options(*sub, o->m, /*correlation=*/false);
  sub->add_option("--from", o->from, "First alpha")->capture_default_str();
  sub->add_option("--to", o->to, "Last alpha")->capture_default_str();
  sub->add_option("--step", o->step, "Alpha step")->capture_default_str();
  sub->add_option("--svg", o->svg, "Also draw the sweep as an SVG chart to this file")
      ->check(writable_path());
  add_common_options(*sub, o->common);
  sub->callback([o] {
    SweepOptions s;
    s.correlate = to_correlate_options(o->m);
    s.from = o->from;
    s.to = o->to;
    s.step = o->step;
    const AlphaSweep sweeps = sweep_alpha(rows_for(o->m), s);
    const Format format = format_by_name(o->common.format);
    if (format == Format::kCsv) {
      for (const std::string& note : sweeps.notes) warn(note);
    }
    emit(o->common, render_sweep(sweeps, s.correlate, format));
    if (!o->svg.empty()) emit_file(o->svg, render_sweep_svg(sweeps));
  });
}

void setup_rank(CLI::App& app) {
  struct Options {
    std::vector<std::string> models;
    double k = 0.5;
    CountingOptions counting;  // precision is not an option: Eq. 7 counts elements
    CommonOptions common;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub =
      app.add_subcommand("rank", "Order candidate networks by Mc x (1/DI)^k (the paper's Eq. 7)");
  sub->add_option("models", o->models, "zoo:NAME, zoo:all, .prototxt or .onnx files")->required();
  sub->add_option("--k", o->k, "Weight of memory cost against compute, in [0, 1]")
      ->capture_default_str();
  add_convention_options(*sub, o->counting);
  add_input_options(*sub, o->counting.inputs);
  add_common_options(*sub, o->common);
  sub->callback([o] {
    const AnalysisOptions options = to_analysis_options(o->counting);
    const auto rows = rank_models(o->models, to_load_options(o->counting.inputs), options, o->k);
    emit(o->common, render_ranking(rows, o->k, options, format_by_name(o->common.format)));
  });
}

}  // namespace reuselens::cli
