// The built-in model zoo: the 25 networks of Jha & Mittal's Table 7, each
// written with GraphBuilder after its public Caffe definition, and LeNet-5
// for the lecture's scaling table. `zoo:all` is every entry, `zoo:table7`
// the 25 of Table 7 in its order.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "reuselens/graph.h"

namespace reuselens {

struct ZooEntry {
  std::string name;          // "resnet50"
  std::string display_name;  // "ResNet-50", as in Table 7
  int64_t image_size = 224;  // H = W of the paper's input
  std::string source;        // the Caffe definition it follows
  std::string paper;         // the network's own paper
  std::function<Graph(int64_t batch, int64_t image_size)> build;
  int64_t channels = 3;  // of the input image
  bool table7 = true;    // one of Table 7's 25 networks
};

// The specs a zoo collection expands to ("zoo:all", "zoo:table7"), or {}
// when `spec` names no collection.
std::vector<std::string> zoo_collection(const std::string& spec);

const std::vector<ZooEntry>& zoo();
// By name or display name, without regard to case and punctuation
// ("resnet50", "ResNet-50"). Throws Error(kUnknownModel) naming the nearest.
const ZooEntry& zoo_entry(const std::string& name);
// The same, nullptr when there is none.
const ZooEntry* find_zoo_entry(const std::string& name);

}  // namespace reuselens
