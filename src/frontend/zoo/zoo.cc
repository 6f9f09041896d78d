// The zoo's table of networks: Table 7 of Jha & Mittal (2020), in its order.
#include "reuselens/zoo.h"

#include "frontend/zoo/networks.h"
#include "reuselens/error.h"

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
      {"vgg16", "VGG-16", 224, std::string(kNetscope) + " (vgg16)", "Simonyan & Zisserman, ICLR 2015", vgg16},
      {"nin", "NiN", 224, std::string(kNetscope) + " (nin)", "Lin et al., ICLR 2014", nin},
      {"squeezenet10", "SqueezeNet-V1.0", 224, std::string(kNetscope) + " (squeezenet10)",
       "Iandola et al., arXiv 1602.07360", [](int64_t n, int64_t s) { return squeezenet(10, n, s); }},
      {"squeezenet11", "SqueezeNet-V1.1", 224, std::string(kNetscope) + " (squeezenet11)",
       "Iandola et al., arXiv 1602.07360", [](int64_t n, int64_t s) { return squeezenet(11, n, s); }},
      {"mobilenet-v1", "MobileNet-V1", 224, std::string(kShicai) + " (mobilenet_deploy)",
       "Howard et al., arXiv 1704.04861", mobilenet_v1},
      {"mobilenet-v2", "MobileNet-V2", 224, std::string(kShicai) + " (mobilenet_v2_deploy)",
       "Sandler et al., CVPR 2018", mobilenet_v2},
  };
  return entries;
}

const ZooEntry& zoo_entry(const std::string& name) {
  for (const ZooEntry& e : zoo()) {
    if (e.name == name) return e;
  }
  std::string known;
  for (const ZooEntry& e : zoo()) known += (known.empty() ? "" : ", ") + e.name;
  throw_error(ErrorCode::kUnknownModel, "no zoo model '" + name + "' (known: " + known + ")");
}

}  // namespace reuselens
