#include <gtest/gtest.h>

#include "repo/repository.hpp"
#include "support/temp_repo.hpp"

namespace {

using svcdiff::repo::Repository;
using svcdiff::testing::TempRepo;

class TreeReadTest : public ::testing::Test {
 protected:
  Repository open() const {
    auto repository = Repository::discover({repo.path()});
    if (!repository) throw std::runtime_error("no repository");
    return std::move(*repository);
  }

  TempRepo repo;
};

TEST_F(TreeReadTest, ReadFileReturnsTheBlobAtThatCommit) {
  repo.write("svcdiff.yml", "version: 1\n");
  repo.write("bin/data", std::string("\0\xff\n", 3));
  const auto c1 = repo.commit("one");
  repo.write("svcdiff.yml", "version: 2\n");
  const auto c2 = repo.commit("two");
  const Repository repository = open();
  EXPECT_EQ(repository.read_file(c1, "svcdiff.yml"), "version: 1\n");
  EXPECT_EQ(repository.read_file(c2, "svcdiff.yml"), "version: 2\n");
  EXPECT_EQ(repository.read_file(c2, "bin/data"), std::string("\0\xff\n", 3));
  EXPECT_EQ(repository.read_file(c2, "missing.yml"), std::nullopt);
  EXPECT_EQ(repository.read_file(c2, "bin"), std::nullopt);  // a directory
  EXPECT_EQ(repository.read_file(c2, "bin/data/x"), std::nullopt);
  EXPECT_EQ(repository.read_file(c2, ""), std::nullopt);
}

TEST_F(TreeReadTest, ReadFileFollowsSymlinksInsideTheTree) {
  repo.write("config/svcdiff.yml", "version: 1\n");
  repo.symlink("config/svcdiff.yml", "svcdiff.yml");
  repo.symlink("../svcdiff.yml", "nested/link.yml");  // a chain: link -> link -> file
  repo.symlink("../../outside.yml", "escape.yml");
  repo.symlink("loop-b", "loop-a");
  repo.symlink("loop-a", "loop-b");
  const auto head = repo.commit("links");
  const Repository repository = open();
  EXPECT_EQ(repository.read_file(head, "svcdiff.yml"), "version: 1\n");
  EXPECT_EQ(repository.read_file(head, "nested/link.yml"), "version: 1\n");
  EXPECT_EQ(repository.read_file(head, "escape.yml"), std::nullopt);
  EXPECT_EQ(repository.read_file(head, "loop-a"), std::nullopt);
}

TEST_F(TreeReadTest, IsDirectoryOnlyForTrees) {
  repo.write("services/a/app.py", "a\n");
  repo.write("README", "r\n");
  const auto head = repo.commit("one");
  const Repository repository = open();
  EXPECT_TRUE(repository.is_directory(head, "services"));
  EXPECT_TRUE(repository.is_directory(head, "services/"));
  EXPECT_TRUE(repository.is_directory(head, "services/a"));
  EXPECT_TRUE(repository.is_directory(head, ""));  // the root
  EXPECT_FALSE(repository.is_directory(head, "README"));
  EXPECT_FALSE(repository.is_directory(head, "README/x"));
  EXPECT_FALSE(repository.is_directory(head, "services/b"));
}

TEST_F(TreeReadTest, FindFilesNamedWalksTheWholeTree) {
  repo.write("buildspec.yml", "root\n");
  repo.write("services/b/buildspec.yml", "b\n");
  repo.write("services/a/buildspec.yml", "a\n");
  repo.write("services/a/deep/er/buildspec.yml", "deep\n");
  repo.write("services/c/buildspec.yml/not-a-file", "a directory of that name\n");
  repo.write("services/d/xbuildspec.yml", "other name\n");
  const auto head = repo.commit("one");
  EXPECT_EQ(
      open().find_files_named(head, "buildspec.yml"),
      (std::vector<std::string>{"buildspec.yml", "services/a/buildspec.yml",
                                "services/a/deep/er/buildspec.yml", "services/b/buildspec.yml"}));
  EXPECT_TRUE(open().find_files_named(head, "nothing").empty());
}

}  // namespace
