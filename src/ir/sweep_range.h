// Internal: the --sweep range syntax every sweep shares,
// PARAM=FROM:TO:xFACTOR or PARAM=FROM:TO:+STEP.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace reuselens {

struct SweepRange {
  std::string parameter;
  std::vector<int64_t> values;  // FROM, then each step while <= TO (1000 at most)
};

// `parameters` lists the names allowed; `number` reads FROM and TO (units:
// a buffer size). Errors: kUsage, naming the text.
SweepRange parse_sweep_range(const std::string& text, const std::vector<std::string>& parameters,
                             const std::function<int64_t(const std::string&)>& number = {});

}  // namespace reuselens
