// Xception, following soeaver/caffe-model (cls/deploy_xception): separable
// convs as depthwise 3x3 + pointwise 1x1 with BN after the pointwise only,
// ReLU before each block written to a new blob, projections with BN.
// Input 299x299. Chollet, CVPR 2017.
#include <string>

#include "frontend/zoo/networks.h"
#include "reuselens/builder.h"

namespace reuselens::zoo_nets {

namespace {

// Depthwise 3x3 then pointwise 1x1, BN + Scale (+ ReLU) after the pointwise.
Ref separable(GraphBuilder& b, Ref x, int64_t out, bool relu) {
  const int64_t c = b.channels(x);
  x = b.conv(x, c, {.kernel = 3, .pad = 1, .group = c, .bias = false});
  x = b.scale(b.batch_norm(b.conv(x, out, {.kernel = 1, .bias = false})));
  return relu ? b.relu(x) : x;
}

// Entry/exit block: two separable convs, strided max pool, projected shortcut.
Ref downsampling_block(GraphBuilder& b, Ref x, int index, int64_t mid, int64_t out,
                       int64_t pool_pad, bool pre_relu) {
  b.scope("xception" + std::to_string(index) + "_");
  Ref shortcut = b.scale(b.batch_norm(b.conv(x, out, {.kernel = 1, .stride = 2, .bias = false})));
  Ref y = pre_relu ? b.relu(x, "relu", false) : x;  // to a new blob: x feeds the shortcut
  y = separable(b, y, mid, true);
  y = separable(b, y, out, false);
  y = b.max_pool(y, {.kernel = 3, .stride = 2, .pad = pool_pad});
  Ref out_ref = b.add({shortcut, y}, "elewise");
  b.scope("");
  return out_ref;
}

Ref middle_block(GraphBuilder& b, Ref x, int index) {
  b.scope("xception" + std::to_string(index) + "_");
  Ref y = b.relu(x, "relu", false);
  y = separable(b, y, 728, true);
  y = separable(b, y, 728, true);
  y = separable(b, y, 728, false);
  Ref out = b.add({x, y}, "elewise");
  b.scope("");
  return out;
}

}  // namespace

Graph xception(int64_t batch, int64_t size) {
  GraphBuilder b("XceptionNet", {batch, 3, size, size});
  Ref x = b.conv_bn(b.input(), 32, {.kernel = 3, .stride = 2});
  x = b.conv_bn(x, 64, {.kernel = 3});
  // The second entry block pools without padding in this definition.
  x = downsampling_block(b, x, 1, 128, 128, 1, false);
  x = downsampling_block(b, x, 2, 256, 256, 0, true);
  x = downsampling_block(b, x, 3, 728, 728, 1, true);
  for (int i = 4; i <= 11; ++i) x = middle_block(b, x, i);
  x = downsampling_block(b, x, 12, 728, 1024, 1, true);
  x = separable(b, x, 1536, true);
  x = separable(b, x, 2048, true);
  x = b.global_avg_pool(x);
  b.softmax(b.fc(x, 1000, true, "classifier"));
  return b.finish();
}

}  // namespace reuselens::zoo_nets
