// AlexNet, following BVLC's Caffe definition as shipped with the Netscope
// analyzer's presets (dgschwend/netscope, ns_alexnet): grouped conv2/4/5,
// LRN after conv1 and conv2. Krizhevsky et al., NeurIPS 2012.
#include "frontend/zoo/networks.h"
#include "reuselens/builder.h"

namespace reuselens::zoo_nets {

Graph alexnet(int64_t batch, int64_t size) {
  GraphBuilder b("AlexNet", {batch, 3, size, size});
  Ref x = b.relu(b.conv(b.input(), 96, {.kernel = 11, .stride = 4, .name = "conv1"}));
  x = b.max_pool(b.lrn(x, 5, "norm1"), {.kernel = 3, .stride = 2, .name = "pool1"});
  x = b.relu(b.conv(x, 256, {.kernel = 5, .pad = 2, .group = 2, .name = "conv2"}));
  x = b.max_pool(b.lrn(x, 5, "norm2"), {.kernel = 3, .stride = 2, .name = "pool2"});
  x = b.relu(b.conv(x, 384, {.kernel = 3, .pad = 1, .name = "conv3"}));
  x = b.relu(b.conv(x, 384, {.kernel = 3, .pad = 1, .group = 2, .name = "conv4"}));
  x = b.relu(b.conv(x, 256, {.kernel = 3, .pad = 1, .group = 2, .name = "conv5"}));
  x = b.max_pool(x, {.kernel = 3, .stride = 2, .name = "pool5"});
  x = b.dropout(b.relu(b.fc(x, 4096, true, "fc6")));
  x = b.dropout(b.relu(b.fc(x, 4096, true, "fc7")));
  b.softmax(b.fc(x, 1000, true, "fc8"));
  return b.finish();
}

}  // namespace reuselens::zoo_nets
