// GraphBuilder: describe a network in C++, layer by layer.
//
//   GraphBuilder b("tiny", {1, 3, 32, 32});
//   auto x = b.input();
//   x = b.relu(b.conv(x, 16, {.kernel = 3, .stride = 1, .pad = 1}));
//   x = b.max_pool(x, {.kernel = 2, .stride = 2});
//   x = b.fc(x, 10);
//   Graph g = b.finish();
//
// Every call infers the output shape through the cost registry (the same
// shape functions the importers use) and throws Error(kInvalidModel) naming
// the layer when a shape is impossible. Layers are named "<op><n>" unless a
// name is given; scope() prefixes names, e.g. "inception_3a/".
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "reuselens/graph.h"

namespace reuselens {

// A handle to an activation tensor of the graph under construction.
struct Ref {
  int index = -1;
};

struct ConvOptions {
  int64_t kernel = 1;  // square kernel unless kernel_h/kernel_w are set
  int64_t stride = 1;
  int64_t pad = 0;
  int64_t group = 1;
  int64_t dilation = 1;
  bool bias = true;
  int64_t kernel_h = 0, kernel_w = 0;  // 0: use kernel
  int64_t pad_h = -1, pad_w = -1;      // -1: use pad
  int64_t stride_h = 0, stride_w = 0;  // 0: use stride
  std::string name;
};

struct PoolOptions {
  int64_t kernel = 2;
  int64_t stride = 1;
  int64_t pad = 0;
  bool ceil = true;  // Caffe rounds pooling output sizes up
  std::string name;
};

class GraphBuilder {
 public:
  // `input_shape` is NCHW, batch included.
  GraphBuilder(std::string model_name, std::vector<int64_t> input_shape);

  Ref input() const { return input_; }
  std::vector<int64_t> shape(Ref x) const;
  int64_t channels(Ref x) const { return shape(x).at(1); }

  // Convolution (Caffe floor rounding), optionally grouped or depthwise.
  Ref conv(Ref x, int64_t out_channels, const ConvOptions& options = {});
  Ref fc(Ref x, int64_t out_features, bool bias = true, const std::string& name = "");
  Ref max_pool(Ref x, const PoolOptions& options);
  Ref avg_pool(Ref x, const PoolOptions& options);
  Ref global_avg_pool(Ref x, const std::string& name = "");
  Ref lrn(Ref x, int64_t local_size, const std::string& name = "");
  // In-place layers, as Caffe runs them: the output shares the input's storage.
  Ref relu(Ref x, const std::string& name = "", bool in_place = true);
  // Caffe BatchNorm (statistics only); some definitions write it to a new blob.
  Ref batch_norm(Ref x, const std::string& name = "", bool in_place = true);
  Ref scale(Ref x, bool bias = true, const std::string& name = "");  // Caffe Scale
  Ref dropout(Ref x, const std::string& name = "", bool in_place = true);
  // Layer normalisation over the last axis, with learnable scale and shift.
  Ref layer_norm(Ref x, const std::string& name = "");
  // conv -> BatchNorm -> Scale -> ReLU, the ubiquitous Caffe block.
  Ref conv_bn(Ref x, int64_t out_channels, ConvOptions options, bool relu = true,
              bool bn_in_place = true);

  Ref concat(const std::vector<Ref>& xs, const std::string& name = "");
  Ref add(const std::vector<Ref>& xs, const std::string& name = "");  // Eltwise SUM
  Ref softmax(Ref x, const std::string& name = "");

  // Prefixes the names of layers added afterwards ("" clears it).
  void scope(const std::string& prefix);

  // Adds any node by op type; the registry must know it.
  std::vector<Ref> add_node(const std::string& domain, const std::string& op_type,
                            const std::vector<Ref>& inputs, Node attrs_only, bool in_place = false);

  Graph finish();

 private:
  std::string next_name(const std::string& base, const std::string& given);
  // Appends a node with its parameters and outputs; returns its index.
  int append_node(const std::string& domain, const std::string& op_type,
                  std::span<const Ref> inputs, Node&& node, bool in_place = false);
  // The first output of a node the helpers add (no vector of refs to build).
  Ref add_one(const std::string& domain, const std::string& op_type,
              std::initializer_list<Ref> inputs, Node&& node, bool in_place = false);

  Graph graph_;
  Ref input_;
  std::string scope_;
  // Per scope, how many unnamed layers of each base name ("conv", "relu")
  // it has: a handful of bases, searched linearly, instead of hashing every
  // generated name.
  using BaseCounters = std::vector<std::pair<std::string, int>>;
  std::vector<std::pair<std::string, BaseCounters>> counters_{{"", {}}};
  size_t scope_index_ = 0;  // into counters_ (an index: builders stay copyable)
};

}  // namespace reuselens
