// Object ids computed without a repository, against git's own.
#include "repo/objects.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "repo/repository.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::repo {
namespace {

using testing::TempRepo;
using testing::trim_newline;

TEST(ObjectIds, BlobIdEqualsGitHashObject) {
  TempRepo repo;
  for (const std::string& content : {std::string(), std::string("hello\n"),
                                     std::string("a\0b\xff", 4), std::string(70000, 'x')}) {
    repo.write("file", content);
    EXPECT_EQ(blob_id(content), trim_newline(repo.git("hash-object", "file")));
  }
}

TEST(ObjectIds, TreeIdEqualsGitsAndSortsDirectoriesAsIfTheyEndInASlash) {
  TempRepo repo;
  // "a-b" < "a/" < "a0" in git's order, while plain name order puts "a" first.
  repo.write("a-b", "1\n");
  repo.write("a/x", "2\n");
  repo.write("a0", "3\n");
  repo.write("run.sh", "#!/bin/sh\n");
  repo.set_executable("run.sh", true);
  repo.symlink("a0", "link");
  const std::string commit = repo.commit("tree");
  auto open = Repository::discover({repo.path()});
  ASSERT_TRUE(open);
  CommitTree tree(*open, commit);
  std::vector<TreeEntry> entries = tree.list("");
  std::reverse(entries.begin(), entries.end());
  EXPECT_EQ(tree_id(entries), trim_newline(repo.git("rev-parse", "HEAD^{tree}")));
  EXPECT_EQ(tree_id({}), kEmptyTreeId);
}

TEST(CommitTree, EntryAndListReadAnyDepth) {
  TempRepo repo;
  repo.write("services/a/src/main.py", "print()\n");
  const std::string commit = repo.commit("one");
  auto open = Repository::discover({repo.path()});
  ASSERT_TRUE(open);
  CommitTree tree(*open, commit);
  auto entry = tree.entry("services/a");
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->mode, kModeTree);
  EXPECT_EQ(entry->id, trim_newline(repo.git("rev-parse", "HEAD:services/a")));
  auto file = tree.entry("services/a/src/main.py");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->mode, kModeFile);
  EXPECT_FALSE(tree.entry("services/b"));
  EXPECT_FALSE(tree.entry("services/a/src/main.py/x"));
  ASSERT_EQ(tree.list("services/a").size(), 1u);
  EXPECT_EQ(tree.list("services/a")[0].name, "src");
  EXPECT_TRUE(tree.list("services/a/src/main.py").empty());
  EXPECT_EQ(tree.entry("")->id, trim_newline(repo.git("rev-parse", "HEAD^{tree}")));
}

}  // namespace
}  // namespace svcdiff::repo
