// End-to-end: the checkouts svcdiff meets besides a plain clone (issue 3):
// bare repositories, linked worktrees, subdirectories, a checkout owned by
// another user, local work tree changes, and change lists without git.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

using nlohmann::json;
using namespace std::string_literals;
using Names = std::vector<std::string>;

void write_file(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

class CheckoutsTest : public ::testing::Test {
 protected:
  // Runs svcdiff in `cwd`, writing the services format beside the repository.
  CommandResult svcdiff(const std::string& cwd, std::vector<std::string> args,
                        std::map<std::string, std::string> env = {},
                        const std::optional<std::string>& stdin_text = {}) {
    args.insert(args.end(), {"-o", output()});
    return run_svcdiff(cwd, std::move(args), std::move(env), stdin_text);
  }
  std::string output() const { return repo_.root() + "/ABC.json"; }
  json artifact() const { return json::parse(read_file(output())); }
  Names selected() const { return artifact()["services"].get<Names>(); }
  // A committed svcdiff.yml naming `web`, then a commit that changes it:
  // `--base HEAD~1` selects web exactly when that config is the one read.
  void commit_config_then_web_change() {
    add_services(repo_, {"svc_a", "svc_b"});
    repo_.write("svcdiff.yml", "version: 1\nservices:\n  web: {paths: [services/svc_b/]}\n");
    repo_.commit("config");
    repo_.write("services/svc_b/page.html", "<p>\n");
    repo_.commit("web");
  }

  TempRepo repo_;
};

// A bare repository has no svcdiff.yml on disk: the head commit's is used.
TEST_F(CheckoutsTest, BareRepositoryReadsTheConfigFromTheHeadCommit) {
  add_services(repo_, {"svc_a", "svc_b"});
  repo_.write("svcdiff.yml",
              "version: 1\nservices:\n  api: {paths: [services/svc_a/]}\n"
              "  web: {paths: [services/svc_b/]}\n");
  repo_.commit("config");
  repo_.write("services/svc_b/page.html", "<p>\n");
  repo_.commit("web");
  const std::string bare = repo_.root() + "/bare.git";
  run_git(repo_.root(), {"clone", "-q", "--bare", repo_.path(), bare});

  auto result = svcdiff(bare, {"--base", "HEAD~1"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), Names{"web"});
  result = svcdiff(repo_.root(), {"-C", bare, "--base", "HEAD~1"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), Names{"web"});

  // The usage error alone: no line about the base (unknown, or equal to head) before it.
  for (const auto& args : {Names{"--base", "HEAD~1", "--worktree"}, Names{"--worktree"},
                           Names{"--base", "HEAD", "--worktree"}}) {
    result = svcdiff(bare, args);
    EXPECT_EQ(result.status, 2) << result.err;
    EXPECT_TRUE(
        result.err.starts_with("svcdiff: error: --worktree needs a repository with a "
                               "work tree, and "))
        << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  }
}

// A git directory whose config does not say core.bare (some mirroring tools
// write no config file) is bare, as git tells it: libgit2 took the directory
// above it for its work tree.
TEST_F(CheckoutsTest, GitDirectoryWithoutCoreBareIsBareAsGitTellsIt) {
  commit_config_then_web_change();
  const std::string mirror = repo_.root() + "/mirror";
  run_git(repo_.root(), {"clone", "-q", "--bare", repo_.path(), mirror});
  std::filesystem::remove(mirror + "/config");

  auto result = run_svcdiff(mirror, {"list"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "web\n");  // the head commit's config, not a directory's above
  result = svcdiff(mirror, {"--base", "HEAD~1"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), Names{"web"});
  result = svcdiff(mirror, {"--worktree"});
  EXPECT_EQ(result.status, 2) << result.err;
  EXPECT_TRUE(
      result.err.starts_with("svcdiff: error: --worktree needs a repository with a "
                             "work tree, and "))
      << result.err;
}

// The work tree's svcdiff.yml is the config; one a sparse checkout leaves
// off the disk is not deleted, so the head commit's is read, as in a bare
// repository. (One deleted by hand is an error: tests/testdata/hostile.)
TEST_F(CheckoutsTest, SparseCheckoutWithoutTheConfigReadsTheHeadCommits) {
  commit_config_then_web_change();
  repo_.git("sparse-checkout", "set", "--no-cone", "/services/");
  ASSERT_FALSE(std::filesystem::exists(repo_.at("svcdiff.yml")));

  const auto result = svcdiff(repo_.path(), {"--base", "HEAD~1"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), Names{"web"});
}

// `git clone --no-checkout` writes no index and no file: nothing was
// deleted, so the head commit's config is read, as in a bare repository.
TEST_F(CheckoutsTest, ACloneNotCheckedOutReadsTheHeadCommits) {
  commit_config_then_web_change();
  const std::string clone = repo_.root() + "/not-checked-out";
  run_git(repo_.root(), {"clone", "-q", "--no-checkout", repo_.path(), clone});
  ASSERT_FALSE(std::filesystem::exists(clone + "/svcdiff.yml"));

  const auto result = svcdiff(clone, {"--base", "HEAD~1"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), Names{"web"});
}

TEST_F(CheckoutsTest, LinkedWorktreeDiffsItsOwnHead) {
  add_services(repo_, {"svc_a", "svc_b", "svc_c"});
  const std::string worktree = repo_.root() + "/wt";
  repo_.git("worktree", "add", "-q", "-b", "feature", worktree);
  ASSERT_TRUE(std::filesystem::is_regular_file(worktree + "/.git"));
  write_file(worktree + "/services/svc_c/feature.py", "f\n");
  run_git(worktree, {"add", "-A"});
  run_git(worktree, {"commit", "-q", "-m", "feature"});
  repo_.write("services/svc_a/main.py", "m\n");
  repo_.commit("main moves on");

  auto result = svcdiff(worktree, {"--base", "main", "--merge-base"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), Names{"svc_c"});

  write_file(worktree + "/services/svc_b/local.py", "l\n");
  result = svcdiff(worktree, {"--base", "main", "--merge-base", "--worktree"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), (Names{"svc_b", "svc_c"}));
}

// Like git: the repository is found from any directory below its root, and
// the artifact goes to the current directory.
TEST_F(CheckoutsTest, RunsFromASubdirectoryAndWithDashC) {
  add_services(repo_, {"svc_a", "svc_b"});
  repo_.write("svcdiff.yml", "version: 1\nignore: [\"**/*.md\"]\n");
  repo_.write("services/svc_a/NOTES.md", "notes\n");
  repo_.write("services/svc_b/app.py", "changed\n");
  repo_.commit("b, and notes in a");
  const std::string subdir = repo_.at("services/svc_a");

  auto result = run_svcdiff(subdir, {"--base", "HEAD~1"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(read_file(subdir + "/ABC.json"), "{\"services\":[\"svc_b\"]}\n");

  result = run_svcdiff(repo_.root(), {"-C", subdir, "--base", "HEAD~1"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(read_file(repo_.root() + "/ABC.json"), "{\"services\":[\"svc_b\"]}\n");
}

// Containers often mount a checkout that another uid owns.
TEST_F(CheckoutsTest, CheckoutOfAnotherUserNeedsTrustRepoOwner) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "needs root to give the checkout to another user (CI runs as root)";
  }
  add_services(repo_, {"svc_a", "svc_b"});
  repo_.write("services/svc_a/app.py", "changed\n");
  repo_.commit("a");
  repo_.write("services/svc_b/local.py", "untracked\n");
  ASSERT_EQ(run_command({"chown", "-R", "4242:4242", repo_.path()}, repo_.root()).status, 0);

  auto result = svcdiff(repo_.path(), {"--base", "HEAD~1"});
  EXPECT_EQ(result.status, 1) << result.err;
  EXPECT_TRUE(contains(result.err, "pass --trust-repo-owner to open it anyway")) << result.err;
  EXPECT_FALSE(std::filesystem::exists(output()));

  result = svcdiff(repo_.path(), {"--base", "HEAD~1", "--trust-repo-owner"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), Names{"svc_a"});
  result = svcdiff(repo_.path(), {"--base", "HEAD~1", "--trust-repo-owner", "--worktree"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), (Names{"svc_a", "svc_b"}));
}

TEST_F(CheckoutsTest, WorktreeAddsStagedUnstagedAndUntrackedButNotIgnored) {
  add_services(repo_, {"svc_a", "svc_b", "svc_c", "svc_d", "svc_e"});
  repo_.write(".gitignore", "*.log\n");
  repo_.write("services/svc_e/app.py", "committed\n");
  repo_.commit("e, and ignore logs");
  repo_.write("services/svc_a/staged.py", "staged\n");
  repo_.git("add", "services/svc_a/staged.py");
  repo_.write("services/svc_b/app.py", "unstaged\n");
  repo_.write("services/svc_c/untracked.py", "untracked\n");
  repo_.write("services/svc_d/debug.log", "ignored\n");

  auto result = svcdiff(repo_.path(), {"--base", "HEAD~1", "--worktree", "--format", "items"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), (Names{"svc_a", "svc_b", "svc_c", "svc_e"}));
  EXPECT_EQ(artifact()["waves"][0][2]["reasons"][0]["path"], "services/svc_c/untracked.py");

  result = svcdiff(repo_.path(), {"--base", "HEAD~1"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), Names{"svc_e"});

  result = svcdiff(repo_.path(), {"--base", "HEAD", "--worktree"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), (Names{"svc_a", "svc_b", "svc_c"}));
  EXPECT_TRUE(contains(result.err, "no committed changes")) << result.err;
}

// --all selects every service whatever changed, so `changed` does not read
// the work tree for it: an index it cannot read changes nothing. Items still
// read it, since its changes show there as reasons.
TEST_F(CheckoutsTest, AllWithWorktreeReadsTheWorkTreeOnlyForReasons) {
  add_services(repo_, {"svc_a", "svc_b"});
  repo_.write("services/svc_b/local.py", "untracked\n");
  ASSERT_EQ(svcdiff(repo_.path(), {"--all"}).status, 0);
  const std::string all = read_file(output());

  auto result = svcdiff(repo_.path(), {"--all", "--worktree", "--format", "items"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(artifact()["waves"][0][1]["reasons"][1]["path"], "services/svc_b/local.py");

  write_file(repo_.at(".git/index"), "not an index\n");
  result = svcdiff(repo_.path(), {"--all", "--worktree"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(read_file(output()), all);
  result = svcdiff(repo_.path(), {"--all", "--worktree", "--format", "items"});
  EXPECT_EQ(result.status, 1) << result.err;
  EXPECT_TRUE(contains(result.err, "index")) << result.err;
}

TEST_F(CheckoutsTest, FilesFromTakesNulSeparatedPathsOrStdin) {
  add_services(repo_, {"svc_a", "svc_b", "svc_c"});
  const std::string list = repo_.root() + "/changed.z";
  write_file(list, "services/svc_a/two\nlines.py\0./services/svc_c/app.py\0"s);

  auto result = svcdiff(repo_.path(), {"--files-from", list, "-z", "--format", "items"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), (Names{"svc_a", "svc_c"}));
  EXPECT_EQ(artifact()["base_rule"], "files-from");
  EXPECT_EQ(artifact()["all"], false);
  EXPECT_EQ(artifact()["waves"][0][0]["reasons"][0]["path"], "services/svc_a/two\nlines.py");
  EXPECT_TRUE(contains(result.err, "rule files-from: --files-from " + list)) << result.err;

  result = svcdiff(repo_.path(), {"--files-from", "-"}, {}, "services/svc_b/x.py\n");
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), Names{"svc_b"});
  result = svcdiff(repo_.path(), {"--files-from", "-", "-z"}, {},
                   "services/svc_a/x.py\0services/svc_b/y.py\0"s);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), (Names{"svc_a", "svc_b"}));
}

// --files-from needs no git: it works in CodePipeline's zip artifact, where
// a diff would have no base.
TEST_F(CheckoutsTest, FilesFromWorksWithoutGit) {
  TempRepo plain{TempRepo::Options{.init = false}};
  for (const std::string name : {"svc_a", "svc_b"}) {
    plain.write("services/" + name + "/buildspec.yml", "version: 0.2\n");
  }
  const std::string list = plain.root() + "/changed.z";
  write_file(list, "services/svc_b/app.py\0"s);

  auto result = svcdiff(plain.path(), {"--files-from", list, "-z", "--on-unknown-base", "fail"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), Names{"svc_b"});
  EXPECT_FALSE(contains(result.err, "unknown base")) << result.err;

  // The items format needs a head for the builds' SourceVersion (SPEC §6): without
  // .git it is CodeBuild's source version, recorded as it is.
  result = svcdiff(plain.path(), {"--files-from", "-", "--format", "items"},
                   {{"CODEBUILD_RESOLVED_SOURCE_VERSION", "s3-object-version-7"}},
                   "services/svc_a/app.py\n");
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), Names{"svc_a"});
  EXPECT_EQ(artifact()["base"], nullptr);
  EXPECT_EQ(artifact()["head"], "s3-object-version-7");
  // --worktree has no work tree to read here: the usage error alone says so.
  result = svcdiff(plain.path(), {"--worktree"});
  EXPECT_EQ(result.status, 2) << result.err;
  EXPECT_TRUE(contains(result.err, "there is no git repository at or above")) << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  // Whatever the config says: the usage error depends on no file, so it comes first.
  plain.write("svcdiff.yml", "version: 1\nservices:\n  svc_a: {pathz: [x]}\n");
  result = svcdiff(plain.path(), {"--worktree"});
  EXPECT_EQ(result.status, 2) << result.err;
  EXPECT_TRUE(contains(result.err, "there is no git repository at or above")) << result.err;
}

TEST_F(CheckoutsTest, ItemsWithoutAHeadSayWhatToSet) {
  TempRepo plain{TempRepo::Options{.init = false}};
  plain.write("services/svc_a/buildspec.yml", "version: 0.2\n");
  write_file(output(), "previous\n");
  auto result =
      svcdiff(plain.path(), {"--files-from", "-", "--format", "items"}, {}, "services/svc_a/x\n");
  EXPECT_EQ(result.status, 2) << result.err;
  EXPECT_TRUE(contains(result.err,
                       "svcdiff: error: --format items needs the head commit for the builds' "
                       "SourceVersion, and there is no .git here: set --head, SVCDIFF_HEAD or "
                       "CODEBUILD_RESOLVED_SOURCE_VERSION\n"))
      << result.err;
  EXPECT_EQ(read_file(output()), "previous\n");  // untouched
  // The services format names no commit: no head needed.
  result = svcdiff(plain.path(), {"--files-from", "-"}, {}, "services/svc_a/x\n");
  EXPECT_EQ(result.status, 0) << result.err;
}

}  // namespace
}  // namespace svcdiff::testing
