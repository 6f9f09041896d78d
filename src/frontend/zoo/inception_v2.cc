// Inception-v2 (BN-Inception), following soeaver/caffe-model
// (cls/deploy_inception-v2): a grouped 7x7 stem with a 1x1 "increase",
// BN-Scale-ReLU after every later conv, average-pool projections, padded
// max-pool reductions. Input 231x231 as in Table 7.
// Ioffe & Szegedy, ICML 2015; Szegedy et al., CVPR 2016.
#include <string>

#include "frontend/zoo/networks.h"
#include "reuselens/builder.h"

namespace reuselens::zoo_nets {

namespace {

struct ModuleWidths {
  const char* name;
  int64_t b1;                  // 1x1 branch (0: none, for reductions)
  int64_t a_reduce, a;         // 1x1 -> 3x3
  int64_t b_reduce, b1x, b2x;  // 1x1 -> 3x3 -> 3x3
  int64_t pool_proj;           // avg-pool branch projection (0: reduction)
};

Ref module(GraphBuilder& b, Ref x, const ModuleWidths& w) {
  b.scope(std::string(w.name) + "_");
  const bool reduction = w.pool_proj == 0;
  const int64_t stride = reduction ? 2 : 1;
  std::vector<Ref> branches;
  if (w.b1) branches.push_back(b.conv_bn(x, w.b1, {.kernel = 1}));
  Ref a = b.conv_bn(x, w.a_reduce, {.kernel = 1});
  branches.push_back(b.conv_bn(a, w.a, {.kernel = 3, .stride = stride, .pad = 1}));
  Ref c = b.conv_bn(x, w.b_reduce, {.kernel = 1});
  c = b.conv_bn(c, w.b1x, {.kernel = 3, .pad = 1});
  branches.push_back(b.conv_bn(c, w.b2x, {.kernel = 3, .stride = stride, .pad = 1}));
  if (reduction) {
    branches.push_back(b.max_pool(x, {.kernel = 3, .stride = 2, .pad = 1}));
  } else {
    Ref p = b.avg_pool(x, {.kernel = 3, .stride = 1, .pad = 1});
    branches.push_back(b.conv_bn(p, w.pool_proj, {.kernel = 1}));
  }
  Ref out = b.concat(branches, "output");
  b.scope("");
  return out;
}

}  // namespace

Graph inception_v2(int64_t batch, int64_t size) {
  GraphBuilder b("Inception-V2", {batch, 3, size, size});
  Ref x = b.conv(b.input(), 24, {.kernel = 7, .stride = 2, .pad = 3, .group = 3, .bias = false});
  x = b.relu(b.conv(x, 64, {.kernel = 1, .name = "conv1_7x7_increase"}));
  x = b.max_pool(x, {.kernel = 3, .stride = 2});
  x = b.conv_bn(x, 64, {.kernel = 1});
  x = b.conv_bn(x, 192, {.kernel = 3, .pad = 1});
  x = b.max_pool(x, {.kernel = 3, .stride = 2});
  const ModuleWidths modules[] = {
      {"inception_a1", 64, 64, 64, 64, 96, 96, 32},
      {"inception_a2", 64, 64, 96, 64, 96, 96, 64},
      {"reduction_a", 0, 128, 160, 64, 96, 96, 0},
      {"inception_b1", 224, 64, 96, 96, 128, 128, 128},
      {"inception_b2", 192, 96, 128, 96, 128, 128, 128},
      {"inception_b3", 160, 128, 160, 128, 160, 160, 96},
      {"inception_b4", 96, 128, 192, 160, 192, 192, 96},
      {"reduction_b", 0, 128, 192, 192, 256, 256, 0},
      {"inception_c1", 352, 192, 320, 160, 224, 224, 128},
      {"inception_c2", 352, 192, 320, 192, 224, 224, 128},
  };
  for (const ModuleWidths& m : modules) x = module(b, x, m);
  x = b.dropout(b.global_avg_pool(x));
  b.softmax(b.fc(x, 1000, true, "classifier"));
  return b.finish();
}

}  // namespace reuselens::zoo_nets
