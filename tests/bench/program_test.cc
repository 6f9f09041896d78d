// The program text that carries a graph to executor plugins, read back with
// the plugin's own reader (plugins/torch/program_reader.cc).
#include "bench/program.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "program_reader.h"
#include "reuselens/builder.h"
#include "reuselens/model.h"

namespace reuselens {
namespace {

using reuselens_plugin::read_program;

TEST(Program, ZooGraphRoundTrips) {
  const Graph g = load_model("zoo:googlenet");
  const auto p = read_program(write_program(g));
  EXPECT_EQ(p.name, g.name);
  ASSERT_EQ(p.tensors.size(), g.tensors().size());
  ASSERT_EQ(p.nodes.size(), g.nodes().size());
  for (size_t t = 0; t < g.tensors().size(); ++t) {
    EXPECT_EQ(p.tensors[t].name, g.tensors()[t].name);
    EXPECT_EQ(p.tensors[t].shape, g.tensors()[t].shape);
  }
  for (size_t n = 0; n < g.nodes().size(); ++n) {
    const Node& node = g.nodes()[n];
    EXPECT_EQ(p.nodes[n].op_type, node.op_type);
    EXPECT_EQ(p.nodes[n].domain, node.domain);
    EXPECT_EQ(p.nodes[n].inputs, node.inputs);
    EXPECT_EQ(p.nodes[n].weights, node.weights);
    EXPECT_EQ(p.nodes[n].outputs, node.outputs);
    EXPECT_EQ(p.nodes[n].attrs.size(), node.attrs.size());
  }
  EXPECT_EQ(p.inputs, g.inputs);
  EXPECT_EQ(p.outputs, g.outputs);
  // A conv's attributes keep their types and values.
  const auto& conv = p.nodes.front();
  EXPECT_EQ(conv.op_type, "Conv");
  EXPECT_EQ(conv.get_ints("kernel_shape"), (std::vector<int64_t>{7, 7}));
  EXPECT_EQ(conv.get_int("group", 0), 1);
}

TEST(Program, NamesWithSpacesAndPercentSurvive) {
  GraphBuilder b("odd name 100%", {1, 3, 8, 8});
  auto x = b.conv(b.input(), 4, {.kernel = 3, .name = "conv a/b %1"});
  b.softmax(b.fc(x, 2, true, ""), "");
  const Graph g = b.finish();
  EXPECT_EQ(escape_program_token("a b%~"), "a%20b%25%7E");
  EXPECT_EQ(escape_program_token(""), "~");
  const auto p = read_program(write_program(g));
  EXPECT_EQ(p.name, "odd name 100%");
  EXPECT_EQ(p.nodes[0].name, "conv a/b %1");
  EXPECT_EQ(p.nodes[0].domain, "");
}

TEST(Program, MalformedTextIsRefusedWithTheLine) {
  const std::string good = write_program(load_model("zoo:alexnet"));
  EXPECT_THROW(read_program(""), std::runtime_error);
  EXPECT_THROW(read_program(good.substr(0, good.size() / 2)), std::runtime_error);  // no end
  EXPECT_THROW(read_program("reuselens-program 2\nend\n"), std::runtime_error);
  try {
    read_program(
        "reuselens-program 1\ntensor 0 x activation float32 1 4\nnode ~ Relu r 1 7 0 1 0 0\nend\n");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "program line 3: tensor index 7 out of range");
  }
  EXPECT_THROW(read_program("reuselens-program 1\ntensor 0 x%G1 activation float32 0\nend\n"),
               std::runtime_error);
}

}  // namespace
}  // namespace reuselens
