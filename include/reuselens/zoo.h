// The built-in model zoo: the 25 networks of Jha & Mittal's Table 7, each
// written with GraphBuilder after its public Caffe definition.
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
};

const std::vector<ZooEntry>& zoo();
// By name or display name, without regard to case and punctuation
// ("resnet50", "ResNet-50"). Throws Error(kUnknownModel) naming the nearest.
const ZooEntry& zoo_entry(const std::string& name);
// The same, nullptr when there is none.
const ZooEntry* find_zoo_entry(const std::string& name);

}  // namespace reuselens
