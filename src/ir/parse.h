// Internal: reading integers out of option and file text.
#pragma once

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

}  // namespace reuselens
