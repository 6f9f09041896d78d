#include "ir/sweep_range.h"

#include <algorithm>
#include <sstream>

#include "ir/parse.h"
#include "reuselens/error.h"

namespace reuselens {

SweepRange parse_sweep_range(const std::string& text, const std::vector<std::string>& parameters,
                             const std::function<int64_t(const std::string&)>& number) {
  const auto eq = text.find('=');
  if (eq == std::string::npos)
    throw_error(ErrorCode::kUsage, "--sweep: expected PARAM=FROM:TO:STEP, got '" + text + "'");
  SweepRange s;
  s.parameter = text.substr(0, eq);
  if (std::find(parameters.begin(), parameters.end(), s.parameter) == parameters.end()) {
    std::string known;
    for (const auto& p : parameters) known += (known.empty() ? "" : ", ") + p;
    throw_error(ErrorCode::kUsage,
                "--sweep: parameter '" + s.parameter + "' is not one of " + known);
  }
  std::vector<std::string> parts;
  std::stringstream ss(text.substr(eq + 1));
  for (std::string part; std::getline(ss, part, ':');) parts.push_back(part);
  if (parts.size() != 3 || parts[2].size() < 2 || (parts[2][0] != 'x' && parts[2][0] != '+')) {
    throw_error(ErrorCode::kUsage,
                "--sweep: expected FROM:TO:xFACTOR or FROM:TO:+STEP, got '" + text + "'");
  }
  const auto integer = [](const std::string& v, const std::string& what) -> int64_t {
    const std::optional<int64_t> value = parse_integer(v);
    if (!value) throw_error(ErrorCode::kUsage, "--sweep: " + what + "'" + v + "' is not a number");
    return *value;
  };
  const auto bound = [&](const std::string& v) { return number ? number(v) : integer(v, ""); };
  const int64_t from = bound(parts[0]), to = bound(parts[1]);
  const int64_t step = integer(parts[2].substr(1), "step ");
  const bool geometric = parts[2][0] == 'x';
  if (from <= 0 || to < from || step <= 0 || (geometric && step < 2)) {
    throw_error(ErrorCode::kUsage,
                "--sweep: need 0 < FROM <= TO and a step of +1 or more, or x2 or more");
  }
  for (int64_t v = from; v <= to && s.values.size() < 1000;) {
    s.values.push_back(v);
    if (geometric ? v > to / step : v > to - step) break;  // the next would pass TO
    v = geometric ? v * step : v + step;
  }
  return s;
}

}  // namespace reuselens
