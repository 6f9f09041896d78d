// Inception-v3, following soeaver/caffe-model (cls/deploy_inception-v3):
// BN-Scale-ReLU after every conv, factorised 1x7/7x1 and 1x3/3x1 branches.
// Input 299x299. Szegedy et al., CVPR 2016.
#include <string>

#include "frontend/zoo/inception_parts.h"
#include "frontend/zoo/networks.h"

namespace reuselens::zoo_nets {

namespace {

Ref block_a(GraphBuilder& b, Ref x, const std::string& name, int64_t pool_proj) {
  b.scope(name + "_");
  Ref b1 = b.conv_bn(x, 64, {.kernel = 1});
  Ref b5 = b.conv_bn(b.conv_bn(x, 48, {.kernel = 1}), 64, {.kernel = 5, .pad = 2});
  Ref b3 = b.conv_bn(x, 64, {.kernel = 1});
  b3 = b.conv_bn(b.conv_bn(b3, 96, {.kernel = 3, .pad = 1}), 96, {.kernel = 3, .pad = 1});
  Ref bp = b.conv_bn(b.avg_pool(x, {.kernel = 3, .stride = 1, .pad = 1}), pool_proj, {.kernel = 1});
  Ref out = b.concat({b1, b5, b3, bp}, "output");
  b.scope("");
  return out;
}

Ref block_b(GraphBuilder& b, Ref x, const std::string& name, int64_t c7) {
  b.scope(name + "_");
  Ref b1 = b.conv_bn(x, 192, {.kernel = 1});
  Ref b7 = b.conv_bn(b.conv_bn(x, c7, {.kernel = 1}), c7, k1x7());
  b7 = b.conv_bn(b7, 192, k7x1());
  Ref bd = b.conv_bn(b.conv_bn(x, c7, {.kernel = 1}), c7, k7x1());
  bd = b.conv_bn(b.conv_bn(b.conv_bn(bd, c7, k1x7()), c7, k7x1()), 192, k1x7());
  Ref bp = b.conv_bn(b.avg_pool(x, {.kernel = 3, .stride = 1, .pad = 1}), 192, {.kernel = 1});
  Ref out = b.concat({b1, b7, bd, bp}, "concat");
  b.scope("");
  return out;
}

Ref block_c(GraphBuilder& b, Ref x, const std::string& name, bool max_pool_branch) {
  b.scope(name + "_");
  Ref b1 = b.conv_bn(x, 320, {.kernel = 1});
  Ref r = b.conv_bn(x, 384, {.kernel = 1});
  Ref b13 = b.conv_bn(r, 384, k1x3());
  Ref b31 = b.conv_bn(r, 384, k3x1());
  Ref d = b.conv_bn(b.conv_bn(x, 448, {.kernel = 1}), 384, {.kernel = 3, .pad = 1});
  Ref d13 = b.conv_bn(d, 384, k1x3());
  Ref d31 = b.conv_bn(d, 384, k3x1());
  const PoolOptions pool{.kernel = 3, .stride = 1, .pad = 1};
  Ref bp =
      b.conv_bn(max_pool_branch ? b.max_pool(x, pool) : b.avg_pool(x, pool), 192, {.kernel = 1});
  Ref out = b.concat({b1, b13, b31, d13, d31, bp}, "concat");
  b.scope("");
  return out;
}

}  // namespace

Graph inception_v3(int64_t batch, int64_t size) {
  GraphBuilder b("Inception-V3", {batch, 3, size, size});
  Ref x = b.conv_bn(b.input(), 32, {.kernel = 3, .stride = 2});
  x = b.conv_bn(x, 32, {.kernel = 3});
  x = b.conv_bn(x, 64, {.kernel = 3, .pad = 1});
  x = b.max_pool(x, {.kernel = 3, .stride = 2});
  x = b.conv_bn(x, 80, {.kernel = 1});
  x = b.conv_bn(x, 192, {.kernel = 3});
  x = b.max_pool(x, {.kernel = 3, .stride = 2});
  x = block_a(b, x, "inception_a1", 32);
  x = block_a(b, x, "inception_a2", 64);
  x = block_a(b, x, "inception_a3", 64);
  {  // reduction A
    b.scope("reduction_a_");
    Ref r1 = b.conv_bn(x, 384, {.kernel = 3, .stride = 2});
    Ref r2 = b.conv_bn(b.conv_bn(x, 64, {.kernel = 1}), 96, {.kernel = 3, .pad = 1});
    r2 = b.conv_bn(r2, 96, {.kernel = 3, .stride = 2});
    x = b.concat({r1, r2, b.max_pool(x, {.kernel = 3, .stride = 2})}, "concat");
    b.scope("");
  }
  x = block_b(b, x, "inception_b1", 128);
  x = block_b(b, x, "inception_b2", 160);
  x = block_b(b, x, "inception_b3", 160);
  x = block_b(b, x, "inception_b4", 192);
  {  // reduction B
    b.scope("reduction_b_");
    Ref r1 = b.conv_bn(b.conv_bn(x, 192, {.kernel = 1}), 320, {.kernel = 3, .stride = 2});
    Ref r2 = b.conv_bn(b.conv_bn(x, 192, {.kernel = 1}), 192, k1x7());
    r2 = b.conv_bn(b.conv_bn(r2, 192, k7x1()), 192, {.kernel = 3, .stride = 2});
    x = b.concat({r1, r2, b.max_pool(x, {.kernel = 3, .stride = 2})}, "concat");
    b.scope("");
  }
  x = block_c(b, x, "inception_c1", false);
  x = block_c(b, x, "inception_c2", true);
  x = b.dropout(b.global_avg_pool(x), "", false);
  b.softmax(b.fc(x, 1000, true, "classifier"));
  return b.finish();
}

}  // namespace reuselens::zoo_nets
