// Internal: reading integers out of option and file text.
#pragma once

#include <cctype>
#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace reuselens {

// The value of `text` when all of it is one decimal integer (a sign allowed),
// nullopt otherwise ("", "12x", "1e3", out of range). Callers word the error,
// so each names its own flag or field.
inline std::optional<int64_t> parse_integer(const std::string& text) {
  size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used == 0 || used != text.size()) return std::nullopt;
  return static_cast<int64_t>(value);
}

// The value of `text` when all of it is one finite decimal number ("1.5",
// "2e-3"), nullopt otherwise ("", "1.5x", "nan", "inf", "1e400").
inline std::optional<double> parse_real(const std::string& text) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text[0]))) return std::nullopt;
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used != text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace reuselens
