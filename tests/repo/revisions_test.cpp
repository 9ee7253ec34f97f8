#include <gtest/gtest.h>

#include "core/error.hpp"
#include "repo/repository.hpp"
#include "support/temp_repo.hpp"

namespace {

using svcdiff::repo::Repository;
using svcdiff::testing::run_git;
using svcdiff::testing::TempRepo;
using svcdiff::testing::trim_newline;

Repository open(const std::string& dir) {
  auto repository = Repository::discover({dir});
  if (!repository) throw std::runtime_error("no repository at " + dir);
  return std::move(*repository);
}

std::string error_of(const Repository& repository, const std::string& revision) {
  try {
    repository.resolve_commit(revision);
  } catch (const svcdiff::Error& error) {
    EXPECT_EQ(error.code(), svcdiff::ExitCode::runtime);
    return error.what();
  }
  ADD_FAILURE() << "`" << revision << "` resolved";
  return "";
}

class RevisionsTest : public ::testing::Test {
 protected:
  TempRepo repo;
};

TEST_F(RevisionsTest, ResolvesBranchesTagsShaAndRelativeRevisions) {
  repo.write("a", "1");
  const auto c1 = repo.commit("one");
  repo.git("tag", "-a", "-m", "release", "v1");  // annotated: peeled to its commit
  repo.write("a", "2");
  const auto c2 = repo.commit("two");
  const Repository repository = open(repo.path());
  EXPECT_EQ(repository.resolve_commit("main"), c2);
  EXPECT_EQ(repository.resolve_commit("HEAD"), c2);
  EXPECT_EQ(repository.resolve_commit("refs/heads/main"), c2);
  EXPECT_EQ(repository.resolve_commit("v1"), c1);
  EXPECT_EQ(repository.resolve_commit("HEAD~1"), c1);
  EXPECT_EQ(repository.resolve_commit(c1.substr(0, 10)), c1);
  EXPECT_EQ(repository.resolve_commit(c1), c1);
  EXPECT_EQ(repository.try_resolve_commit("v1"), c1);
}

TEST_F(RevisionsTest, MisspeltBranchIsNamedInTheError) {
  repo.commit("one");
  const Repository repository = open(repo.path());
  const std::string message = error_of(repository, "mian");
  EXPECT_NE(message.find("unknown revision `mian`"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_EQ(repository.try_resolve_commit("mian"), std::nullopt);
  EXPECT_NE(error_of(repository, "HEAD~5").find("`HEAD~5`"), std::string::npos);
  EXPECT_NE(error_of(repository, "").find("empty"), std::string::npos);
}

TEST_F(RevisionsTest, NonCommitObjectIsAnError) {
  repo.write("a", "1");
  repo.commit("one");
  const Repository repository = open(repo.path());
  const std::string message = error_of(repository, "HEAD^{tree}");
  EXPECT_NE(message.find("not a commit"), std::string::npos) << message;
  EXPECT_EQ(repository.try_resolve_commit("HEAD:a"), std::nullopt);
}

TEST_F(RevisionsTest, UnbornHeadIsAnError) {
  const Repository repository = open(repo.path());
  EXPECT_NE(error_of(repository, "HEAD").find("`HEAD`"), std::string::npos);
}

TEST_F(RevisionsTest, HasCommitOnlyForFullIdsItHolds) {
  const auto c1 = repo.commit("one");
  const Repository repository = open(repo.path());
  EXPECT_TRUE(repository.has_commit(c1));
  EXPECT_FALSE(repository.has_commit(std::string(40, '1')));
  EXPECT_FALSE(repository.has_commit("main"));
  EXPECT_FALSE(repository.has_commit(c1.substr(0, 12)));
  const auto tree = trim_newline(repo.git("rev-parse", "HEAD^{tree}"));
  EXPECT_FALSE(repository.has_commit(tree));
}

TEST_F(RevisionsTest, MergeBaseAndAncestryOfDivergedBranches) {
  const auto c1 = repo.commit("one");
  repo.git("checkout", "-q", "-b", "feature");
  const auto f1 = repo.commit("feature work");
  repo.git("checkout", "-q", "main");
  const auto c2 = repo.commit("main work");
  const Repository repository = open(repo.path());

  EXPECT_EQ(repository.merge_base(c2, f1), c1);
  EXPECT_EQ(repository.merge_base(f1, c2), c1);
  EXPECT_EQ(repository.merge_base(c1, c2), c1);
  EXPECT_TRUE(repository.is_ancestor(c1, c2));
  EXPECT_TRUE(repository.is_ancestor(c1, f1));
  EXPECT_TRUE(repository.is_ancestor(c2, c2));
  EXPECT_FALSE(repository.is_ancestor(c2, c1));
  EXPECT_FALSE(repository.is_ancestor(f1, c2));
}

TEST_F(RevisionsTest, UnrelatedHistoriesHaveNoMergeBase) {
  const auto c1 = repo.commit("one");
  repo.git("checkout", "-q", "--orphan", "other");
  const auto o1 = repo.commit("unrelated");
  const Repository repository = open(repo.path());
  EXPECT_EQ(repository.merge_base(c1, o1), std::nullopt);
  EXPECT_FALSE(repository.is_ancestor(c1, o1));
  EXPECT_EQ(repository.merge_base(c1, std::string(40, 'a')), std::nullopt);
}

// A criss-cross merge gives two merge bases: the newest by commit date comes
// first, the one git merge-base prints (git is the oracle), whichever tip is
// asked first and whichever side is newer.
TEST(MergeBases, SeveralAreOrderedNewestFirstAsGitPicks) {
  for (const bool x_newer : {false, true}) {
    TempRepo repo;
    const std::string older = "2024-01-02T00:00:00";
    const std::string newer = "2024-01-03T00:00:00";
    const auto history = svcdiff::testing::make_criss_cross(repo, "a.txt", x_newer ? newer : older,
                                                            "b.txt", x_newer ? older : newer);
    const Repository repository = open(repo.path());
    const std::string gits = trim_newline(repo.git("merge-base", "main", "x"));
    EXPECT_EQ(gits, x_newer ? history.x1 : history.m1);
    const std::vector<std::string> expected =
        x_newer ? std::vector{history.x1, history.m1} : std::vector{history.m1, history.x1};
    EXPECT_EQ(repository.merge_bases(history.main, history.x), expected);
    EXPECT_EQ(repository.merge_bases(history.x, history.main), expected);
    EXPECT_EQ(repository.merge_base(history.main, history.x), gits);
    EXPECT_EQ(repository.merge_base(history.x, history.main), gits);
  }
}

// Between equal dates git's choice follows its walk; svcdiff's is the lower
// id, so it does not depend on the order the commits are asked in.
TEST(MergeBases, OfOneDateAreOrderedByIdEitherWayRound) {
  TempRepo repo;
  const std::string date = "2024-01-02T00:00:00";
  const auto history = svcdiff::testing::make_criss_cross(repo, "a.txt", date, "b.txt", date);
  const Repository repository = open(repo.path());
  const std::vector<std::string> expected = std::min(history.x1, history.m1) == history.x1
                                                ? std::vector{history.x1, history.m1}
                                                : std::vector{history.m1, history.x1};
  EXPECT_EQ(repository.merge_bases(history.main, history.x), expected);
  EXPECT_EQ(repository.merge_bases(history.x, history.main), expected);
  EXPECT_EQ(repository.merge_bases(history.x1, history.m1).size(), 1u);  // the root
}

TEST_F(RevisionsTest, ShallowCloneStopsAtItsBoundary) {
  repo.write("a", "1");
  const auto c1 = repo.commit("one");
  repo.git("checkout", "-q", "-b", "feature");
  repo.write("f", "f");
  const auto f1 = repo.commit("feature");
  repo.git("checkout", "-q", "main");
  repo.write("a", "2");
  const auto c2 = repo.commit("two");
  repo.write("a", "3");
  const auto c3 = repo.commit("three");

  const std::string clone = repo.root() + "/shallow";
  run_git(repo.root(), {"clone", "-q", "--depth", "1", "file://" + repo.path(), clone});
  const Repository shallow = open(clone);
  EXPECT_TRUE(shallow.is_shallow());
  EXPECT_FALSE(open(repo.path()).is_shallow());
  EXPECT_TRUE(shallow.has_commit(c3));
  EXPECT_FALSE(shallow.has_commit(c2));
  EXPECT_FALSE(shallow.has_commit(c1));
  EXPECT_EQ(shallow.merge_base(c3, c1), std::nullopt);
  EXPECT_FALSE(shallow.is_ancestor(c1, c3));
  EXPECT_EQ(shallow.try_resolve_commit(c1), std::nullopt);
  EXPECT_NE(error_of(shallow, c1).find(c1), std::string::npos);
  EXPECT_NE(error_of(shallow, "HEAD~1").find("`HEAD~1`"), std::string::npos);

  // Both tips present, their merge base beyond the boundary: still none,
  // whether the repository was opened before the fetch (libgit2 still has the
  // old boundary and trips over the missing parent) or after it.
  run_git(clone, {"fetch", "-q", "--depth", "1", "origin", "feature"});
  const Repository reopened = open(clone);
  for (const Repository* repository : {&shallow, &reopened}) {
    ASSERT_TRUE(repository->has_commit(f1));
    EXPECT_EQ(repository->merge_base(c3, f1), std::nullopt);
    EXPECT_EQ(repository->merge_base(f1, c3), std::nullopt);
    EXPECT_FALSE(repository->is_ancestor(f1, c3));
    EXPECT_EQ(repository->changes(f1, c3).size(), 2u);  // a modified, f deleted
  }
}

}  // namespace
