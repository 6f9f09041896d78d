// Overflow-checked 64-bit arithmetic for element and MAC counts.
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "reuselens/error.h"

namespace reuselens {

inline int64_t checked_mul(int64_t a, int64_t b, const char* what = "count") {
  int64_t result = 0;
  if (__builtin_mul_overflow(a, b, &result)) {
    throw_error(ErrorCode::kInvalidModel, std::string(what) + " overflows 64 bits (" +
                                              std::to_string(a) + " x " + std::to_string(b) + ")");
  }
  return result;
}

inline int64_t checked_add(int64_t a, int64_t b, const char* what = "count") {
  int64_t result = 0;
  if (__builtin_add_overflow(a, b, &result)) {
    throw_error(ErrorCode::kInvalidModel, std::string(what) + " overflows 64 bits (" +
                                              std::to_string(a) + " + " + std::to_string(b) + ")");
  }
  return result;
}

// A number as errors quote it: 6 significant digits, "nan" and "inf" as such.
inline std::string number_text(double v) { return fmt::format("{:.6g}", v); }

// `v` when it is finite and in [lo, hi]; otherwise Error(code) "WHAT V is not
// in [LO, HI]". Every float read from a file or an option goes through a
// range like this, so no NaN, infinity or denormal reaches a result.
inline double checked_range(double v, double lo, double hi, const std::string& what,
                            ErrorCode code = ErrorCode::kUsage) {
  if (!(std::isfinite(v) && v >= lo && v <= hi)) {
    throw_error(code, what + " " + number_text(v) + " is not in [" + number_text(lo) + ", " +
                          number_text(hi) + "]");
  }
  return v;
}

}  // namespace reuselens
