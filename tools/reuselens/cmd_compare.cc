#include <memory>

#include "commands.h"
#include "common.h"
#include "progress.h"

namespace reuselens::cli {

struct CompareOptions {
  std::vector<std::string> models;
  std::string sort;
  bool by_kind = false;
  std::string shard;
  bool quiet = false;
  CommonOptions common;
  CountingOptions counting;
};

void run_compare(const CompareOptions& o) {
  const std::vector<std::string> models =
      o.shard.empty() ? o.models : shard_items(expand_model_specs(o.models), parse_shard(o.shard));
  Progress bar(o.quiet);
  const auto analyses =
      compare_models(models, to_load_options(o.counting.inputs), to_analysis_options(o.counting),
                     o.sort, [&bar](size_t done, size_t total, const std::string& model) {
                       bar.update(static_cast<int64_t>(done), static_cast<int64_t>(total), model);
                     });
  bar.finish();
  const Format format = format_by_name(o.common.format);
  emit(o.common,
       o.by_kind ? render_kind_comparison(analyses, format) : render_comparison(analyses, format));
}

void setup_compare(CLI::App& app) {
  auto options = std::make_shared<CompareOptions>();
  CLI::App* sub =
      app.add_subcommand("compare", "One row per network in the layout of Jha & Mittal's Table 7");
  sub->add_option("models", options->models, "zoo:NAME, zoo:all, .prototxt or .onnx files")
      ->required();
  sub->add_option(
      "--sort", options->sort,
      "Sort by a column: name, mc, w, a, mc_over_w, mc_over_a, ai_c, di, d_f, a_over_w");
  sub->add_flag("--by-kind", options->by_kind,
                "Models side by side, a row per layer kind: layers, weights, MACs (the lecture's "
                "scaling table)");
  add_counting_options(*sub, options->counting);
  add_shard_option(*sub, options->shard, "models (after zoo:all, zoo:table7, zoo:llm expand)");
  sub->add_flag("--quiet", options->quiet, "No progress bar on standard error");
  add_common_options(*sub, options->common);
  sub->callback([options] { run_compare(*options); });
}

}  // namespace reuselens::cli
