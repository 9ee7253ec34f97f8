// DiscoveryTree from a known list (the result cache's) on plain data.
#include "cli/discovery_tree.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace svcdiff::cli {
namespace {

using Paths = std::vector<std::string>;

// Sorted paths are searched from where the path before was found; paths out
// of order start over each, and both answers come out sorted.
TEST(DiscoveryTree, KnownListAnswersPathsInAnyOrderAlike) {
  const cache::PathList known = {"a/buildspec.yml", "b/x/buildspec.yml", "c/buildspec.yml",
                                 "d/buildspec.yml"};
  const DiscoveryTree tree(known);
  const Paths found = {"a/buildspec.yml", "c/buildspec.yml", "d/buildspec.yml"};
  EXPECT_EQ(tree.existing_files({"a/buildspec.yml", "b/buildspec.yml", "c/buildspec.yml",
                                 "d/buildspec.yml", "e/buildspec.yml"}),
            found);
  EXPECT_EQ(tree.existing_files({"d/buildspec.yml", "zz", "c/buildspec.yml", "a/buildspec.yml"}),
            found);
  EXPECT_TRUE(tree.existing_files({}).empty());
}

// An unsorted list is sorted once (a copy), then answers as a sorted one.
TEST(DiscoveryTree, UnsortedKnownListIsSearchedSorted) {
  const cache::PathList known = {"c/buildspec.yml", "a/buildspec.yml"};
  ASSERT_FALSE(known.sorted());
  const DiscoveryTree tree(known);
  EXPECT_EQ(tree.existing_files({"a/buildspec.yml", "b/buildspec.yml", "c/buildspec.yml"}),
            (Paths{"a/buildspec.yml", "c/buildspec.yml"}));
}

}  // namespace
}  // namespace svcdiff::cli
