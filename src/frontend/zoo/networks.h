// Builders of the zoo's networks, one file per family; each file cites the
// Caffe definition it follows layer by layer.
#pragma once

#include <cstdint>

#include "reuselens/graph.h"

namespace reuselens::zoo_nets {

Graph lenet5(int64_t batch, int64_t size);  // 1 channel
Graph alexnet(int64_t batch, int64_t size);
Graph vgg16(int64_t batch, int64_t size);
Graph nin(int64_t batch, int64_t size);
Graph googlenet(int64_t batch, int64_t size);
Graph inception_v2(int64_t batch, int64_t size);
Graph inception_v3(int64_t batch, int64_t size);
Graph inception_v4(int64_t batch, int64_t size);
Graph inception_resnet_v2(int64_t batch, int64_t size);
Graph resnet(int depth, int64_t batch, int64_t size);        // 50, 101, 152 (v1, He et al.)
Graph resnet_v2(int depth, int64_t batch, int64_t size);     // 101, 152 (pre-activation)
Graph resnext(int depth, int64_t batch, int64_t size);       // 50, 101 (32x4d)
Graph densenet(int depth, int64_t batch, int64_t size);      // 121, 169
Graph squeezenet(int version, int64_t batch, int64_t size);  // 10 (v1.0), 11 (v1.1)
enum class SqueezeNextVariant { k23, k23v5, kGrouped23 };
Graph squeezenext(SqueezeNextVariant variant, int64_t batch, int64_t size);
Graph mobilenet_v1(int64_t batch, int64_t size);
Graph mobilenet_v2(int64_t batch, int64_t size);
Graph xception(int64_t batch, int64_t size);

}  // namespace reuselens::zoo_nets
