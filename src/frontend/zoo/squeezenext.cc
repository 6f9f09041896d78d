// SqueezeNext 1.0-23, 1.0-23v5 and 1.0-G-23, following
// amirgholami/SqueezeNext (train_val.prototxt of each variant). Every conv is
// followed by BN, Scale and ReLU; a block is two 1x1 reductions, a separable
// 3x1/1x3 pair (order alternating block by block) and a 1x1 expansion, added
// to the shortcut. Gholami et al., CVPR Workshops 2018.
#include "frontend/zoo/networks.h"
#include "reuselens/builder.h"

namespace reuselens::zoo_nets {

Graph squeezenext(SqueezeNextVariant variant, int64_t batch, int64_t size) {
  const bool v5 = variant == SqueezeNextVariant::k23v5;
  const int64_t group = variant == SqueezeNextVariant::kGrouped23 ? 2 : 1;
  const char* name = v5 ? "1.0-SqNxt-23v5" : group == 2 ? "1.0-G-SqNxt-23" : "1.0-SqNxt-23";
  GraphBuilder b(name, {batch, 3, size, size});
  Ref x = b.conv_bn(b.input(), 64, {.kernel = v5 ? 5 : 7, .stride = 2});
  x = b.max_pool(x, {.kernel = 3, .stride = 2});
  const int blocks_per_stage[4] = {v5 ? 2 : 6, v5 ? 4 : 6, v5 ? 14 : 8, 1};
  int block_index = 0;
  for (int stage = 0; stage < 4; ++stage) {
    const int64_t out = int64_t{32} << stage;
    for (int i = 0; i < blocks_per_stage[stage]; ++i, ++block_index) {
      const bool first = i == 0;
      const int64_t stride = first && stage > 0 ? 2 : 1;
      Ref shortcut = x;
      Ref main = x;
      int64_t reduce_stride = stride;
      if (first) {
        shortcut = b.conv_bn(x, out, {.kernel = 1, .stride = stride});
        // v5 feeds the block's main path from the projected shortcut.
        if (v5) {
          main = shortcut;
          reduce_stride = 1;
        }
      }
      Ref y = b.conv_bn(main, out / 2, {.kernel = 1, .stride = reduce_stride, .group = group});
      y = b.conv_bn(y, out / 4, {.kernel = 1});
      const ConvOptions k3x1{.kernel_h = 3, .kernel_w = 1, .pad_h = 1, .pad_w = 0};
      const ConvOptions k1x3{.kernel_h = 1, .kernel_w = 3, .pad_h = 0, .pad_w = 1};
      ConvOptions sep1 = block_index % 2 == 0 ? k3x1 : k1x3;
      ConvOptions sep2 = block_index % 2 == 0 ? k1x3 : k3x1;
      sep1.group = sep2.group = group;
      y = b.conv_bn(b.conv_bn(y, out / 2, sep1), out / 2, sep2);
      y = b.conv_bn(y, out, {.kernel = 1});
      x = b.relu(b.add({shortcut, y}));
    }
  }
  x = b.global_avg_pool(b.conv_bn(x, 128, {.kernel = 1}));
  b.softmax(b.fc(x, 1000, false, "fc1000"));
  return b.finish();
}

}  // namespace reuselens::zoo_nets
