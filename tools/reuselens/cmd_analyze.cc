#include <memory>

#include "commands.h"
#include "common.h"

namespace reuselens::cli {

struct AnalyzeOptions {
  std::string model;
  CommonOptions common;
  CountingOptions counting;
};

void run_analyze(const AnalyzeOptions& o) {
  const Analysis analysis =
      analyze_model(o.model, to_load_options(o.counting.inputs), to_analysis_options(o.counting));
  emit(o.common, render_analysis(analysis, format_by_name(o.common.format)));
}

void setup_analyze(CLI::App& app) {
  auto options = std::make_shared<AnalyzeOptions>();
  CLI::App* sub = app.add_subcommand(
      "analyze",
      "Per-layer and network data-reuse metrics of one model (zoo:NAME, .prototxt, .onnx)");
  sub->add_option("model", options->model, "zoo:NAME, a Caffe .prototxt or an .onnx file")
      ->required();
  add_counting_options(*sub, options->counting);
  add_common_options(*sub, options->common);
  sub->callback([options] { run_analyze(*options); });
}

}  // namespace reuselens::cli
