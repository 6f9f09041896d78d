#include <memory>

#include "commands.h"
#include "common.h"

namespace reuselens::cli {

namespace {

struct RooflineCliOptions {
  std::vector<std::string> models;
  std::string hw = "p100";
  std::string dtype = "fp32";
  std::string level = "dram";
  CountingOptions counting;
};

void add_roofline_options(CLI::App& sub, RooflineCliOptions& o) {
  sub.add_option("models", o.models, "zoo:NAME, zoo:all, .prototxt or .onnx files")->required();
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
                 "Data type: fp32, tf32, fp16, bf16, fp8, int8 (sets peak and element width)")
      ->capture_default_str();
  sub.add_option("--level", o.level, "Memory level of the roof: dram, l2, l1")
      ->capture_default_str();
  sub.add_option("--convention", o.counting.convention, "Counting convention of AI_c and DI")
      ->capture_default_str();
  sub.add_option("--alpha", o.counting.alpha, "DI's alpha")->capture_default_str();
  sub.add_option("--batch", o.counting.batch, "Batch size")->capture_default_str();
  sub.add_option("--input", o.counting.input, "Input shape NxCxHxW or CxHxW");
}

std::vector<RooflineResult> run(const RooflineCliOptions& o) {
  const Hardware hw = load_hardware(o.hw);
  RooflineOptions options;
  options.analysis = to_analysis_options(o.counting);
  options.dtype = o.dtype;
  options.level = o.level;
  dtype_bits(o.dtype);  // rejects unknown types before any work
  hw.peak(o.dtype);
  hw.level(o.level);
  std::vector<RooflineResult> results;
  const LoadOptions load = to_load_options(o.counting);
  for (const std::string& spec : expand_model_specs(o.models)) {
    try {
      Graph g = load_model(spec, load);
      RooflineResult r = roofline(g, hw, options);
      if (spec.rfind("zoo:", 0) == 0) r.analysis.model = zoo_entry(spec.substr(4)).display_name;
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
    CommonOptions common;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub =
      app.add_subcommand("roofline", "Place layers and networks on a machine's roofline");
  add_roofline_options(*sub, o->r);
  sub->add_option("--svg", o->svg,
                  "Draw the chart: one model's layers, or several networks by --metric");
  sub->add_option("--metric", o->metric, "Network placement drawn for several models: ai_c or di")
      ->check(CLI::IsMember({"ai_c", "di"}))
      ->capture_default_str();
  add_common_options(*sub, o->common);
  sub->callback([o] {
    const auto results = run(o->r);
    const Format format = format_by_name(o->common.format);
    emit(o->common, results.size() == 1 ? render_roofline(results[0], format)
                                        : render_roofline_comparison(results, format));
    if (!o->svg.empty()) {
      emit(CommonOptions{.output = o->svg},
           results.size() == 1
               ? render_layer_roofline_svg(results[0])
               : render_network_roofline_svg(results, o->metric == "di" ? "DI" : "AI_c"));
    }
  });
}

void setup_report(CLI::App& app) {
  struct Options {
    RooflineCliOptions r;
    std::string output;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub =
      app.add_subcommand("report", "A self-contained HTML report: tables, rooflines, conventions");
  add_roofline_options(*sub, o->r);
  sub->add_option("-o,--output", o->output, "The HTML file to write")->required();
  sub->callback([o] { emit(CommonOptions{.output = o->output}, render_html_report(run(o->r))); });
}

}  // namespace reuselens::cli
