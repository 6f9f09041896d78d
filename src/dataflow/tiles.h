// Tile geometry shared by the closed forms and the simulator.
#pragma once

#include <algorithm>
#include <cstdint>

#include "reuselens/dataflow.h"

namespace reuselens {
void validate_problem(const ConvProblem& problem);  // throws Error(kUsage)
}

namespace reuselens::dataflow {

// Input rows (within [0, extent)) read by outputs [o0, o1) with the given
// stride, padding and kernel height: the union of the windows.
inline int64_t touched(int64_t o0, int64_t o1, int64_t stride, int64_t pad, int64_t kernel,
                       int64_t extent) {
  if (o1 <= o0) return 0;
  if (stride <= kernel) {  // windows overlap or abut: one interval
    const int64_t lo = std::max<int64_t>(0, o0 * stride - pad);
    const int64_t hi = std::min<int64_t>(extent - 1, (o1 - 1) * stride - pad + kernel - 1);
    return hi >= lo ? hi - lo + 1 : 0;
  }
  int64_t n = 0;
  for (int64_t o = o0; o < o1; ++o) {
    const int64_t lo = std::max<int64_t>(0, o * stride - pad);
    const int64_t hi = std::min<int64_t>(extent - 1, o * stride - pad + kernel - 1);
    n += hi >= lo ? hi - lo + 1 : 0;
  }
  return n;
}

inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
inline int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// Kernel rows that outputs [o0, o1) apply to real (unpadded) input rows:
// weights used only against padding are never needed.
inline int64_t kernel_used(int64_t o0, int64_t o1, int64_t stride, int64_t pad, int64_t kernel,
                           int64_t extent) {
  int64_t n = 0;
  for (int64_t r = 0; r < kernel; ++r) {
    // o * stride - pad + r in [0, extent)  <=>  o in [lo, hi]
    const int64_t lo = std::max(o0, -floor_div(r - pad, stride));  // ceil((pad - r) / stride)
    const int64_t hi = std::min(o1 - 1, floor_div(extent - 1 + pad - r, stride));
    n += lo <= hi;
  }
  return n;
}

}  // namespace reuselens::dataflow
