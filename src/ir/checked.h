// Overflow-checked 64-bit arithmetic for element and MAC counts.
#pragma once

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

}  // namespace reuselens
