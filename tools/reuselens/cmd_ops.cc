#include <memory>

#include "commands.h"
#include "common.h"
#include "output.h"

namespace reuselens::cli {

void setup_ops(CLI::App& app) {
  struct Options {
    CommonOptions common;
    bool markdown = false;  // deprecated spelling of --format markdown
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand("ops", "The operators reuselens counts and how");
  sub->add_option("--format", o->common.format,
                  "Output format: table, json, csv, or markdown (docs/ops.md)")
      ->check(CLI::IsMember({"table", "json", "csv", "markdown"}))
      ->capture_default_str();
  sub->add_option("-o,--output", o->common.output, "Write to FILE instead of standard output")
      ->check(writable_path());
  sub->add_flag("--markdown", o->markdown, "Deprecated: use --format markdown")
      ->group("Deprecated");
  sub->callback([o] {
    if (o->markdown) {
      warn("--markdown is deprecated; use --format markdown");
      o->common.format = "markdown";
    }
    emit(o->common, o->common.format == "markdown"
                        ? ops_markdown(builtin_ops())
                        : render_ops(builtin_ops(), format_by_name(o->common.format)));
  });
}

}  // namespace reuselens::cli
