// The zoo's table of networks: Table 7 of Jha & Mittal (2020), in its order.
#include "reuselens/zoo.h"

#include <algorithm>
#include <cctype>

#include "frontend/zoo/networks.h"
#include "ir/names.h"
#include "reuselens/error.h"
#include "reuselens/llm.h"

namespace reuselens {

using namespace zoo_nets;  // NOLINT(google-build-using-namespace): the builders

namespace {
constexpr const char* kNetscope = "dgschwend/netscope presets";
constexpr const char* kSoeaver = "soeaver/caffe-model cls/";
constexpr const char* kKaiming = "KaimingHe/deep-residual-networks prototxt/";
constexpr const char* kShicai = "shicai/DenseNet-Caffe, shicai/MobileNet-Caffe";
constexpr const char* kSqnxt = "amirgholami/SqueezeNext train_val.prototxt";
}  // namespace

const std::vector<ZooEntry>& zoo() {
  static const std::vector<ZooEntry> entries = {
      {"alexnet", "AlexNet", 224, std::string(kNetscope) + " (alexnet)",
       "Krizhevsky et al., NeurIPS 2012", alexnet},
      {"vgg16", "VGG-16", 224, std::string(kNetscope) + " (vgg16)",
       "Simonyan & Zisserman, ICLR 2015", vgg16},
      {"nin", "NiN", 224, std::string(kNetscope) + " (nin)", "Lin et al., ICLR 2014", nin},
      {"googlenet", "GoogLeNet", 224, std::string(kNetscope) + " (googlenet)",
       "Szegedy et al., CVPR 2015", googlenet},
      {"inception-v2", "Inception-V2", 231, std::string(kSoeaver) + "deploy_inception-v2",
       "Szegedy et al., CVPR 2016", inception_v2},
      {"inception-v3", "Inception-V3", 299, std::string(kSoeaver) + "deploy_inception-v3",
       "Szegedy et al., CVPR 2016", inception_v3},
      {"inception-v4", "Inception-V4", 299, std::string(kSoeaver) + "deploy_inception-v4",
       "Szegedy et al., AAAI 2017", inception_v4},
      {"resnet50", "ResNet-50", 224, std::string(kKaiming) + "ResNet-50-deploy",
       "He et al., CVPR 2016", [](int64_t n, int64_t s) { return resnet(50, n, s); }},
      {"resnet101", "ResNet-101", 224, std::string(kKaiming) + "ResNet-101-deploy",
       "He et al., CVPR 2016", [](int64_t n, int64_t s) { return resnet(101, n, s); }},
      {"resnet152", "ResNet-152", 224, std::string(kKaiming) + "ResNet-152-deploy",
       "He et al., CVPR 2016", [](int64_t n, int64_t s) { return resnet(152, n, s); }},
      {"resnet101-v2", "ResNet101-V2", 224, std::string(kSoeaver) + "deploy_resnet101-v2",
       "He et al., ECCV 2016", [](int64_t n, int64_t s) { return resnet_v2(101, n, s); }},
      {"resnet152-v2", "ResNet152-V2", 224, std::string(kSoeaver) + "deploy_resnet152-v2",
       "He et al., ECCV 2016", [](int64_t n, int64_t s) { return resnet_v2(152, n, s); }},
      {"inception-resnet-v2", "Inception-ResNet-V2", 299,
       std::string(kSoeaver) + "deploy_inception-resnet-v2", "Szegedy et al., AAAI 2017",
       inception_resnet_v2},
      {"resnext50", "ResNext50-32x4d", 224, std::string(kSoeaver) + "deploy_resnext50-32x4d",
       "Xie et al., CVPR 2017", [](int64_t n, int64_t s) { return resnext(50, n, s); }},
      {"resnext101", "ResNext101-32x4d", 224, std::string(kSoeaver) + "deploy_resnext101-32x4d",
       "Xie et al., CVPR 2017", [](int64_t n, int64_t s) { return resnext(101, n, s); }},
      {"densenet121", "DenseNet-121", 224, std::string(kShicai) + " (DenseNet_121)",
       "Huang et al., CVPR 2017", [](int64_t n, int64_t s) { return densenet(121, n, s); }},
      {"densenet169", "DenseNet-169", 224, std::string(kShicai) + " (DenseNet_169)",
       "Huang et al., CVPR 2017", [](int64_t n, int64_t s) { return densenet(169, n, s); }},
      {"squeezenet10", "SqueezeNet-V1.0", 224, std::string(kNetscope) + " (squeezenet10)",
       "Iandola et al., arXiv 1602.07360",
       [](int64_t n, int64_t s) { return squeezenet(10, n, s); }},
      {"squeezenet11", "SqueezeNet-V1.1", 224, std::string(kNetscope) + " (squeezenet11)",
       "Iandola et al., arXiv 1602.07360",
       [](int64_t n, int64_t s) { return squeezenet(11, n, s); }},
      {"sqnxt23", "1.0-SqNxt-23", 224, std::string(kSqnxt) + " (1.0-SqNxt-23)",
       "Gholami et al., CVPR Workshops 2018",
       [](int64_t n, int64_t s) { return squeezenext(SqueezeNextVariant::k23, n, s); }},
      {"sqnxt23v5", "1.0-SqNxt-23v5", 224, std::string(kSqnxt) + " (1.0-SqNxt-23v5)",
       "Gholami et al., CVPR Workshops 2018",
       [](int64_t n, int64_t s) { return squeezenext(SqueezeNextVariant::k23v5, n, s); }},
      {"g-sqnxt23", "1.0-G-SqNxt-23", 224, std::string(kSqnxt) + " (1.0-G-SqNxt-23)",
       "Gholami et al., CVPR Workshops 2018",
       [](int64_t n, int64_t s) { return squeezenext(SqueezeNextVariant::kGrouped23, n, s); }},
      {"mobilenet-v1", "MobileNet-V1", 224, std::string(kShicai) + " (mobilenet_deploy)",
       "Howard et al., arXiv 1704.04861", mobilenet_v1},
      {"mobilenet-v2", "MobileNet-V2", 224, std::string(kShicai) + " (mobilenet_v2_deploy)",
       "Sandler et al., CVPR 2018", mobilenet_v2},
      {"xception", "XceptionNet", 299, std::string(kSoeaver) + "deploy_xception",
       "Chollet, CVPR 2017", xception},
      {"lenet5", "LeNet-5", 28,
       "LeCun et al. 1998, Fig. 2 (C3 fully connected, output layer fully connected)",
       "LeCun et al., Proc. IEEE 1998", lenet5, /*channels=*/1, /*table7=*/false},
  };
  return entries;
}

std::vector<std::string> zoo_collection(const std::string& spec) {
  std::vector<std::string> out;
  if (spec == "zoo:llm") {
    for (const LlmZooEntry& e : llm_zoo()) out.push_back("zoo:" + e.name);
    return out;
  }
  if (spec != "zoo:all" && spec != "zoo:table7") return out;
  for (const ZooEntry& e : zoo()) {
    if (spec == "zoo:all" || e.table7) out.push_back("zoo:" + e.name);
  }
  return out;
}

namespace {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

const ZooEntry* find_zoo_entry(const std::string& name) {
  const std::string key = normalized_name(name);
  if (key.empty()) return nullptr;
  for (const ZooEntry& e : zoo()) {
    if (normalized_name(e.name) == key || normalized_name(e.display_name) == key) return &e;
  }
  return nullptr;
}

const ZooEntry& zoo_entry(const std::string& name) {
  if (const ZooEntry* e = find_zoo_entry(name)) return *e;
  const std::string key = normalized_name(name);
  // The networks and the language-model configs, nearest first.
  std::vector<std::pair<size_t, std::string>> ranked;
  const auto rank = [&](const std::string& entry, const std::string& display) {
    ranked.emplace_back(std::min(edit_distance(key, normalized_name(entry)),
                                 edit_distance(key, normalized_name(display))),
                        entry);
  };
  for (const ZooEntry& e : zoo()) rank(e.name, e.display_name);
  for (const LlmZooEntry& e : llm_zoo()) rank(e.name, e.display_name);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string nearest;
  for (size_t i = 0; i < 3 && i < ranked.size(); ++i) {
    nearest += (nearest.empty() ? "" : ", ") + std::string("zoo:") + ranked[i].second;
  }
  throw_error(ErrorCode::kUnknownModel, "no zoo model '" + name + "'; nearest: " + nearest +
                                            " (`reuselens zoo` lists all " +
                                            std::to_string(ranked.size()) + ")");
}

}  // namespace reuselens
