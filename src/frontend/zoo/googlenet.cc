// GoogLeNet (Inception v1), following BVLC's Caffe definition as in the
// Netscope analyzer's presets (dgschwend/netscope: ns_googlenet), without the
// training-only auxiliary classifiers. Szegedy et al., CVPR 2015.
#include <string>

#include "frontend/zoo/networks.h"
#include "reuselens/builder.h"

namespace reuselens::zoo_nets {

namespace {

struct InceptionWidths {
  const char* name;
  int64_t b1, b3_reduce, b3, b5_reduce, b5, pool_proj;
};

Ref inception(GraphBuilder& b, Ref x, const InceptionWidths& w) {
  b.scope(std::string("inception_") + w.name + "/");
  Ref b1 = b.relu(b.conv(x, w.b1, {.kernel = 1, .name = "1x1"}));
  Ref b3 = b.relu(b.conv(x, w.b3_reduce, {.kernel = 1, .name = "3x3_reduce"}));
  b3 = b.relu(b.conv(b3, w.b3, {.kernel = 3, .pad = 1, .name = "3x3"}));
  Ref b5 = b.relu(b.conv(x, w.b5_reduce, {.kernel = 1, .name = "5x5_reduce"}));
  b5 = b.relu(b.conv(b5, w.b5, {.kernel = 5, .pad = 2, .name = "5x5"}));
  Ref bp = b.max_pool(x, {.kernel = 3, .stride = 1, .pad = 1, .name = "pool"});
  bp = b.relu(b.conv(bp, w.pool_proj, {.kernel = 1, .name = "pool_proj"}));
  Ref out = b.concat({b1, b3, b5, bp}, "output");
  b.scope("");
  return out;
}

}  // namespace

Graph googlenet(int64_t batch, int64_t size) {
  GraphBuilder b("GoogLeNet", {batch, 3, size, size});
  Ref x =
      b.relu(b.conv(b.input(), 64, {.kernel = 7, .stride = 2, .pad = 3, .name = "conv1/7x7_s2"}));
  x = b.lrn(b.max_pool(x, {.kernel = 3, .stride = 2}), 5);
  x = b.relu(b.conv(x, 64, {.kernel = 1, .name = "conv2/3x3_reduce"}));
  x = b.relu(b.conv(x, 192, {.kernel = 3, .pad = 1, .name = "conv2/3x3"}));
  x = b.max_pool(b.lrn(x, 5), {.kernel = 3, .stride = 2});
  x = inception(b, x, {"3a", 64, 96, 128, 16, 32, 32});
  x = inception(b, x, {"3b", 128, 128, 192, 32, 96, 64});
  x = b.max_pool(x, {.kernel = 3, .stride = 2});
  x = inception(b, x, {"4a", 192, 96, 208, 16, 48, 64});
  x = inception(b, x, {"4b", 160, 112, 224, 24, 64, 64});
  x = inception(b, x, {"4c", 128, 128, 256, 24, 64, 64});
  x = inception(b, x, {"4d", 112, 144, 288, 32, 64, 64});
  x = inception(b, x, {"4e", 256, 160, 320, 32, 128, 128});
  x = b.max_pool(x, {.kernel = 3, .stride = 2});
  x = inception(b, x, {"5a", 256, 160, 320, 32, 128, 128});
  x = inception(b, x, {"5b", 384, 192, 384, 48, 128, 128});
  x = b.dropout(b.avg_pool(x, {.kernel = 7, .stride = 1}));
  b.softmax(b.fc(x, 1000, true, "loss3/classifier"));
  return b.finish();
}

}  // namespace reuselens::zoo_nets
