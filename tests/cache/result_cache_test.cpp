// The result cache seen from outside: where it lives, what it ignores, and
// that a run never depends on it (SPEC addition, README "Cache").
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

namespace fs = std::filesystem;

class ResultCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"web", "api", "common"}) {
      repo_.write(std::string("services/") + name + "/buildspec.yml", "version: 0.2\n");
      repo_.write(std::string("services/") + name + "/main.js", "1\n");
    }
    repo_.write("services/web/package.json",
                R"({"name": "web", "dependencies": {"common": "1", "api": "2"}})");
    repo_.write("services/common/package.json", R"({"name": "common"})");
    repo_.write("svcdiff.yml", "version: 1\ninfer: [npm]\ndiscover:\n  - {glob: \"services/*\"}\n");
    base_ = repo_.commit("services");
    repo_.write("services/common/main.js", "2\n");
    repo_.commit("common changed");
  }

  std::string cache_file() const { return repo_.at(".git/svcdiff/cache"); }

  // The same command with the cache and without it: same output, status and
  // messages. Returns the -v messages of a third run, with the cache.
  // `prepare` runs before each (a run may rewrite the cache).
  std::string expect_same_as_without_cache(
      const std::vector<std::string>& args, const std::function<void()>& prepare = [] {}) {
    prepare();
    const auto cached = run_svcdiff(repo_.path(), args);
    prepare();
    const auto cold = run_svcdiff(repo_.path(), args, {{"SVCDIFF_NO_CACHE", "1"}});
    EXPECT_EQ(cached.status, cold.status);
    EXPECT_EQ(cached.out, cold.out);
    EXPECT_EQ(cached.err, cold.err);
    auto verbose = args;
    verbose.insert(verbose.begin(), "-v");
    prepare();
    return run_svcdiff(repo_.path(), verbose).err;
  }

  std::vector<std::string> changed() const {
    return {"changed", "--base", base_, "--format", "text", "-o", "-"};
  }

  TempRepo repo_;
  std::string base_;
};

TEST_F(ResultCacheTest, WrittenInTheGitDirectoryAndReused) {
  auto first = run_svcdiff(repo_.path(), {"-v", "list"});
  ASSERT_EQ(first.status, 0) << first.err;
  EXPECT_TRUE(contains(first.err, "cache: written")) << first.err;
  EXPECT_TRUE(fs::is_regular_file(cache_file()));
  const std::string err = expect_same_as_without_cache(changed());
  EXPECT_TRUE(contains(err, "cache: reused (discovery and infer")) << err;
  // Nothing in the work tree, not even an ignored file.
  EXPECT_EQ(repo_.git("status", "--porcelain", "--ignored"), "");
}

// A run takes the config as the cache keeps it parsed only when the bytes
// are the ones the cache was written for: an edited svcdiff.yml is parsed.
TEST_F(ResultCacheTest, TheParsedConfigIsTakenOnlyForTheSameBytes) {
  ASSERT_EQ(run_svcdiff(repo_.path(), {"list"}).status, 0);
  const std::string taken = "config: svcdiff.yml as the result cache keeps it parsed";
  std::string err = expect_same_as_without_cache(changed());
  EXPECT_TRUE(contains(err, taken)) << err;
  // Without infer web no longer depends on common: an old config would
  // still select it.
  repo_.write("svcdiff.yml", "version: 1\ndiscover:\n  - {glob: \"services/*\"}\n");
  const auto edited = run_svcdiff(repo_.path(), {"-v", "changed", "--base", base_, "-o", "-"});
  ASSERT_EQ(edited.status, 0) << edited.err;
  EXPECT_FALSE(contains(edited.err, taken)) << edited.err;
  EXPECT_EQ(edited.out, "{\"services\":[\"common\"]}\n");
  err = expect_same_as_without_cache(changed());
  EXPECT_TRUE(contains(err, taken)) << err;
  // A broken edit is reported as ever, cache or not.
  repo_.write("svcdiff.yml", "version: 1\ndiscover: [\n");
  const auto broken = run_svcdiff(repo_.path(), {"changed", "--base", base_});
  EXPECT_EQ(broken.status, 3) << broken.err;
  EXPECT_TRUE(contains(broken.err, "svcdiff.yml:")) << broken.err;
  EXPECT_FALSE(contains(broken.err, taken)) << broken.err;
  // --no-cache and SVCDIFF_NO_CACHE parse it.
  repo_.write("svcdiff.yml", "version: 1\ndiscover:\n  - {glob: \"services/*\"}\n");
  ASSERT_EQ(run_svcdiff(repo_.path(), {"list"}).status, 0);
  for (const auto& off : {run_svcdiff(repo_.path(), {"-v", "--no-cache", "list"}),
                          run_svcdiff(repo_.path(), {"-v", "list"}, {{"SVCDIFF_NO_CACHE", "1"}})}) {
    EXPECT_EQ(off.status, 0) << off.err;
    EXPECT_FALSE(contains(off.err, taken)) << off.err;
  }
}

// The config's name reaches only infer's warnings: without infer a cache
// written under another name is reused whole and not rewritten.
TEST_F(ResultCacheTest, WithoutInferTheConfigsNameDoesNotMatter) {
  repo_.write("svcdiff.yml", "version: 1\ndiscover:\n  - {glob: \"services/*\"}\n");
  ASSERT_EQ(run_svcdiff(repo_.path(), {"list"}).status, 0);
  const std::string by_path = repo_.at("svcdiff.yml");
  const auto again = run_svcdiff(repo_.path(), {"-v", "-c", by_path, "list"});
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_TRUE(contains(again.err, "cache: reused (discovery")) << again.err;
  EXPECT_FALSE(contains(again.err, "infer recomputed")) << again.err;
  EXPECT_FALSE(contains(again.err, "cache: written")) << again.err;
  // With infer the name still counts (it is in infer's warnings).
  repo_.write("svcdiff.yml", "version: 1\ninfer: [npm]\ndiscover:\n  - {glob: \"services/*\"}\n");
  ASSERT_EQ(run_svcdiff(repo_.path(), {"list"}).status, 0);
  const auto inferring = run_svcdiff(repo_.path(), {"-v", "-c", by_path, "list"});
  EXPECT_TRUE(contains(inferring.err, "infer recomputed (config named")) << inferring.err;
}

TEST_F(ResultCacheTest, MalformedTruncatedOrOtherFormatIsIgnoredAndRewritten) {
  ASSERT_EQ(run_svcdiff(repo_.path(), {"list"}).status, 0);
  std::string bytes;
  {
    std::ifstream in(cache_file(), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::string other_format = bytes;
  other_format.replace(other_format.find("format 3"), 8, "format 7");
  std::string flipped = bytes;
  flipped[bytes.size() / 2] = static_cast<char>(flipped[bytes.size() / 2] ^ 1);
  for (const std::string& damaged :
       {bytes.substr(0, bytes.size() / 2), other_format, flipped, std::string("garbage")}) {
    const std::string err = expect_same_as_without_cache(changed(), [&] {
      std::ofstream(cache_file(), std::ios::binary | std::ios::trunc) << damaged;
    });
    EXPECT_TRUE(contains(err, "is malformed or of another format")) << err;
    // The run rewrote it: the next one reuses it.
    const auto next = run_svcdiff(repo_.path(), {"-v", "list"});
    EXPECT_TRUE(contains(next.err, "cache: reused")) << next.err;
  }
}

TEST_F(ResultCacheTest, AnotherConfigsCacheIsNotUsed) {
  const std::string other = repo_.root() + "/other.yml";
  std::ofstream(other) << "version: 1\ndiscover:\n  - {glob: \"services/*\"}\n";
  const std::string err = expect_same_as_without_cache(changed(), [&] {
    ASSERT_EQ(run_svcdiff(repo_.path(), {"-c", other, "list"}).status, 0);
  });
  EXPECT_TRUE(contains(err, "written for another config")) << err;
  // With infer (this config) web depends on common; the other config's
  // result, without infer, would not select web.
  ASSERT_EQ(run_svcdiff(repo_.path(), {"-c", other, "list"}).status, 0);
  EXPECT_TRUE(contains(run_svcdiff(repo_.path(), changed()).out, "web")) << err;
}

TEST_F(ResultCacheTest, SomethingElseWhereTheFileGoesIsNotRead) {
  // A directory made the read allocate the size lseek gave (bad_alloc, exit
  // 1); a FIFO blocked the run forever. Neither is a cache.
  const std::string err = expect_same_as_without_cache(changed(), [&] {
    fs::remove_all(cache_file());
    fs::create_directories(cache_file());
  });
  EXPECT_TRUE(contains(err, "is not a regular file, or cannot be read")) << err;
  const std::string fifo = expect_same_as_without_cache(changed(), [&] {
    fs::remove_all(cache_file());
    ASSERT_EQ(::mkfifo(cache_file().c_str(), 0600), 0);
  });
  EXPECT_TRUE(contains(fifo, "is not a regular file, or cannot be read")) << fifo;
}

TEST_F(ResultCacheTest, ACommitWhoseTreesAreGoneIsNotUsed) {
  // The cache's commit is there, one of its trees is not (a damaged or
  // partial clone): the diff from it fails, and the run must not.
  repo_.write("scratch/only-here.txt", "1\n");
  repo_.commit("a tree nothing else has");
  ASSERT_EQ(run_svcdiff(repo_.path(), {"list"}).status, 0);
  const std::string saved = repo_.root() + "/saved-cache";
  fs::copy_file(cache_file(), saved);
  const std::string tree = trim_newline(repo_.git("rev-parse", "HEAD:scratch"));
  repo_.remove("scratch/only-here.txt");
  repo_.commit("gone again");
  fs::remove(repo_.at(".git/objects/" + tree.substr(0, 2) + "/" + tree.substr(2)));
  const std::string err = expect_same_as_without_cache(
      changed(), [&] { fs::copy_file(saved, cache_file(), fs::copy_options::overwrite_existing); });
  EXPECT_TRUE(contains(err, "cache: recomputed (cannot compare")) << err;
}

TEST_F(ResultCacheTest, AGitDirectoryThatCannotTakeItStillRuns) {
  // A file where the cache's directory would go: nothing can be created
  // there (a read-only git directory does the same, but tests may run as root).
  repo_.write(".git/svcdiff", "not a directory\n");
  const auto run = run_svcdiff(repo_.path(), {"-v", "changed", "--base", base_, "-o", "-"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_TRUE(contains(run.err, "cache: not written (cannot create")) << run.err;
  expect_same_as_without_cache(changed());
}

TEST_F(ResultCacheTest, ReadOnlyGitDirectoryStillRuns) {
  ASSERT_EQ(run_svcdiff(repo_.path(), {"list"}).status, 0);
  fs::remove(cache_file());
  fs::permissions(repo_.at(".git/svcdiff"), fs::perms::owner_read | fs::perms::owner_exec);
  const auto run = run_svcdiff(repo_.path(), {"-v", "changed", "--base", base_, "-o", "-"});
  fs::permissions(repo_.at(".git/svcdiff"), fs::perms::owner_all);
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_TRUE(contains(run.err, "web")) << run.err;
}

TEST_F(ResultCacheTest, TurnedOffOrWithTheWorkTreeNothingIsReadOrWritten) {
  const auto off = run_svcdiff(repo_.path(), {"-v", "list"}, {{"SVCDIFF_NO_CACHE", "1"}});
  EXPECT_EQ(off.status, 0);
  EXPECT_TRUE(contains(off.err, "cache: off (SVCDIFF_NO_CACHE)")) << off.err;
  EXPECT_FALSE(fs::exists(repo_.at(".git/svcdiff")));
  const auto flag = run_svcdiff(repo_.path(), {"-v", "--no-cache", "list"});
  EXPECT_EQ(flag.status, 0);
  EXPECT_TRUE(contains(flag.err, "cache: off (--no-cache)")) << flag.err;
  EXPECT_FALSE(fs::exists(repo_.at(".git/svcdiff")));
  const auto worktree =
      run_svcdiff(repo_.path(), {"-v", "changed", "--worktree", "--base", base_, "-o", "-"});
  EXPECT_EQ(worktree.status, 0) << worktree.err;
  EXPECT_FALSE(contains(worktree.err, "cache:")) << worktree.err;
  EXPECT_FALSE(fs::exists(repo_.at(".git/svcdiff")));
}

// CodeBuild: every build clones afresh, and only a directory the project
// caches outlives it. A clone at the previous commit writes the cache there;
// the next build's fresh clone reuses it, and nothing lands in either .git.
TEST_F(ResultCacheTest, ADirectoryFromTheEnvironmentOutlivesTheClone) {
  const std::string dir = repo_.root() + "/build-cache";
  const std::map<std::string, std::string> env = {{"SVCDIFF_CACHE_DIR", dir}};
  run_git(repo_.root(), {"clone", "-q", repo_.path(), "previous"});
  const std::string previous = repo_.root() + "/previous";
  run_git(previous, {"checkout", "-q", "--detach", base_});
  const auto first = run_svcdiff(previous, {"-v", "list"}, env);
  ASSERT_EQ(first.status, 0) << first.err;
  EXPECT_TRUE(contains(first.err, "cache: written")) << first.err;
  EXPECT_TRUE(fs::is_regular_file(dir + "/cache"));
  EXPECT_FALSE(fs::exists(previous + "/.git/svcdiff"));

  run_git(repo_.root(), {"clone", "-q", repo_.path(), "next"});
  const std::string next = repo_.root() + "/next";
  const std::vector<std::string> args = {"changed", "--base", base_, "--format",
                                         "items",   "-o",     "-"};
  const auto cached = run_svcdiff(next, args, env);
  const auto cold = run_svcdiff(next, args, {{"SVCDIFF_NO_CACHE", "1"}});
  EXPECT_EQ(cached.status, 0) << cached.err;
  EXPECT_EQ(cached.out, cold.out);
  EXPECT_EQ(cached.err, cold.err);
  auto verbose = args;
  verbose.insert(verbose.begin(), "-v");
  const auto said = run_svcdiff(next, verbose, env);
  EXPECT_TRUE(contains(said.err, "cache: reused (discovery and infer")) << said.err;
  EXPECT_FALSE(fs::exists(next + "/.git/svcdiff"));
  // Relative to where svcdiff runs, as git takes its own variables.
  const auto relative = run_svcdiff(next, {"-v", "list"}, {{"SVCDIFF_CACHE_DIR", "../rel-cache"}});
  EXPECT_EQ(relative.status, 0) << relative.err;
  EXPECT_TRUE(fs::is_regular_file(repo_.root() + "/rel-cache/cache")) << relative.err;
}

// Without infer, `changed` discovers on demand and a fresh clone writes no
// cache of its own: with SVCDIFF_CACHE_DIR it does, so the next build has one.
TEST_F(ResultCacheTest, ADirectoryFromTheEnvironmentIsKeptUpByChangedOnDemand) {
  repo_.write("svcdiff.yml", "version: 1\ndiscover:\n  - {glob: \"services/*\"}\n");
  repo_.commit("no infer");
  const std::string dir = repo_.root() + "/build-cache";
  const std::map<std::string, std::string> env = {{"SVCDIFF_CACHE_DIR", dir}};
  const std::vector<std::string> args = {"-v", "changed", "--base", base_, "-o", "-"};
  const auto plain = run_svcdiff(repo_.path(), args);
  EXPECT_FALSE(contains(plain.err, "cache: written")) << plain.err;
  EXPECT_FALSE(fs::exists(repo_.at(".git/svcdiff")));
  const auto first = run_svcdiff(repo_.path(), args, env);
  EXPECT_EQ(first.status, 0) << first.err;
  EXPECT_TRUE(contains(first.err, "cache: written")) << first.err;
  repo_.write("services/api/main.js", "2\n");
  repo_.commit("api changed");
  const auto second = run_svcdiff(repo_.path(), args, env);
  EXPECT_TRUE(contains(second.err, "cache: reused (discovery")) << second.err;
  EXPECT_EQ(second.out, run_svcdiff(repo_.path(), args).out);
}

// Without infer the cache is judged by a diff that enters only what
// discovery enters: changes inside a service's directory are never read, and
// a service added or removed since is still seen.
TEST_F(ResultCacheTest, WithoutInferTheDiffStaysWhereDiscoveryLooks) {
  repo_.write("svcdiff.yml", "version: 1\ndiscover:\n  - {glob: \"services/*\"}\n");
  const std::string layout = repo_.commit("no infer");
  ASSERT_EQ(run_svcdiff(repo_.path(), {"list"}).status, 0);
  const std::string saved = repo_.root() + "/saved-cache";
  fs::copy_file(cache_file(), saved);
  // Each run starts from the cache at `layout` (a run may rewrite it).
  const auto put_back = [&] {
    fs::copy_file(saved, cache_file(), fs::copy_options::overwrite_existing);
  };
  for (int i = 0; i < 5; ++i) {
    repo_.write("services/web/src/deep/f" + std::to_string(i) + ".js", "1\n");
  }
  repo_.write("docs/readme.txt", "1\n");
  repo_.write("services/new/buildspec.yml", "version: 0.2\n");
  repo_.remove("services/api/buildspec.yml");
  repo_.commit("web grows, new comes, api goes");
  const std::string err = expect_same_as_without_cache(
      {"changed", "--base", layout, "--format", "text", "-o", "-"}, put_back);
  // services/new/buildspec.yml and services/api/buildspec.yml: neither
  // services/web/src nor docs/ is entered.
  EXPECT_TRUE(contains(err, "2 changed paths where discovery looks")) << err;
  EXPECT_TRUE(contains(err, "discovery updated")) << err;
  expect_same_as_without_cache({"list", "--json"}, put_back);
}

// A run killed before its rename leaves cache.tmp.<pid>: the next write
// removes it when that process is gone, and never a live writer's.
TEST_F(ResultCacheTest, AKilledWritersTemporaryFileIsRemovedByTheNextWrite) {
  ASSERT_EQ(run_svcdiff(repo_.path(), {"list"}).status, 0);
  // A child that has exited and been waited for: its number is free.
  const pid_t gone = ::fork();
  if (gone == 0) ::_exit(0);
  ASSERT_GT(gone, 0);
  ::waitpid(gone, nullptr, 0);
  const std::string abandoned = cache_file() + ".tmp." + std::to_string(gone);
  const std::string live = cache_file() + ".tmp." + std::to_string(::getpid());
  const std::string other = cache_file() + ".tmp.notapid";
  for (const auto& path : {abandoned, live, other}) std::ofstream(path) << "partial";
  repo_.write("services/new/buildspec.yml", "version: 0.2\n");
  repo_.commit("a service more: the cache is written again");
  const auto run = run_svcdiff(repo_.path(), {"-v", "list"});
  EXPECT_TRUE(contains(run.err, "cache: written")) << run.err;
  EXPECT_FALSE(fs::exists(abandoned));
  EXPECT_TRUE(fs::exists(live));
  EXPECT_TRUE(fs::exists(other));
}

// SVCDIFF_CACHE_DIR naming a file: nothing can be read or written there,
// and the run answers as without a cache.
TEST_F(ResultCacheTest, ACacheDirectoryThatIsAFileIsNoError) {
  const std::string file = repo_.root() + "/not-a-directory";
  std::ofstream(file) << "x";
  const std::vector<std::string> args = {"changed", "--base", base_, "--format", "text", "-o", "-"};
  const auto with = run_svcdiff(repo_.path(), args, {{"SVCDIFF_CACHE_DIR", file}});
  const auto without = run_svcdiff(repo_.path(), args, {{"SVCDIFF_NO_CACHE", "1"}});
  EXPECT_EQ(with.status, 0) << with.err;
  EXPECT_EQ(with.out, without.out);
  EXPECT_EQ(with.err, without.err);
  auto verbose = args;
  verbose.insert(verbose.begin(), "-v");
  const auto said = run_svcdiff(repo_.path(), verbose, {{"SVCDIFF_CACHE_DIR", file}});
  EXPECT_TRUE(contains(said.err, "cache: not written (cannot create")) << said.err;
  EXPECT_EQ(read_file(file), "x");
}

TEST_F(ResultCacheTest, InferThroughASymlinkedManifestIsNotKept) {
  repo_.write("shared/web-package.json", R"({"name": "web", "dependencies": {"common": "1"}})");
  repo_.symlink("../../shared/web-package.json", "services/web/package.json");
  repo_.commit("web's manifest is a link");
  const auto first = run_svcdiff(repo_.path(), {"-v", "list"});
  EXPECT_TRUE(contains(first.err, "infer not kept")) << first.err;
  // The link's target changes: no path named like a manifest changed.
  repo_.write("shared/web-package.json", R"({"name": "web", "dependencies": {"api": "1"}})");
  repo_.commit("web depends on api only");
  const std::string err = expect_same_as_without_cache({"list", "--json"});
  EXPECT_FALSE(contains(err, "and infer")) << err;
}

}  // namespace
}  // namespace svcdiff::testing
