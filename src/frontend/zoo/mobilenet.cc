// MobileNet v1 and v2, following shicai/MobileNet-Caffe (mobilenet_deploy,
// mobilenet_v2_deploy): BN + Scale after every convolution, classifier as a
// 1x1 convolution. Howard et al., arXiv 1704.04861; Sandler et al., CVPR 2018.
#include "frontend/zoo/networks.h"
#include "reuselens/builder.h"

namespace reuselens::zoo_nets {

Graph mobilenet_v1(int64_t batch, int64_t size) {
  GraphBuilder b("MobileNet-V1", {batch, 3, size, size});
  Ref x = b.conv_bn(b.input(), 32, {.kernel = 3, .stride = 2, .pad = 1});
  struct Block {
    int64_t out;
    int64_t stride;
  };
  const Block blocks[] = {{64, 1},  {128, 2}, {128, 1}, {256, 2}, {256, 1},  {512, 2}, {512, 1},
                          {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1}};
  for (const Block& blk : blocks) {
    const int64_t c = b.channels(x);
    x = b.conv_bn(x, c, {.kernel = 3, .stride = blk.stride, .pad = 1, .group = c});  // depthwise
    x = b.conv_bn(x, blk.out, {.kernel = 1});                                        // pointwise
  }
  x = b.global_avg_pool(x);
  b.softmax(b.conv(x, 1000, {.kernel = 1, .name = "fc7"}));
  return b.finish();
}

Graph mobilenet_v2(int64_t batch, int64_t size) {
  GraphBuilder b("MobileNet-V2", {batch, 3, size, size});
  // This definition writes BatchNorm to a new blob and runs Scale/ReLU in place.
  constexpr bool kBnInPlace = false;
  Ref x = b.conv_bn(b.input(), 32, {.kernel = 3, .stride = 2, .pad = 1}, true, kBnInPlace);
  struct Stage {
    int64_t expansion, out, repeats, stride;
  };
  // Unlike the paper's table, this definition keeps 28x28 through the 64-wide
  // stage and downsamples at the 96-wide one (438M MACs instead of 301M).
  const Stage stages[] = {{1, 16, 1, 1}, {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 1},
                          {6, 96, 3, 2}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  for (const Stage& st : stages) {
    for (int64_t i = 0; i < st.repeats; ++i) {
      const int64_t stride = i == 0 ? st.stride : 1;
      const int64_t hidden = b.channels(x) * st.expansion;
      Ref y = b.conv_bn(x, hidden, {.kernel = 1}, true, kBnInPlace);  // expand (also when t = 1)
      y = b.conv_bn(y, hidden, {.kernel = 3, .stride = stride, .pad = 1, .group = hidden}, true,
                    kBnInPlace);
      y = b.conv_bn(y, st.out, {.kernel = 1}, false, kBnInPlace);  // linear bottleneck
      x = (stride == 1 && b.channels(x) == st.out) ? b.add({x, y}) : y;
    }
  }
  x = b.conv_bn(x, 1280, {.kernel = 1}, true, kBnInPlace);
  x = b.global_avg_pool(x);
  b.softmax(b.conv(x, 1000, {.kernel = 1, .name = "fc7"}));
  return b.finish();
}

}  // namespace reuselens::zoo_nets
