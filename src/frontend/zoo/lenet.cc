// LeNet-5: LeCun, Bottou, Bengio, Haffner, "Gradient-based learning applied
// to document recognition", Proc. IEEE 86(11), 1998, Fig. 2 and Sec. II-B.
//
// C1: 6 maps, 5x5, over the 32x32 field (here a 28x28 MNIST digit padded by
// 2, which is the same field); S2: 2x2 subsampling; C3: 16 maps, 5x5; S4:
// 2x2 subsampling; C5: 120 units, each over the whole 5x5x16 of S4 (a fully
// connected layer); F6: 84 units; output: 10 units. Two simplifications every
// reimplementation makes, stated in docs/zoo.md with what they change:
// C3 connects every S2 map (the paper's Table I connects 60 of the 96
// pairs: 1,516 parameters and 151,600 connections instead of 2,416 and
// 241,600), and the output layer is a fully connected layer (the paper's 10
// Euclidean RBF units have 840 fixed parameters). Subsampling is average
// pooling without the paper's trainable coefficient and bias (12 + 32
// parameters), the squashing function tanh.
#include "frontend/zoo/networks.h"
#include "reuselens/builder.h"

namespace reuselens::zoo_nets {

Graph lenet5(int64_t batch, int64_t size) {
  GraphBuilder b("LeNet-5", {batch, 1, size, size});
  const auto tanh = [&b](Ref x, const char* name) {
    Node n;
    n.name = name;
    return b.add_node("", "Tanh", {x}, std::move(n), /*in_place=*/true)[0];
  };
  Ref x = tanh(b.conv(b.input(), 6, {.kernel = 5, .pad = 2, .name = "c1"}), "c1_tanh");
  x = b.avg_pool(x, {.kernel = 2, .stride = 2, .name = "s2"});
  x = tanh(b.conv(x, 16, {.kernel = 5, .name = "c3"}), "c3_tanh");
  x = b.avg_pool(x, {.kernel = 2, .stride = 2, .name = "s4"});
  x = tanh(b.fc(x, 120, true, "c5"), "c5_tanh");
  x = tanh(b.fc(x, 84, true, "f6"), "f6_tanh");
  b.softmax(b.fc(x, 10, true, "output"), "prob");
  return b.finish();
}

}  // namespace reuselens::zoo_nets
