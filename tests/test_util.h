// Helpers shared by the tests: running the CLI, reading project files.
#pragma once

#include <string>
#include <vector>

namespace reuselens::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // standard output
  std::string err;  // standard error
};

// Runs the built `reuselens` with `args` (a shell-quoted string).
CommandResult run_cli(const std::string& args);
// Runs a shell command line in `directory` ("" = the current one).
CommandResult run_shell(const std::string& command, const std::string& directory = "");

// A minimal RFC 4180 reader: records of fields, quotes undone. Throws
// std::runtime_error on a malformed quote.
std::vector<std::vector<std::string>> parse_csv(const std::string& text);

std::string read_text(const std::string& path);
std::string source_path(const std::string& relative);  // under the source tree

// A strict-enough XML well-formedness check for the SVG and HTML the
// printers write: every tag closes in order, attributes are quoted. Returns
// "" when well formed, else what is wrong.
std::string xml_problem(const std::string& text);
// Number of elements with this tag name (e.g. "circle").
int count_tags(const std::string& text, const std::string& tag);

}  // namespace reuselens::testing
