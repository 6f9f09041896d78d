#include <memory>

#include "commands.h"
#include "common.h"

namespace reuselens::cli {

void setup_ops(CLI::App& app) {
  auto options = std::make_shared<CommonOptions>();
  auto markdown = std::make_shared<bool>(false);
  CLI::App* sub = app.add_subcommand("ops", "The operators reuselens counts and how");
  sub->add_flag("--markdown", *markdown, "Print docs/ops.md");
  sub->add_option("-o,--output", options->output, "Write to FILE instead of standard output");
  sub->callback([options] { emit(*options, ops_markdown(builtin_ops())); });
}

}  // namespace reuselens::cli
