// Helpers shared by the tests: running the CLI, reading project files.
#pragma once

#include <string>

namespace reuselens::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // standard output
  std::string err;  // standard error
};

// Runs the built `reuselens` with `args` (a shell-quoted string).
CommandResult run_cli(const std::string& args);

std::string read_text(const std::string& path);
std::string source_path(const std::string& relative);  // under the source tree

}  // namespace reuselens::testing
