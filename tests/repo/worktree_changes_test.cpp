#include <gtest/gtest.h>

#include "core/error.hpp"
#include "repo/repository.hpp"
#include "support/temp_repo.hpp"

namespace {

using svcdiff::ChangedPath;
using svcdiff::ChangeKind;
using svcdiff::repo::Repository;
using svcdiff::testing::run_git;
using svcdiff::testing::TempRepo;

class WorktreeChangesTest : public ::testing::Test {
 protected:
  std::vector<ChangedPath> worktree_changes(const std::string& head) const {
    auto repository = Repository::discover({repo.path()});
    if (!repository) throw std::runtime_error("no repository");
    return repository->worktree_changes(head);
  }

  TempRepo repo;
};

TEST_F(WorktreeChangesTest, CleanWorkTreeHasNoChanges) {
  repo.write("a.txt", "a\n");
  const auto head = repo.commit("one");
  EXPECT_TRUE(worktree_changes(head).empty());
}

TEST_F(WorktreeChangesTest, ReportsStagedUnstagedAndUntrackedButNotIgnored) {
  repo.write(".gitignore", "*.log\nbuild/\n");
  repo.write("staged.txt", "1\n");
  repo.write("unstaged.txt", "1\n");
  repo.write("gone.txt", "1\n");
  repo.write("moved/from.txt", "m\n");
  const auto head = repo.commit("base");

  repo.write("staged.txt", "2\n");
  repo.git("add", "staged.txt");
  repo.write("new-staged.txt", "n\n");
  repo.git("add", "new-staged.txt");
  repo.write("unstaged.txt", "2\n");
  repo.remove("gone.txt");
  repo.git("mv", "moved/from.txt", "moved/to.txt");
  repo.write("untracked/deep/u.txt", "u\n");
  repo.write("debug.log", "ignored\n");
  repo.write("build/out.bin", "ignored\n");

  EXPECT_EQ(worktree_changes(head), (std::vector<ChangedPath>{
                                        {"gone.txt", ChangeKind::deleted, false},
                                        {"moved/from.txt", ChangeKind::deleted, false},
                                        {"moved/to.txt", ChangeKind::added, false},
                                        {"new-staged.txt", ChangeKind::added, false},
                                        {"staged.txt", ChangeKind::modified, false},
                                        {"unstaged.txt", ChangeKind::modified, false},
                                        {"untracked/deep/u.txt", ChangeKind::added, false},
                                    }));
}

TEST_F(WorktreeChangesTest, RewrittenButEqualFileIsNotAChange) {
  repo.write("a.txt", "same\n");
  const auto head = repo.commit("one");
  repo.write("a.txt", "same\n");  // new mtime, same bytes
  EXPECT_TRUE(worktree_changes(head).empty());
}

TEST_F(WorktreeChangesTest, ComparesWithTheGivenCommitNotHead) {
  repo.write("a.txt", "1\n");
  const auto c1 = repo.commit("one");
  repo.write("b.txt", "b\n");
  repo.commit("two");
  repo.write("c.txt", "c\n");
  EXPECT_EQ(worktree_changes(c1), (std::vector<ChangedPath>{{"b.txt", ChangeKind::added, false},
                                                            {"c.txt", ChangeKind::added, false}}));
}

TEST_F(WorktreeChangesTest, TypeChangeInTheWorkTree) {
  repo.write("a.txt", "1\n");
  repo.write("svc", "file\n");
  const auto head = repo.commit("one");
  repo.symlink("b.txt", "a.txt");
  repo.remove("svc");
  repo.write("svc/inner.txt", "now a directory\n");
  EXPECT_EQ(worktree_changes(head),
            (std::vector<ChangedPath>{{"a.txt", ChangeKind::type_changed, false},
                                      {"svc", ChangeKind::deleted, false},
                                      {"svc/inner.txt", ChangeKind::added, false}}));
}

TEST_F(WorktreeChangesTest, UntrackedNestedRepositoryIsOneDirectory) {
  repo.write("a.txt", "1\n");
  const auto head = repo.commit("one");
  run_git(repo.path(), {"init", "-q", "nested"});
  repo.write("nested/x.txt", "x\n");
  EXPECT_EQ(worktree_changes(head),
            (std::vector<ChangedPath>{{"nested", ChangeKind::added, true}}));
}

TEST_F(WorktreeChangesTest, StagedThenDeletedFileIsStillReported) {
  repo.write("a.txt", "1\n");
  const auto head = repo.commit("one");
  repo.write("new.txt", "n\n");
  repo.git("add", "new.txt");
  repo.remove("new.txt");                     // git status: "AD new.txt"
  repo.git("rm", "-q", "--cached", "a.txt");  // git status: "D  a.txt" and "?? a.txt"
  EXPECT_EQ(worktree_changes(head),
            (std::vector<ChangedPath>{{"a.txt", ChangeKind::modified, false},
                                      {"new.txt", ChangeKind::added, false}}));
}

TEST_F(WorktreeChangesTest, SubmoduleAtAnotherCommitIsOneDirectory) {
  const std::string lib = repo.root() + "/lib";
  run_git(repo.root(), {"init", "-q", lib});
  run_git(lib, {"commit", "-q", "--allow-empty", "-m", "one"});
  run_git(lib, {"commit", "-q", "--allow-empty", "-m", "two"});
  repo.git("submodule", "add", "-q", lib, "ext/lib");
  const auto head = repo.commit("submodule");
  EXPECT_TRUE(worktree_changes(head).empty());
  run_git(repo.at("ext/lib"), {"checkout", "-q", "HEAD~1"});
  EXPECT_EQ(worktree_changes(head),
            (std::vector<ChangedPath>{{"ext/lib", ChangeKind::modified, true}}));
}

TEST_F(WorktreeChangesTest, BareRepositoryIsAnError) {
  repo.write("a.txt", "1\n");
  const auto head = repo.commit("one");
  const std::string bare = repo.root() + "/bare.git";
  run_git(repo.root(), {"clone", "-q", "--bare", repo.path(), bare});
  auto repository = Repository::discover({bare});
  ASSERT_TRUE(repository);
  try {
    repository->worktree_changes(head);
    FAIL() << "expected an error";
  } catch (const svcdiff::Error& error) {
    EXPECT_NE(std::string(error.what()).find("bare"), std::string::npos) << error.what();
  }
}

}  // namespace
