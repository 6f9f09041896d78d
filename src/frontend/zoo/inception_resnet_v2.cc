// Inception-ResNet-v2, following soeaver/caffe-model
// (cls/deploy_inception-resnet-v2): a v3-style stem with a mixed 5b block,
// 10 x A (35x35), 20 x B (17x17), 10 x C (8x8) residual blocks whose 1x1 "up"
// projections carry a bias and no BN, ReLU after each sum but the last.
// Input 299x299. Szegedy et al., AAAI 2017.
#include <string>

#include "frontend/zoo/inception_parts.h"
#include "frontend/zoo/networks.h"

namespace reuselens::zoo_nets {

namespace {

Ref residual(GraphBuilder& b, Ref x, const std::vector<Ref>& branches, bool relu) {
  Ref up = b.conv(b.concat(branches, "concat"), b.channels(x), {.kernel = 1, .name = "up"});
  Ref sum = b.add({x, up}, "residual_eltwise");
  return relu ? b.relu(sum) : sum;
}

Ref block_a(GraphBuilder& b, Ref x, int index) {
  b.scope("inception_resnet_v2_a" + std::to_string(index) + "_");
  Ref b1 = b.conv_bn(x, 32, {.kernel = 1});
  Ref b3 = b.conv_bn(b.conv_bn(x, 32, {.kernel = 1}), 32, {.kernel = 3, .pad = 1});
  Ref bd = b.conv_bn(b.conv_bn(x, 32, {.kernel = 1}), 48, {.kernel = 3, .pad = 1});
  bd = b.conv_bn(bd, 64, {.kernel = 3, .pad = 1});
  Ref out = residual(b, x, {b1, b3, bd}, true);
  b.scope("");
  return out;
}

Ref block_b(GraphBuilder& b, Ref x, int index) {
  b.scope("inception_resnet_v2_b" + std::to_string(index) + "_");
  Ref b1 = b.conv_bn(x, 192, {.kernel = 1});
  Ref b7 = b.conv_bn(b.conv_bn(x, 128, {.kernel = 1}), 160, k1x7());
  b7 = b.conv_bn(b7, 192, k7x1());
  Ref out = residual(b, x, {b1, b7}, true);
  b.scope("");
  return out;
}

Ref block_c(GraphBuilder& b, Ref x, int index, bool relu) {
  b.scope("inception_resnet_v2_c" + std::to_string(index) + "_");
  Ref b1 = b.conv_bn(x, 192, {.kernel = 1});
  Ref b3 = b.conv_bn(b.conv_bn(x, 192, {.kernel = 1}), 224, k1x3());
  b3 = b.conv_bn(b3, 256, k3x1());
  Ref out = residual(b, x, {b1, b3}, relu);
  b.scope("");
  return out;
}

}  // namespace

Graph inception_resnet_v2(int64_t batch, int64_t size) {
  GraphBuilder b("Inception-ResNet-V2", {batch, 3, size, size});
  Ref x = b.conv_bn(b.input(), 32, {.kernel = 3, .stride = 2});
  x = b.conv_bn(x, 32, {.kernel = 3});
  x = b.conv_bn(x, 64, {.kernel = 3, .pad = 1});
  x = b.max_pool(x, {.kernel = 3, .stride = 2});
  x = b.conv_bn(b.conv_bn(x, 80, {.kernel = 1}), 192, {.kernel = 3});
  x = b.max_pool(x, {.kernel = 3, .stride = 2});
  {  // mixed 5b
    b.scope("conv5_");
    Ref m1 = b.conv_bn(x, 96, {.kernel = 1});
    Ref m5 = b.conv_bn(b.conv_bn(x, 48, {.kernel = 1}), 64, {.kernel = 5, .pad = 2});
    Ref m3 = b.conv_bn(b.conv_bn(x, 64, {.kernel = 1}), 96, {.kernel = 3, .pad = 1});
    m3 = b.conv_bn(m3, 96, {.kernel = 3, .pad = 1});
    Ref mp = b.conv_bn(b.avg_pool(x, {.kernel = 3, .stride = 1, .pad = 1}), 64, {.kernel = 1});
    x = b.concat({m1, m5, m3, mp}, "stem_concat");
    b.scope("");
  }
  for (int i = 1; i <= 10; ++i) x = block_a(b, x, i);
  {
    b.scope("reduction_a_");
    Ref r1 = b.conv_bn(x, 384, {.kernel = 3, .stride = 2});
    Ref r2 = b.conv_bn(b.conv_bn(x, 256, {.kernel = 1}), 256, {.kernel = 3, .pad = 1});
    r2 = b.conv_bn(r2, 384, {.kernel = 3, .stride = 2});
    x = b.concat({r1, r2, b.max_pool(x, {.kernel = 3, .stride = 2})}, "concat");
    b.scope("");
  }
  for (int i = 1; i <= 20; ++i) x = block_b(b, x, i);
  {
    b.scope("reduction_b_");
    Ref r1 = b.conv_bn(b.conv_bn(x, 256, {.kernel = 1}), 384, {.kernel = 3, .stride = 2});
    Ref r2 = b.conv_bn(b.conv_bn(x, 256, {.kernel = 1}), 288, {.kernel = 3, .stride = 2});
    Ref r3 = b.conv_bn(b.conv_bn(x, 256, {.kernel = 1}), 288, {.kernel = 3, .pad = 1});
    r3 = b.conv_bn(r3, 320, {.kernel = 3, .stride = 2});
    x = b.concat({r1, r2, r3, b.max_pool(x, {.kernel = 3, .stride = 2})}, "concat");
    b.scope("");
  }
  for (int i = 1; i <= 10; ++i) x = block_c(b, x, i, i < 10);
  x = b.conv_bn(x, 1536, {.kernel = 1});
  x = b.dropout(b.global_avg_pool(x), "", false);
  b.softmax(b.fc(x, 1000, true, "classifier"));
  return b.finish();
}

}  // namespace reuselens::zoo_nets
