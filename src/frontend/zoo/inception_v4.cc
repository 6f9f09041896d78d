// Inception-v4, following soeaver/caffe-model (cls/deploy_inception-v4):
// the three-part stem, 4 x A, 7 x B, 3 x C blocks, BN-Scale-ReLU after every
// conv. Input 299x299. Szegedy et al., AAAI 2017.
#include <string>

#include "frontend/zoo/inception_parts.h"
#include "frontend/zoo/networks.h"

namespace reuselens::zoo_nets {

namespace {

Ref avg_pool_same(GraphBuilder& b, Ref x) {
  return b.avg_pool(x, {.kernel = 3, .stride = 1, .pad = 1});
}

Ref block_a(GraphBuilder& b, Ref x, int index) {
  b.scope("inception_a" + std::to_string(index) + "_");
  Ref b1 = b.conv_bn(x, 96, {.kernel = 1});
  Ref b3 = b.conv_bn(b.conv_bn(x, 64, {.kernel = 1}), 96, {.kernel = 3, .pad = 1});
  Ref bd = b.conv_bn(b.conv_bn(x, 64, {.kernel = 1}), 96, {.kernel = 3, .pad = 1});
  bd = b.conv_bn(bd, 96, {.kernel = 3, .pad = 1});
  Ref bp = b.conv_bn(avg_pool_same(b, x), 96, {.kernel = 1});
  Ref out = b.concat({b1, b3, bd, bp}, "concat");
  b.scope("");
  return out;
}

Ref block_b(GraphBuilder& b, Ref x, int index) {
  b.scope("inception_b" + std::to_string(index) + "_");
  Ref b1 = b.conv_bn(x, 384, {.kernel = 1});
  Ref b7 = b.conv_bn(b.conv_bn(x, 192, {.kernel = 1}), 224, k1x7());
  b7 = b.conv_bn(b7, 256, k7x1());
  Ref bd = b.conv_bn(b.conv_bn(x, 192, {.kernel = 1}), 192, k7x1());
  bd = b.conv_bn(b.conv_bn(b.conv_bn(bd, 224, k1x7()), 224, k7x1()), 256, k1x7());
  Ref bp = b.conv_bn(avg_pool_same(b, x), 128, {.kernel = 1});
  Ref out = b.concat({b1, b7, bd, bp}, "concat");
  b.scope("");
  return out;
}

Ref block_c(GraphBuilder& b, Ref x, int index) {
  b.scope("inception_c" + std::to_string(index) + "_");
  Ref b1 = b.conv_bn(x, 256, {.kernel = 1});
  Ref r = b.conv_bn(x, 384, {.kernel = 1});
  Ref r13 = b.conv_bn(r, 256, k1x3());
  Ref r31 = b.conv_bn(r, 256, k3x1());
  Ref d = b.conv_bn(b.conv_bn(b.conv_bn(x, 384, {.kernel = 1}), 448, k3x1()), 512, k1x3());
  Ref d13 = b.conv_bn(d, 256, k1x3());
  Ref d31 = b.conv_bn(d, 256, k3x1());
  Ref bp = b.conv_bn(avg_pool_same(b, x), 256, {.kernel = 1});
  Ref out = b.concat({b1, r13, r31, d13, d31, bp}, "concat");
  b.scope("");
  return out;
}

}  // namespace

// The Inception-v4 / Inception-ResNet-v2 stem (299 -> 35x35x384).
Ref inception_stem(GraphBuilder& b, Ref x) {
  x = b.conv_bn(x, 32, {.kernel = 3, .stride = 2});
  x = b.conv_bn(x, 32, {.kernel = 3});
  x = b.conv_bn(x, 64, {.kernel = 3, .pad = 1});
  b.scope("inception_stem1_");
  Ref c = b.conv_bn(x, 96, {.kernel = 3, .stride = 2});
  x = b.concat({b.max_pool(x, {.kernel = 3, .stride = 2}), c}, "concat");
  b.scope("inception_stem2_");
  Ref s1 = b.conv_bn(b.conv_bn(x, 64, {.kernel = 1}), 96, {.kernel = 3});
  Ref s2 = b.conv_bn(b.conv_bn(x, 64, {.kernel = 1}), 64, k1x7());
  s2 = b.conv_bn(b.conv_bn(s2, 64, k7x1()), 96, {.kernel = 3});
  x = b.concat({s1, s2}, "concat");
  b.scope("inception_stem3_");
  c = b.conv_bn(x, 192, {.kernel = 3, .stride = 2});
  x = b.concat({c, b.max_pool(x, {.kernel = 3, .stride = 2})}, "concat");
  b.scope("");
  return x;
}

Graph inception_v4(int64_t batch, int64_t size) {
  GraphBuilder b("Inception-V4", {batch, 3, size, size});
  Ref x = inception_stem(b, b.input());
  for (int i = 1; i <= 4; ++i) x = block_a(b, x, i);
  {
    b.scope("reduction_a_");
    Ref r1 = b.conv_bn(x, 384, {.kernel = 3, .stride = 2});
    Ref r2 = b.conv_bn(b.conv_bn(x, 192, {.kernel = 1}), 224, {.kernel = 3, .pad = 1});
    r2 = b.conv_bn(r2, 256, {.kernel = 3, .stride = 2});
    x = b.concat({r1, r2, b.max_pool(x, {.kernel = 3, .stride = 2})}, "concat");
    b.scope("");
  }
  for (int i = 1; i <= 7; ++i) x = block_b(b, x, i);
  {
    b.scope("reduction_b_");
    Ref r1 = b.conv_bn(b.conv_bn(x, 192, {.kernel = 1}), 192, {.kernel = 3, .stride = 2});
    Ref r2 = b.conv_bn(b.conv_bn(x, 256, {.kernel = 1}), 256, k1x7());
    r2 = b.conv_bn(b.conv_bn(r2, 320, k7x1()), 320, {.kernel = 3, .stride = 2});
    x = b.concat({r1, r2, b.max_pool(x, {.kernel = 3, .stride = 2})}, "concat");
    b.scope("");
  }
  for (int i = 1; i <= 3; ++i) x = block_c(b, x, i);
  x = b.dropout(b.global_avg_pool(x), "", false);
  b.softmax(b.fc(x, 1000, true, "classifier"));
  return b.finish();
}

}  // namespace reuselens::zoo_nets
