#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "repo/repository.hpp"
#include "support/temp_repo.hpp"

namespace {

using svcdiff::ChangedPath;
using svcdiff::ChangeKind;
using svcdiff::repo::OpenOptions;
using svcdiff::repo::Repository;
using svcdiff::testing::run_git;
using svcdiff::testing::TempRepo;
using svcdiff::testing::trim_newline;

// Runs `body`, expecting a runtime svcdiff::Error whose message contains `needle`.
template <typename Body>
void expect_error_containing(Body body, const std::string& needle) {
  try {
    body();
    ADD_FAILURE() << "expected an error containing " << needle;
  } catch (const svcdiff::Error& error) {
    EXPECT_EQ(error.code(), svcdiff::ExitCode::runtime);
    EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
  }
}

TEST(DiscoverTest, FindsTheRepositoryFromASubdirectory) {
  TempRepo repo;
  repo.write("services/a/deep/file.txt", "x\n");
  const auto head = repo.commit("one");
  const auto found = Repository::discover({repo.at("services/a/deep")});
  ASSERT_TRUE(found);
  EXPECT_EQ(found->workdir(), repo.path() + "/");
  EXPECT_EQ(found->git_dir(), repo.path() + "/.git/");
  EXPECT_FALSE(found->is_bare());
  EXPECT_FALSE(found->is_shallow());
  EXPECT_EQ(found->resolve_commit("HEAD"), head);
}

TEST(DiscoverTest, NoRepositoryIsNullopt) {
  TempRepo::Options options;
  options.init = false;
  TempRepo empty(options);
  std::filesystem::create_directories(empty.at("sub"));
  EXPECT_FALSE(Repository::discover({empty.path()}));
  EXPECT_FALSE(Repository::discover({empty.at("sub")}));
}

TEST(DiscoverTest, BrokenGitFileIsAnErrorNotNoRepository) {
  TempRepo::Options options;
  options.init = false;
  TempRepo checkout(options);
  checkout.write(".git", "gitdir: " + checkout.root() + "/gone/.git/worktrees/x\n");
  checkout.write("sub/file.txt", "x\n");
  expect_error_containing([&] { Repository::discover({checkout.at("sub")}); }, checkout.at(".git"));
}

TEST(DiscoverTest, MissingDirectoryIsAnErrorNamingIt) {
  TempRepo repo;
  const std::string missing = repo.at("no/such/dir");
  expect_error_containing([&] { Repository::discover({missing}); }, missing);
}

TEST(DiscoverTest, OpensABareRepository) {
  TempRepo repo;
  repo.write("svcdiff.yml", "version: 1\n");
  const auto c1 = repo.commit("one");
  repo.write("services/a/app.py", "a\n");
  const auto c2 = repo.commit("two");
  const std::string bare = repo.root() + "/bare.git";
  run_git(repo.root(), {"clone", "-q", "--bare", repo.path(), bare});

  for (const std::string& start : {bare, bare + "/refs"}) {
    const auto found = Repository::discover({start});
    ASSERT_TRUE(found) << start;
    EXPECT_TRUE(found->is_bare());
    EXPECT_EQ(found->workdir(), "");
    EXPECT_EQ(found->resolve_commit("main"), c2);
    EXPECT_EQ(found->changes(c1, c2),
              (std::vector<ChangedPath>{{"services/a/app.py", ChangeKind::added, false}}));
    EXPECT_EQ(found->read_file(c2, "svcdiff.yml"), "version: 1\n");
  }
}

TEST(DiscoverTest, OpensALinkedWorktree) {
  TempRepo repo;
  repo.write("a.txt", "a\n");
  const auto main_head = repo.commit("one");
  const std::string worktree = repo.root() + "/wt";
  repo.git("worktree", "add", "-q", "-b", "feature", worktree);
  run_git(worktree, {"commit", "-q", "--allow-empty", "-m", "on feature"});
  const auto feature_head = trim_newline(run_git(worktree, {"rev-parse", "HEAD"}));
  std::filesystem::create_directories(worktree + "/sub");

  const auto found = Repository::discover({worktree + "/sub"});
  ASSERT_TRUE(found);
  EXPECT_EQ(found->workdir(), worktree + "/");
  EXPECT_FALSE(found->is_bare());
  EXPECT_EQ(found->resolve_commit("HEAD"), feature_head);
  EXPECT_EQ(found->resolve_commit("main"), main_head);
  EXPECT_TRUE(found->is_ancestor(main_head, feature_head));

  std::ofstream(worktree + "/b.txt") << "b\n";
  EXPECT_EQ(found->worktree_changes(feature_head),
            (std::vector<ChangedPath>{{"b.txt", ChangeKind::added, false}}));
}

TEST(DiscoverTest, RepositoryOfAnotherUserNeedsTrust) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give the repository to another user";
  TempRepo repo;
  repo.write("a.txt", "a\n");
  const auto head = repo.commit("one");
  constexpr uid_t kStranger = 4242;
  ASSERT_EQ(::chown(repo.path().c_str(), kStranger, kStranger), 0);
  ASSERT_EQ(::chown(repo.at(".git").c_str(), kStranger, kStranger), 0);

  expect_error_containing([&] { Repository::discover({repo.path()}); }, "--trust-repo-owner");
  OpenOptions trusted{repo.path(), true};
  const auto found = Repository::discover(trusted);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->resolve_commit("HEAD"), head);
  // Trust is per call although libgit2's switch is process-wide.
  expect_error_containing([&] { Repository::discover({repo.path()}); }, "--trust-repo-owner");
}

}  // namespace
