// Plain stacks: VGG-16 and Network-in-Network, following the Netscope
// analyzer's presets (dgschwend/netscope: ns_vgg16, ns_nin).
// Simonyan & Zisserman, arXiv 1409.1556; Lin et al., arXiv 1312.4400.
#include "frontend/zoo/networks.h"
#include "reuselens/builder.h"

namespace reuselens::zoo_nets {

Graph vgg16(int64_t batch, int64_t size) {
  GraphBuilder b("VGG-16", {batch, 3, size, size});
  Ref x = b.input();
  const int64_t widths[] = {64, 128, 256, 512, 512};
  const int repeats[] = {2, 2, 3, 3, 3};
  for (int stage = 0; stage < 5; ++stage) {
    for (int i = 0; i < repeats[stage]; ++i)
      x = b.relu(b.conv(x, widths[stage], {.kernel = 3, .pad = 1}));
    x = b.max_pool(x, {.kernel = 2, .stride = 2});
  }
  x = b.dropout(b.relu(b.fc(x, 4096)));
  x = b.dropout(b.relu(b.fc(x, 4096)));
  b.softmax(b.fc(x, 1000));
  return b.finish();
}

Graph nin(int64_t batch, int64_t size) {
  GraphBuilder b("NiN", {batch, 3, size, size});
  // Each mlpconv block: a spatial conv followed by two 1x1 convs ("cccp").
  auto mlpconv = [&b](Ref x, int64_t width, int64_t out, const ConvOptions& first) {
    x = b.relu(b.conv(x, width, first));
    x = b.relu(b.conv(x, width, {.kernel = 1}));
    return b.relu(b.conv(x, out, {.kernel = 1}));
  };
  Ref x = mlpconv(b.input(), 96, 96, {.kernel = 11, .stride = 4});
  x = b.max_pool(x, {.kernel = 3, .stride = 2});
  x = mlpconv(x, 256, 256, {.kernel = 5, .pad = 2});
  x = b.max_pool(x, {.kernel = 3, .stride = 2});
  x = mlpconv(x, 384, 384, {.kernel = 3, .pad = 1});
  x = b.dropout(b.max_pool(x, {.kernel = 3, .stride = 2}));
  x = mlpconv(x, 1024, 1000, {.kernel = 3, .pad = 1});
  b.avg_pool(x, {.kernel = 6, .stride = 1});  // the definition ends here (loss is TRAIN-only)
  return b.finish();
}

}  // namespace reuselens::zoo_nets
