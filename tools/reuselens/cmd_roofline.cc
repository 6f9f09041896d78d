#include <memory>

#include "commands.h"
#include "common.h"
#include "output.h"
#include "progress.h"

namespace reuselens::cli {

namespace {

struct RooflineCliOptions {
  std::vector<std::string> models;
  std::string hw = "p100";
  std::string dtype;  // "": fp32 for layer graphs, a config's activation type for LLMs
  std::string weight_type, act_type;
  std::string level = "dram";
  std::string shard;
  bool quiet = false;
  CountingOptions counting;
};

void add_roofline_options(CLI::App& sub, RooflineCliOptions& o) {
  sub.add_option("models", o.models,
                 "zoo:NAME, zoo:all, zoo:llm, .prototxt, .onnx or config.json files")
      ->required();
  sub.add_option(
         "--hw", o.hw,
         "Hardware preset (" +
             [] {
               std::string names;
               for (const auto& n : hardware_presets()) names += (names.empty() ? "" : ", ") + n;
               return names;
             }() +
             ") or a JSON file")
      ->capture_default_str();
  sub.add_option("--dtype", o.dtype,
                 "Compute data type: its peak, and the element width of every tensor unless "
                 "--weight-type/--act-type say otherwise (default: fp32; a config's own type)");
  sub.add_option("--weight-type", o.weight_type, "Data type of weights (default: --dtype)");
  sub.add_option("--act-type", o.act_type, "Data type of activations (default: --dtype)");
  sub.add_option("--level", o.level, "Memory level of the roof: dram, l2, l1")
      ->capture_default_str();
  add_convention_options(sub, o.counting);
  add_input_options(sub, o.counting.inputs);
  add_llm_options(sub, o.counting.llm);
  sub.add_flag("--quiet", o.quiet, "No progress bar on standard error");
}

PrecisionOptions precision_of(const RooflineCliOptions& o) {
  PrecisionOptions p;
  p.dtype = o.dtype;
  p.weight_type = o.weight_type;
  p.act_type = o.act_type;
  return p;
}

AnalysisOptions llm_options(const RooflineCliOptions& o) {
  AnalysisOptions a = to_analysis_options(o.counting);
  apply_llm_options(o.counting.llm, precision_of(o), a);
  return a;
}

std::vector<RooflineResult> run(const RooflineCliOptions& o) {
  const Hardware hw = load_hardware(o.hw);
  const std::string dtype = o.dtype.empty() ? "fp32" : o.dtype;
  RooflineOptions options;
  options.analysis = to_analysis_options(o.counting);
  if (!o.weight_type.empty() || !o.act_type.empty()) {
    options.analysis.weight_type = number_type(o.weight_type.empty() ? dtype : o.weight_type).name;
    options.analysis.act_type = number_type(o.act_type.empty() ? dtype : o.act_type).name;
    options.analysis.use_tensor_types = false;
  }
  options.dtype = dtype;
  options.level = o.level;
  number_type(dtype);  // rejects unknown types before any work
  hw.level(o.level);
  std::vector<RooflineResult> results;
  const LoadOptions load = to_load_options(o.counting.inputs);
  std::vector<std::string> models = expand_model_specs(o.models);
  if (!o.shard.empty()) models = shard_items(models, parse_shard(o.shard));
  Progress bar(o.quiet);
  for (const std::string& spec : models) {
    bar.update(static_cast<int64_t>(results.size()), static_cast<int64_t>(models.size()), spec);
    try {
      if (is_llm_spec(spec)) {  // its own types; the compute type's peak
        const LlmAnalysis a = analyze_llm_model(spec, load, llm_options(o));
        results.push_back(serve_llm(a, hw, o.dtype, o.level).roofline);
        continue;
      }
      hw.peak(dtype);
      RooflineResult r = roofline(load_model(spec, load), hw, options);
      r.analysis.model = model_display_name(spec, r.analysis.model);
      results.push_back(std::move(r));
    } catch (const Error& e) {
      throw e.with_context(spec);
    }
  }
  return results;
}

}  // namespace

void setup_roofline(CLI::App& app) {
  struct Options {
    RooflineCliOptions r;
    std::string svg;
    std::string metric = "ai_c";
    std::string sweep;
    CommonOptions common;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub =
      app.add_subcommand("roofline", "Place layers and networks on a machine's roofline");
  add_roofline_options(*sub, o->r);
  sub->add_option("--svg", o->svg,
                  "Draw the chart: one model's layers, or several networks by --metric")
      ->check(writable_path());
  CLI::Option* metric =
      sub->add_option("--metric", o->metric,
                      "Network placement drawn for several models: ai_c or di (needs --svg and "
                      "two or more models)")
          ->check(CLI::IsMember({"ai_c", "di"}))
          ->capture_default_str();
  sub->add_option("--sweep", o->sweep,
                  "Language models: batch=FROM:TO:xF or context=FROM:TO:xF (+STEP): the step "
                  "at each point against the ridge; --svg draws it")
      ->group("Language models (config.json, zoo:llama-3-8b ...)");
  add_shard_option(*sub, o->r.shard, "models, or of the --sweep points");
  add_common_options(*sub, o->common);
  sub->callback([o, metric] {
    if (metric->count() && o->svg.empty())
      throw_error(ErrorCode::kUsage, "--metric chooses what the --svg chart draws: give --svg");
    const Format format = format_by_name(o->common.format);
    const auto models = expand_model_specs(o->r.models);
    if (!o->sweep.empty()) {
      if (models.size() != 1 || !is_llm_spec(models[0])) {
        throw_error(ErrorCode::kUsage,
                    "--sweep takes one language-model config (config.json, zoo:llama-3-8b ...)");
      }
      if (metric->count()) throw_error(ErrorCode::kUsage, "--metric places several networks");
      const AnalysisOptions options = llm_options(o->r);
      const LlmConfig config = load_llm_config(models[0]);
      const LoadOptions load = to_load_options(o->r.counting.inputs);
      analyze_llm_model(models[0], load, options);  // refuses options a config cannot take
      LlmSweep sweep = sweep_llm(config, llm_workload(options.llm, load.batch), options, o->sweep,
                                 load_hardware(o->r.hw), o->r.dtype);
      if (!o->r.shard.empty()) sweep.points = shard_items(sweep.points, parse_shard(o->r.shard));
      emit(o->common, render_llm_sweep(sweep, format));
      if (!o->svg.empty()) emit_file(o->svg, render_llm_sweep_svg(sweep));
      return;
    }
    if (models.size() == 1 && is_llm_spec(models[0]) && !metric->count() && o->r.shard.empty()) {
      const Hardware hw = load_hardware(o->r.hw);
      const LlmAnalysis a =
          analyze_llm_model(models[0], to_load_options(o->r.counting.inputs), llm_options(o->r));
      const LlmServing serving = serve_llm(a, hw, o->r.dtype, o->r.level);
      emit(o->common, render_llm_serving(a, serving, format));
      if (!o->svg.empty()) emit_file(o->svg, render_layer_roofline_svg(serving.roofline));
      return;
    }
    const auto results = run(o->r);
    if (metric->count() && results.size() == 1) {
      throw_error(ErrorCode::kUsage,
                  "--metric places several networks; one model's chart shows its layers");
    }
    emit(o->common, results.size() == 1 ? render_roofline(results[0], format)
                                        : render_roofline_comparison(results, format));
    if (!o->svg.empty()) {
      emit_file(o->svg, results.size() == 1 ? render_layer_roofline_svg(results[0])
                                            : render_network_roofline_svg(
                                                  results, o->metric == "di" ? "DI" : "AI_c"));
    }
  });
}

void setup_report(CLI::App& app) {
  struct Options {
    RooflineCliOptions r;
    std::string format = "html";
    std::string output;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand(
      "report",
      "A self-contained HTML report: tables, rooflines by AI_c and DI, every layer, conventions");
  add_roofline_options(*sub, o->r);
  sub->add_option("--format", o->format, "Output format: html (the only one)")
      ->check(CLI::IsMember({"html"}))
      ->capture_default_str();
  sub->add_option("-o,--output", o->output, "Write to FILE instead of standard output")
      ->check(writable_path());
  sub->callback([o] { emit(CommonOptions{.output = o->output}, render_html_report(run(o->r))); });
}

}  // namespace reuselens::cli
