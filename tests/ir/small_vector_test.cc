#include "reuselens/small_vector.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <utility>
#include <vector>

#include "reuselens/builder.h"

namespace reuselens {
namespace {

using Small = SmallVector<int, 3>;

std::vector<int> as_vector(const Small& v) { return {v.begin(), v.end()}; }

TEST(SmallVector, GrowsPastItsInlineCapacityKeepingOrder) {
  Small v;
  for (int i = 0; i < 10; ++i) v.push_back(i);
  EXPECT_EQ(v.size(), 10u);
  EXPECT_EQ(as_vector(v), (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(v.front(), 0);
  EXPECT_EQ(v.back(), 9);
  v.pop_back();
  EXPECT_EQ(v.back(), 8);
}

TEST(SmallVector, CopiesAndMovesInlineAndSpilledContents) {
  for (int n : {2, 3, 4, 9}) {
    Small source;
    for (int i = 0; i < n; ++i) source.push_back(10 * i);
    const Small copy = source;
    EXPECT_EQ(as_vector(copy), as_vector(source)) << n;
    Small moved = std::move(source);
    EXPECT_EQ(as_vector(moved), as_vector(copy)) << n;
    Small assigned;
    assigned = copy;
    EXPECT_EQ(as_vector(assigned), as_vector(copy)) << n;
  }
}

TEST(SmallVector, ClearedSpilledVectorIsEmptyAndReusable) {
  Small v{1, 2, 3, 4};
  v.clear();
  EXPECT_TRUE(v.empty());
  v.push_back(7);
  EXPECT_EQ(as_vector(v), std::vector<int>{7});
  const Small copy = v;  // a heap vector copied with one element
  EXPECT_EQ(as_vector(copy), std::vector<int>{7});
}

TEST(SmallVector, InsertResizeAssignAndCompare) {
  Small v{1, 3};
  v.insert(v.begin() + 1, 2);
  EXPECT_EQ(as_vector(v), (std::vector<int>{1, 2, 3}));
  v.insert(v.begin(), 0);  // spills
  EXPECT_EQ(as_vector(v), (std::vector<int>{0, 1, 2, 3}));
  v.resize(6, 9);
  EXPECT_EQ(as_vector(v), (std::vector<int>{0, 1, 2, 3, 9, 9}));
  v.resize(2);
  EXPECT_EQ(as_vector(v), (std::vector<int>{0, 1}));
  const std::vector<int> from{5, 6, 7, 8};
  const Small assigned = from;
  EXPECT_TRUE(assigned == from);
  EXPECT_TRUE(assigned == Small({5, 6, 7, 8}));
  EXPECT_FALSE(assigned == Small({5, 6, 7}));
  EXPECT_EQ(assigned.to_vector(), from);
}

TEST(SmallVector, AtChecksBounds) {
  const Small v{1, 2};
  EXPECT_EQ(v.at(1), 2);
  EXPECT_THROW((void)v.at(2), std::out_of_range);
}

TEST(SmallVector, ViewsAsSpan) {
  const Small v{4, 5, 6, 7};
  const std::span<const int> view = v;
  ASSERT_EQ(view.size(), 4u);
  EXPECT_EQ(view[3], 7);
}

// Generated layer names stay unique when a scope is left and entered again,
// and the builder keeps counting per scope and base name.
TEST(GraphBuilderNames, CountPerScopeAcrossReentry) {
  GraphBuilder b("names", {1, 3, 8, 8});
  Ref x = b.input();
  b.scope("a/");
  x = b.relu(x, "", false);
  b.scope("b/");
  x = b.relu(x, "", false);
  b.scope("a/");
  x = b.relu(x, "", false);
  b.scope("");
  x = b.relu(x, "", false);
  const Graph g = b.finish();
  std::vector<std::string> names;
  for (const Node& n : g.nodes()) names.push_back(n.name);
  EXPECT_EQ(names, (std::vector<std::string>{"a/relu1", "b/relu1", "a/relu2", "relu1"}));
}

}  // namespace
}  // namespace reuselens
