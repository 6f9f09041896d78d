// DenseNet-121/169, following shicai/DenseNet-Caffe: BN-Scale-ReLU-Conv
// composite layers (BatchNorm to a new blob), bottleneck width 4k with growth
// k = 32, compression 0.5, padded (ceil-rounded) pool1, 1x1-conv classifier.
// Huang et al., CVPR 2017.
#include "frontend/zoo/networks.h"
#include "reuselens/builder.h"

namespace reuselens::zoo_nets {

namespace {

constexpr int64_t kGrowth = 32;

Ref pre_activation(GraphBuilder& b, Ref x) { return b.relu(b.scale(b.batch_norm(x, "", false))); }

}  // namespace

Graph densenet(int depth, int64_t batch, int64_t size) {
  GraphBuilder b("DenseNet-" + std::to_string(depth), {batch, 3, size, size});
  const std::vector<int> blocks =
      depth == 121 ? std::vector<int>{6, 12, 24, 16} : std::vector<int>{6, 12, 32, 32};
  Ref x = b.conv(b.input(), 64, {.kernel = 7, .stride = 2, .pad = 3, .bias = false});
  x = b.max_pool(pre_activation(b, x), {.kernel = 3, .stride = 2, .pad = 1});
  for (size_t block = 0; block < blocks.size(); ++block) {
    for (int layer = 0; layer < blocks[block]; ++layer) {
      Ref y = b.conv(pre_activation(b, x), 4 * kGrowth, {.kernel = 1, .bias = false});
      y = b.conv(pre_activation(b, y), kGrowth, {.kernel = 3, .pad = 1, .bias = false});
      x = b.concat({x, y});
    }
    if (block + 1 < blocks.size()) {  // transition: halve channels and size
      x = b.conv(pre_activation(b, x), b.channels(x) / 2, {.kernel = 1, .bias = false});
      x = b.avg_pool(x, {.kernel = 2, .stride = 2});
    }
  }
  x = b.global_avg_pool(pre_activation(b, x));
  b.conv(x, 1000, {.kernel = 1, .name = "fc6"});  // the definition ends without a softmax
  return b.finish();
}

}  // namespace reuselens::zoo_nets
