// DiscoveryTree from a known list (the result cache's) on plain data, and
// from a repository with what the diff walk saw.
#include "cli/discovery_tree.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/temp_repo.hpp"

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

// What the walk saw (svc/a, svc/b, svc/f: changed) and what it did not
// (svc/c, svc/d) answer together, sorted, whatever order the paths come in: the
// seen ones are merged with the looked-up ones when the paths come sorted.
TEST(DiscoveryTree, WalkNotesAndTreeLookupsAnswerTogetherSorted) {
  testing::TempRepo repo;
  for (const char* dir : {"svc/a", "svc/b", "svc/c", "svc/d", "svc/f"}) {
    repo.write(std::string(dir) + "/buildspec.yml", "version: 0.2\n");
    repo.write(std::string(dir) + "/x.txt", "0\n");
  }
  repo.write("svc/e/x.txt", "0\n");
  const std::string base = repo.commit("layout");
  repo.write("svc/a/x.txt", "1\n");
  repo.write("svc/b/x.txt", "1\n");
  repo.write("svc/f/x.txt", "1\n");
  repo.remove("svc/b/buildspec.yml");
  const std::string head = repo.commit("change");

  config::Config config;
  config.discover.push_back({"svc/*"});
  SeenRequireFiles seen(config);
  auto repository = repo::Repository::discover({repo.path()});
  ASSERT_TRUE(repository);
  repository->changes(base, head, nullptr, nullptr, &seen);
  ASSERT_EQ(seen.holds("svc/a/buildspec.yml"), true);
  ASSERT_EQ(seen.holds("svc/b/buildspec.yml"), false);
  ASSERT_EQ(seen.holds("svc/c/buildspec.yml"), std::nullopt);

  const DiscoveryTree tree(*repository, head, &seen);
  const Paths found = {"svc/a/buildspec.yml", "svc/c/buildspec.yml", "svc/d/buildspec.yml",
                       "svc/f/buildspec.yml"};
  EXPECT_EQ(
      tree.existing_files({"svc/a/buildspec.yml", "svc/b/buildspec.yml", "svc/c/buildspec.yml",
                           "svc/d/buildspec.yml", "svc/e/buildspec.yml", "svc/f/buildspec.yml"}),
      found);
  EXPECT_EQ(
      tree.existing_files({"svc/f/buildspec.yml", "svc/d/buildspec.yml", "svc/e/buildspec.yml",
                           "svc/a/buildspec.yml", "svc/c/buildspec.yml"}),
      found);
}

}  // namespace
}  // namespace svcdiff::cli
