#include <gtest/gtest.h>

#include <algorithm>

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

TEST_F(TreeReadTest, FindDirectoriesReadsOnlyWhereItMayDescend) {
  repo.write("services/a/api/buildspec.yml", "x\n");
  repo.write("services/b/api/deep/api/file", "x\n");
  repo.write("services/b/web/file", "x\n");
  repo.write("other/api/file", "x\n");
  const auto head = repo.commit("one");
  std::vector<std::string> asked;
  const auto found = open().find_directories(
      head,
      [&](const std::string& dir) {
        asked.push_back(dir);
        return dir == "services" || (dir.rfind("services/", 0) == 0 && dir.size() == 10);
      },
      [](const std::string& dir) {
        return dir.size() >= 3 && dir.substr(dir.size() - 3) == "api";
      });
  // other/ is visited but not entered; services/b/api/deep/api lies below a
  // directory the filter keeps out.
  EXPECT_EQ(found, (std::vector<std::string>{"services/a/api", "services/b/api"}));
  // Never asked below services/<x>/: the walk stops at the last segment it may need.
  for (const auto& dir : asked) EXPECT_LE(std::count(dir.begin(), dir.end(), '/'), 2) << dir;
}

TEST_F(TreeReadTest, ExistingFilesKeepsFilesAndSymlinksOnly) {
  repo.write("services/a/buildspec.yml", "a\n");
  repo.write("services/b/buildspec.yml/inside", "a directory of that name\n");
  repo.symlink("../a/buildspec.yml", "services/c/buildspec.yml");
  const auto head = repo.commit("one");
  EXPECT_EQ(open().existing_files(head, {"services/c/buildspec.yml", "services/a/buildspec.yml",
                                         "services/b/buildspec.yml", "services/d/buildspec.yml",
                                         "services/a/buildspec.yml/x"}),
            (std::vector<std::string>{"services/a/buildspec.yml", "services/c/buildspec.yml"}));
}

// A directory sorts in its tree as if its name ended in '/', so `a-b`, `a.c`
// and `a0` lie between where a file `a` and a directory `a` would: lookups
// bisect the tree and must find every one of them, and misses too.
TEST_F(TreeReadTest, LookupsFindNamesThatSortBetweenAFileAndADirectoryOfOneName) {
  repo.write("svc/a/buildspec.yml", "dir a\n");
  repo.write("svc/a-b", "file a-b\n");
  repo.write("svc/a.c", "file a.c\n");
  repo.write("svc/a0/buildspec.yml", "dir a0\n");
  repo.write("svc/b", "file b\n");
  repo.write("svc/b-c/buildspec.yml", "dir b-c\n");
  repo.write("svc/b.d", "file b.d\n");
  for (char c = 'e'; c <= 'z'; ++c) repo.write(std::string("svc/") + c + "/x", "filler\n");
  const auto head = repo.commit("one");
  const Repository repository = open();
  EXPECT_EQ(repository.read_file(head, "svc/a/buildspec.yml"), "dir a\n");
  EXPECT_EQ(repository.read_file(head, "svc/a-b"), "file a-b\n");
  EXPECT_EQ(repository.read_file(head, "svc/a.c"), "file a.c\n");
  EXPECT_EQ(repository.read_file(head, "svc/a0/buildspec.yml"), "dir a0\n");
  EXPECT_EQ(repository.read_file(head, "svc/b"), "file b\n");
  EXPECT_EQ(repository.read_file(head, "svc/b-c/buildspec.yml"), "dir b-c\n");
  EXPECT_EQ(repository.read_file(head, "svc/b.d"), "file b.d\n");
  EXPECT_EQ(repository.read_file(head, "svc/z/x"), "filler\n");
  EXPECT_EQ(repository.read_file(head, "svc/a-"), std::nullopt);
  EXPECT_EQ(repository.read_file(head, "svc/c"), std::nullopt);
  EXPECT_TRUE(repository.is_directory(head, "svc/a"));
  EXPECT_TRUE(repository.is_directory(head, "svc/b-c"));
  EXPECT_FALSE(repository.is_directory(head, "svc/b"));
  EXPECT_EQ(repository.path_kind(head, "svc/a.c"), Repository::PathKind::file);
  EXPECT_EQ(repository.path_kind(head, "svc/a/"), Repository::PathKind::directory);
  EXPECT_EQ(repository.path_kind(head, "svc/b-"), Repository::PathKind::none);
  EXPECT_EQ(repository.existing_files(head, {"svc/a0/buildspec.yml", "svc/a.c", "svc/a",
                                             "svc/b-c/buildspec.yml", "svc/b"}),
            (std::vector<std::string>{"svc/a.c", "svc/a0/buildspec.yml", "svc/b",
                                      "svc/b-c/buildspec.yml"}));
  auto files = repository.list_files(head, "svc");
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"a-b", "a.c", "b", "b.d"}));
}

// read_file and list_files keep the directory trees they went through: each
// answer must stay the one for its own path and commit, whatever was read
// before it (siblings, deeper and shallower paths, misses, another commit).
TEST_F(TreeReadTest, ReadsAfterOneAnotherEachGetTheirOwnFile) {
  repo.write("package.json", "root\n");
  repo.write("services/a/package.json", "a1\n");
  repo.write("services/b/package.json", "b1\n");
  repo.write("services/a/src/deep/x.txt", "deep a\n");
  repo.write("services/file", "a file, not a directory\n");
  repo.symlink("../a/package.json", "services/c/package.json");
  repo.symlink("a", "services/link-to-a");
  const auto c1 = repo.commit("one");
  repo.write("services/a/package.json", "a2\n");
  repo.remove("services/b");
  const auto c2 = repo.commit("two");
  const Repository repository = open();
  for (int round = 0; round < 2; ++round) {  // the second round reads from the kept trees
    EXPECT_EQ(repository.read_file(c1, "services/zz/package.json"), std::nullopt);
    EXPECT_EQ(repository.read_file(c1, "services/a/package.json"), "a1\n");
    EXPECT_EQ(repository.read_file(c1, "services/b/package.json"), "b1\n");
    EXPECT_EQ(repository.read_file(c1, "services/a/src/deep/x.txt"), "deep a\n");
    EXPECT_EQ(repository.read_file(c1, "package.json"), "root\n");
    EXPECT_EQ(repository.read_file(c1, "services/c/package.json"), "a1\n");
    EXPECT_EQ(repository.read_file(c1, "services/link-to-a/package.json"), std::nullopt);
    EXPECT_EQ(repository.read_file(c1, "services/file/package.json"), std::nullopt);
    EXPECT_EQ(repository.read_file(c1, "services/a"), std::nullopt);
    EXPECT_EQ(repository.read_file(c2, "services/a/package.json"), "a2\n");
    EXPECT_EQ(repository.read_file(c2, "services/b/package.json"), std::nullopt);
    EXPECT_EQ(repository.read_file(c2, "services/c/package.json"), "a2\n");
    EXPECT_EQ(repository.read_file(c1, "services/b/package.json"), "b1\n");
    EXPECT_EQ(repository.list_files(c1, "services/b"), (std::vector<std::string>{"package.json"}));
    EXPECT_EQ(repository.list_files(c2, "services/b"), std::vector<std::string>{});
    EXPECT_EQ(repository.list_files(c2, "services/a/"), (std::vector<std::string>{"package.json"}));
    EXPECT_EQ(repository.list_files(c2, "services"),
              (std::vector<std::string>{"file", "link-to-a"}));
    EXPECT_EQ(repository.list_files(c2, "services/file"), std::vector<std::string>{});
  }
  // Paths with an empty segment name nothing, as for libgit2.
  EXPECT_EQ(repository.read_file(c1, "services//a/package.json"), std::nullopt);
  EXPECT_EQ(repository.read_file(c1, "/package.json"), std::nullopt);
  EXPECT_EQ(repository.read_file(c1, "services/a/package.json/"), std::nullopt);
  EXPECT_EQ(repository.list_files(c1, "/services"), std::vector<std::string>{});
}

}  // namespace
