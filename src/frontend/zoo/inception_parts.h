// Factorised-kernel shorthands shared by the Inception-family builders:
// "same"-padded 1xN and Nx1 convolutions.
#pragma once

#include "reuselens/builder.h"

namespace reuselens::zoo_nets {

inline ConvOptions asymmetric(int64_t kh, int64_t kw) {
  return {.kernel_h = kh, .kernel_w = kw, .pad_h = kh / 2, .pad_w = kw / 2};
}
inline ConvOptions k1x7() { return asymmetric(1, 7); }
inline ConvOptions k7x1() { return asymmetric(7, 1); }
inline ConvOptions k1x3() { return asymmetric(1, 3); }
inline ConvOptions k3x1() { return asymmetric(3, 1); }

// The stem shared by Inception-v4 and Inception-ResNet-v2 (inception_v4.cc).
Ref inception_stem(GraphBuilder& b, Ref x);

}  // namespace reuselens::zoo_nets
