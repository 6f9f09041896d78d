#include <memory>

#include "commands.h"
#include "common.h"

namespace reuselens::cli {

struct AnalyzeOptions {
  std::string model;
  bool by_kind = false;
  CommonOptions common;
  CountingOptions counting;
};

void run_analyze(const AnalyzeOptions& o) {
  const Format format = format_by_name(o.common.format);
  const LoadOptions load = to_load_options(o.counting.inputs);
  const AnalysisOptions options = to_analysis_options(o.counting);
  if (is_llm_spec(canonical_model_spec(o.model))) {
    const LlmAnalysis a = analyze_llm_model(canonical_model_spec(o.model), load, options);
    emit(o.common,
         o.by_kind ? render_kind_breakdown(a.analysis, format) : render_llm_analysis(a, format));
    return;
  }
  const Analysis analysis = analyze_model(o.model, load, options);
  emit(o.common,
       o.by_kind ? render_kind_breakdown(analysis, format) : render_analysis(analysis, format));
}

void setup_analyze(CLI::App& app) {
  auto options = std::make_shared<AnalyzeOptions>();
  CLI::App* sub = app.add_subcommand(
      "analyze",
      "Per-layer and network data-reuse metrics of one model (zoo:NAME, .prototxt, .onnx, "
      "config.json)");
  sub->add_option("model", options->model,
                  "zoo:NAME, a Caffe .prototxt, an .onnx file or a Hugging Face config.json")
      ->required();
  sub->add_flag("--by-kind", options->by_kind,
                "Layers, weights and MACs per layer kind (conv, fc, matmul, norm, ...) instead of "
                "per layer");
  add_counting_options(*sub, options->counting);
  add_common_options(*sub, options->common);
  sub->callback([options] { run_analyze(*options); });
}

}  // namespace reuselens::cli
