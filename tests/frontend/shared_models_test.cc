// The zoo against the public Caffe definitions it follows: where the
// prototxt files are present (REUSELENS_CAFFE_MODELS), importing each must
// give exactly the zoo entry's Mc, W and A under every convention.
#include <gtest/gtest.h>

#include <filesystem>

#include "reuselens/metrics.h"
#include "reuselens/model.h"
#include "reuselens/zoo.h"

namespace reuselens {
namespace {

struct Pair {
  const char* zoo_name;
  const char* file;
};
constexpr Pair kPairs[] = {
    {"alexnet", "ns_alexnet"},
    {"vgg16", "ns_vgg16"},
    {"nin", "ns_nin"},
    {"googlenet", "ns_googlenet"},
    {"inception-v2", "sv_deploy_inception-v2"},
    {"inception-v3", "sv_deploy_inception-v3"},
    {"inception-v4", "sv_deploy_inception-v4"},
    {"resnet50", "kh_ResNet-50-deploy"},
    {"resnet101", "kh_ResNet-101-deploy"},
    {"resnet152", "kh_ResNet-152-deploy"},
    {"resnet101-v2", "sv_deploy_resnet101-v2"},
    {"resnet152-v2", "sv_deploy_resnet152-v2"},
    {"inception-resnet-v2", "sv_deploy_inception-resnet-v2"},
    {"resnext50", "sv_deploy_resnext50-32x4d"},
    {"resnext101", "sv_deploy_resnext101-32x4d"},
    {"densenet121", "shicai_DenseNet_121"},
    {"densenet169", "shicai_DenseNet_169"},
    {"squeezenet10", "ns_squeezenet10"},
    {"squeezenet11", "ns_squeezenet11"},
    {"sqnxt23", "sqnxt_1.0-SqNxt-23"},
    {"sqnxt23v5", "sqnxt_1.0-SqNxt-23v5"},
    {"g-sqnxt23", "sqnxt_1.0-G-SqNxt-23"},
    {"mobilenet-v1", "shicai_mobilenet_deploy"},
    {"mobilenet-v2", "shicai_mobilenet_v2_deploy"},
    {"xception", "sv_deploy_xception"},
};

TEST(SharedCaffeModels, ZooEqualsPrototxtImport) {
  const std::filesystem::path dir(REUSELENS_CAFFE_MODELS);
  if (!std::filesystem::exists(dir / "ns_alexnet.prototxt")) {
    GTEST_SKIP() << "public Caffe definitions not found in " << dir;
  }
  for (const Pair& p : kPairs) {
    const ZooEntry& e = zoo_entry(p.zoo_name);
    LoadOptions load;
    load.input_shape = {3, e.image_size, e.image_size};
    const Graph imported = load_model((dir / (std::string(p.file) + ".prototxt")).string(), load);
    const Graph built = e.build(1, e.image_size);
    EXPECT_EQ(imported.nodes().size(), built.nodes().size()) << p.zoo_name;
    for (const std::string& name : convention_names()) {
      AnalysisOptions o;
      o.convention = convention_by_name(name);
      const Analysis a = analyze(imported, o);
      const Analysis b = analyze(built, o);
      EXPECT_EQ(a.total.mc, b.total.mc) << p.zoo_name << " " << name;
      EXPECT_EQ(a.total.w, b.total.w) << p.zoo_name << " " << name;
      EXPECT_EQ(a.total.a, b.total.a) << p.zoo_name << " " << name;
      EXPECT_EQ(a.total.flops, b.total.flops) << p.zoo_name << " " << name;
    }
  }
}

}  // namespace
}  // namespace reuselens
