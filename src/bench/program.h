// The graph as program text for executor plugins (docs/bench.md, "Program
// format"): line-based, whitespace-separated, strings percent-escaped, so a
// plugin can read it with the C++ standard library alone.
#pragma once

#include <string>

#include "reuselens/graph.h"

namespace reuselens {

std::string write_program(const Graph& graph);

// "%20"-style escaping of whitespace, '%' and '~'; the empty string is "~".
std::string escape_program_token(const std::string& text);

}  // namespace reuselens
