// Residual networks.
//  - ResNet-50/101/152 follow KaimingHe/deep-residual-networks (prototxt/):
//    stride in the first 1x1 of a stage, projection shortcut with BN.
//    He et al., CVPR 2016.
//  - ResNet-101/152 v2 follow soeaver/caffe-model (cls/deploy_resnet*-v2):
//    pre-activation units, stride in the 3x3, unnormalised projections.
//    He et al., ECCV 2016.
//  - ResNeXt-50/101 (32x4d) follow soeaver/caffe-model (cls/deploy_resnext*):
//    grouped 3x3 (32 groups), stride in the 3x3, padded pool1.
//    Xie et al., CVPR 2017.
#include "frontend/zoo/networks.h"
#include "reuselens/builder.h"
#include "reuselens/error.h"

namespace reuselens::zoo_nets {

namespace {

std::vector<int> stage_depths(int depth) {
  switch (depth) {
    case 50:
      return {3, 4, 6, 3};
    case 101:
      return {3, 4, 23, 3};
    case 152:
      return {3, 8, 36, 3};
    default:
      throw_error(ErrorCode::kInternal, "no residual layout for depth " + std::to_string(depth));
  }
}

}  // namespace

Graph resnet(int depth, int64_t batch, int64_t size) {
  GraphBuilder b("ResNet-" + std::to_string(depth), {batch, 3, size, size});
  // ResNet-50's definition keeps a bias on conv1 (unlike every later conv);
  // the 101- and 152-layer definitions drop it.
  const bool conv1_bias = depth == 50;
  Ref x = b.conv(b.input(), 64, {.kernel = 7, .stride = 2, .pad = 3, .bias = conv1_bias});
  x = b.relu(b.scale(b.batch_norm(x)));
  x = b.max_pool(x, {.kernel = 3, .stride = 2});
  const std::vector<int> depths = stage_depths(depth);
  for (size_t stage = 0; stage < depths.size(); ++stage) {
    const int64_t width = 64 << stage;
    for (int unit = 0; unit < depths[stage]; ++unit) {
      const int64_t stride = unit == 0 && stage > 0 ? 2 : 1;
      Ref shortcut = x;
      if (unit == 0) shortcut = b.conv_bn(x, 4 * width, {.kernel = 1, .stride = stride}, false);
      Ref y = b.conv_bn(x, width, {.kernel = 1, .stride = stride});
      y = b.conv_bn(y, width, {.kernel = 3, .pad = 1});
      y = b.conv_bn(y, 4 * width, {.kernel = 1}, false);
      x = b.relu(b.add({shortcut, y}));
    }
  }
  x = b.avg_pool(x, {.kernel = 7, .stride = 1});
  b.softmax(b.fc(x, 1000));
  return b.finish();
}

Graph resnet_v2(int depth, int64_t batch, int64_t size) {
  GraphBuilder b("ResNet" + std::to_string(depth) + "-V2", {batch, 3, size, size});
  Ref x = b.conv_bn(b.input(), 64, {.kernel = 7, .stride = 2, .pad = 3});
  x = b.max_pool(x, {.kernel = 3, .stride = 2});
  const std::vector<int> depths = stage_depths(depth);
  bool first_unit = true;
  for (size_t stage = 0; stage < depths.size(); ++stage) {
    const int64_t width = 64 << stage;
    for (int unit = 0; unit < depths[stage]; ++unit) {
      const int64_t stride = unit == 0 && stage > 0 ? 2 : 1;
      // Pre-activation (BN to a new blob, Scale and ReLU in place); the very
      // first unit reads pool1, already activated by conv1's BN-ReLU.
      Ref act = first_unit ? x : b.relu(b.scale(b.batch_norm(x, "", false)));
      Ref y = b.conv_bn(act, width, {.kernel = 1});
      y = b.conv_bn(y, width, {.kernel = 3, .stride = stride, .pad = 1});
      y = b.conv(y, 4 * width, {.kernel = 1, .bias = false});
      Ref shortcut = x;
      if (unit == 0)
        shortcut = b.conv(act, 4 * width, {.kernel = 1, .stride = stride, .bias = false});
      x = b.add({shortcut, y});
      first_unit = false;
    }
  }
  x = b.relu(b.scale(b.batch_norm(x, "", false)));
  x = b.global_avg_pool(x);
  b.softmax(b.fc(x, 1000));
  return b.finish();
}

Graph resnext(int depth, int64_t batch, int64_t size) {
  GraphBuilder b("ResNext" + std::to_string(depth) + "-32x4d", {batch, 3, size, size});
  Ref x = b.conv_bn(b.input(), 64, {.kernel = 7, .stride = 2, .pad = 3});
  x = b.max_pool(x, {.kernel = 3, .stride = 2, .pad = 1});
  const std::vector<int> depths = stage_depths(depth);
  for (size_t stage = 0; stage < depths.size(); ++stage) {
    const int64_t width = 128 << stage;  // 32 groups x 4 channels at stage 1
    for (int unit = 0; unit < depths[stage]; ++unit) {
      const int64_t stride = unit == 0 && stage > 0 ? 2 : 1;
      Ref y = b.conv_bn(x, width, {.kernel = 1});
      y = b.conv_bn(y, width, {.kernel = 3, .stride = stride, .pad = 1, .group = 32});
      y = b.conv_bn(y, 2 * width, {.kernel = 1}, false);
      Ref shortcut = x;
      if (unit == 0) shortcut = b.conv_bn(x, 2 * width, {.kernel = 1, .stride = stride}, false);
      x = b.relu(b.add({shortcut, y}));
    }
  }
  x = b.global_avg_pool(x);
  b.softmax(b.fc(x, 1000));
  return b.finish();
}

}  // namespace reuselens::zoo_nets
