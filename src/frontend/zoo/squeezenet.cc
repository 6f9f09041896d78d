// SqueezeNet v1.0 and v1.1, following the Netscope analyzer's presets
// (dgschwend/netscope: ns_squeezenet10, ns_squeezenet11), which follow
// DeepScale/SqueezeNet. Iandola et al., arXiv 1602.07360.
#include <string>

#include "frontend/zoo/networks.h"
#include "reuselens/builder.h"

namespace reuselens::zoo_nets {

namespace {

Ref fire(GraphBuilder& b, Ref x, int index, int64_t squeeze, int64_t expand) {
  b.scope("fire" + std::to_string(index) + "/");
  x = b.relu(b.conv(x, squeeze, {.kernel = 1, .name = "squeeze1x1"}));
  Ref e1 = b.relu(b.conv(x, expand, {.kernel = 1, .name = "expand1x1"}));
  Ref e3 = b.relu(b.conv(x, expand, {.kernel = 3, .pad = 1, .name = "expand3x3"}));
  x = b.concat({e1, e3}, "concat");
  b.scope("");
  return x;
}

}  // namespace

Graph squeezenet(int version, int64_t batch, int64_t size) {
  const bool v10 = version == 10;
  GraphBuilder b(v10 ? "SqueezeNet-V1.0" : "SqueezeNet-V1.1", {batch, 3, size, size});
  Ref x = v10 ? b.conv(b.input(), 96, {.kernel = 7, .stride = 2, .name = "conv1"})
              : b.conv(b.input(), 64, {.kernel = 3, .stride = 2, .name = "conv1"});
  x = b.max_pool(b.relu(x), {.kernel = 3, .stride = 2});
  // (squeeze, expand) per fire module; v1.0 pools after fire4 and fire8,
  // v1.1 after fire3 and fire5.
  const int64_t squeeze[] = {16, 16, 32, 32, 48, 48, 64, 64};
  const int64_t expand[] = {64, 64, 128, 128, 192, 192, 256, 256};
  for (int i = 0; i < 8; ++i) {
    const int index = i + 2;
    x = fire(b, x, index, squeeze[i], expand[i]);
    const bool pool_here = v10 ? (index == 4 || index == 8) : (index == 3 || index == 5);
    if (pool_here) x = b.max_pool(x, {.kernel = 3, .stride = 2});
  }
  x = b.dropout(x, "drop9");
  // v1.0's definition pads its 1x1 classifier by 1; v1.1's does not.
  x = b.relu(b.conv(x, 1000, {.kernel = 1, .pad = v10 ? 1 : 0, .name = "conv10"}));
  b.global_avg_pool(x, "pool10");  // the definition ends here (loss is TRAIN-only)
  return b.finish();
}

}  // namespace reuselens::zoo_nets
