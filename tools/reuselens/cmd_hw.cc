#include <memory>

#include "commands.h"
#include "common.h"

namespace reuselens::cli {

void setup_hw(CLI::App& app) {
  struct Options {
    std::vector<std::string> machines;
    CommonOptions common;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand(
      "hw", "Hardware presets (or JSON files): peak rates per data type and bandwidths");
  sub->add_option("machines", o->machines, "Presets or JSON files (default: every preset)");
  add_common_options(*sub, o->common);
  sub->callback([o] {
    std::vector<Hardware> machines;
    for (const std::string& name : o->machines.empty() ? hardware_presets() : o->machines) {
      machines.push_back(load_hardware(name));
    }
    emit(o->common, render_hardware(machines, format_by_name(o->common.format)));
  });
}

}  // namespace reuselens::cli
