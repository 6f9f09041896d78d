#include <memory>

#include "commands.h"
#include "common.h"

namespace reuselens::cli {

void setup_zoo(CLI::App& app) {
  auto options = std::make_shared<CommonOptions>();
  CLI::App* sub = app.add_subcommand(
      "zoo", "List the built-in networks and language-model configs with their size and source");
  add_common_options(*sub, *options);
  sub->callback([options] {
    emit(*options, render_zoo(zoo_summary(), llm_zoo_summary(), format_by_name(options->format)));
  });
}

}  // namespace reuselens::cli
