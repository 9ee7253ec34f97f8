// Inputs as people give them, options that cannot conflict, messages to act
// on: one test (or more) per point of issue 8, end to end with the binary.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

using nlohmann::json;
using Names = std::vector<std::string>;

class InputsTest : public ::testing::Test {
 protected:
  CommandResult svcdiff(std::vector<std::string> args, const std::string& stdin_text = "",
                        std::map<std::string, std::string> env = {}) {
    return run_svcdiff(repo_.path(), std::move(args), std::move(env), stdin_text);
  }
  Names selected() { return json::parse(read_file(repo_.at("ABC.json")))["services"].get<Names>(); }
  TempRepo repo_;
};

// 1. git quotes names with non-ASCII bytes or spaces (core.quotePath).
TEST_F(InputsTest, FilesFromReadsGitQuotedNames) {
  add_services(repo_, {"api", "web"});
  repo_.write("services/api/\xc3\xbc n.txt", "x\n");
  repo_.commit("umlaut");
  const std::string list = repo_.git("diff", "--name-only", "HEAD~1", "HEAD");
  ASSERT_TRUE(contains(list, "\"services/api/\\303\\274 n.txt\"")) << list;
  auto result = svcdiff({"--files-from", "-"}, list);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), Names{"api"});
}

TEST_F(InputsTest, FilesFromMapsAbsolutePathsInsideAndRejectsOthers) {
  add_services(repo_, {"api", "web"});
  auto result = svcdiff({"--files-from", "-"}, repo_.at("services/web/app.py") + "\n");
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), Names{"web"});

  result = svcdiff({"--files-from", "-"}, "services/api/a.py\n/etc/passwd\n");
  EXPECT_EQ(result.status, 2) << result.err;
  EXPECT_TRUE(contains(result.err, "<stdin>:2: error: `/etc/passwd` is outside the repository"))
      << result.err;

  result = svcdiff({"--files-from", "-"}, "M\tservices/api/a.py\n");
  EXPECT_EQ(result.status, 2) << result.err;
  EXPECT_TRUE(contains(result.err, "<stdin>:1: error:")) << result.err;
  EXPECT_TRUE(contains(result.err, "--name-status")) << result.err;
}

// A list that cannot be read is an error naming it, never an empty list,
// which would select nothing and succeed.
TEST_F(InputsTest, FilesFromThatCannotBeReadFailsInsteadOfSelectingNothing) {
  add_services(repo_, {"api"});
  const std::string previous = "{\"services\":[\"previous\"]}\n";
  repo_.write("ABC.json", previous);
  struct Case {
    std::string redirections;
    Names args;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"<&-", {"--files-from", "-"}, "cannot read standard input for --files-from: it is closed"},
      {"<services", {"--files-from", "-"}, "standard input for --files-from: it is a directory"},
      {"", {"--files-from", "services"}, "cannot read --files-from services: it is a directory"},
      {"", {"--files-from", "nope.txt"}, "cannot read --files-from nope.txt: No such file"},
      {"<&-", {"owners", "--stdin"}, "cannot read standard input for owners --stdin: it is closed"},
  };
  for (const auto& [redirections, args, says] : cases) {
    Names quiet = args;
    quiet.emplace_back("-q");
    auto result = run_svcdiff_redirected(repo_.path(), quiet, redirections);
    EXPECT_EQ(result.status, 1) << redirections << " " << result.err;
    EXPECT_TRUE(result.err.starts_with("svcdiff: error: ")) << result.err;
    EXPECT_TRUE(contains(result.err, says)) << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(read_file(repo_.at("ABC.json")), previous);
  }
  auto result = svcdiff({"owners", "--stdin"});
  EXPECT_EQ(result.status, 2) << result.err;
  EXPECT_TRUE(contains(result.err, "owners --stdin: standard input held no path")) << result.err;
}

// 2. The artifact of the previous run is not an untracked change.
TEST_F(InputsTest, WorktreeNeverCountsTheArtifact) {
  add_services(repo_, {"api"});
  repo_.write("ABC.json", "{\"services\":[]}\n");  // at the root, where no .gitignore hides it
  repo_.write("services/api/local.py", "x\n");
  auto result = svcdiff({"--base", "HEAD", "--worktree", "-v"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), Names{"api"});
  EXPECT_FALSE(contains(result.err, "changed: ABC.json")) << result.err;
  EXPECT_TRUE(contains(result.err, "1 changed paths")) << result.err;
}

// 3. A deleted service directory whose config entry relies on discovery.
class StaleEntryTest : public InputsTest {
 protected:
  void SetUp() override {
    add_services(repo_, {"api", "worker"});
    repo_.write("svcdiff.yml",
                "version: 1\ndiscover:\n  - {glob: \"services/*\"}\nservices:\n  worker:\n"
                "    depends_on: [api]\n");
    repo_.commit("config");
    repo_.remove("services/worker");
    repo_.commit("delete worker");
  }
};

TEST_F(StaleEntryTest, WithABaseTheServiceIsRemoved) {
  auto result = svcdiff({"--base", "HEAD~1", "--format", "items"});
  ASSERT_EQ(result.status, 0) << result.err;
  auto artifact = json::parse(read_file(repo_.at("ABC.json")));
  EXPECT_EQ(artifact["removed"], json::array({"worker"}));
  // The deleting commit left the entry: the warning points at it.
  EXPECT_TRUE(contains(result.err,
                       "warning: service `worker` (svcdiff.yml:5): its directory services/worker "
                       "is gone at head; listed as removed. Remove its entry from svcdiff.yml"))
      << result.err;
}

// A later range no longer sees the deletion: the entry is a config error
// whose advice covers a deleted service, not only a missing `paths`.
TEST_F(StaleEntryTest, ALaterRangeSaysToRemoveTheEntry) {
  repo_.write("services/api/app.py", "changed\n");
  repo_.commit("api");
  auto result = svcdiff({"--base", "HEAD~1"});
  EXPECT_EQ(result.status, 3) << result.err;
  EXPECT_TRUE(contains(result.err,
                       "svcdiff.yml:5:3: error: service `worker` has no `paths`, and discovery "
                       "finds no directory for it at head; remove the entry if the service was "
                       "deleted, or give it `paths: [\"dir/\"]`"))
      << result.err;
}

// The range deleted the buildspec discovery needs and kept the directory:
// not removed (the directory is there), and the error names the file. The
// same commit changes app.py, which sorts first: `changed` stops its walk of
// the directory there, before the deleted file.
TEST_F(InputsTest, ADeletedRequireWithItsDirectoryLeftNamesTheFile) {
  add_services(repo_, {"api", "worker"});
  repo_.write("svcdiff.yml",
              "version: 1\ndiscover:\n  - {glob: \"services/*\"}\nservices:\n  worker:\n"
              "    project: worker-build\n");
  repo_.commit("config");
  repo_.remove("services/worker/buildspec.yml");
  repo_.write("services/worker/app.py", "changed\n");
  repo_.commit("delete worker's buildspec");
  for (const char* command : {"changed", "explain"}) {
    auto result = svcdiff({command, "--base", "HEAD~1"});
    EXPECT_EQ(result.status, 3) << result.err;
    EXPECT_TRUE(contains(result.err,
                         "svcdiff.yml:5:3: error: service `worker` has no `paths`, and discovery "
                         "no longer finds it: services/worker/buildspec.yml was deleted since the "
                         "base, though its directory is still there; restore "
                         "services/worker/buildspec.yml, or remove the entry if the service is "
                         "gone"))
        << result.err;
  }
}

// Without an explicit entry, a discovered service whose buildspec the range
// deleted while its directory stays is no service at head: not built, not
// `removed` (its directory is not gone, SPEC §5), and said so in a warning
// naming the file and the directory, whether the walk read the deleted file
// or stopped early at app.py, which sorts before it.
TEST_F(InputsTest, ADiscoveredServiceThatLostItsRequireIsWarnedAbout) {
  add_services(repo_, {"api", "worker"});
  repo_.write("svcdiff.yml", "version: 1\ndiscover:\n  - {glob: \"services/*\"}\n");
  repo_.commit("config");
  repo_.remove("services/worker/buildspec.yml");
  repo_.write("services/worker/app.py", "changed\n");
  repo_.write("services/worker/src/lib.py", "new\n");
  repo_.commit("delete worker's buildspec");
  const std::string warning =
      "warning: service `worker`: services/worker/buildspec.yml was deleted since the base and "
      "its directory services/worker is still there, so discovery no longer finds the service "
      "and nothing builds it; restore services/worker/buildspec.yml to keep it";
  for (const char* format : {"services", "items", "text"}) {
    auto result = svcdiff({"--base", "HEAD~1", "--format", format, "-o", "out"});
    ASSERT_EQ(result.status, 0) << format << ": " << result.err;
    EXPECT_TRUE(contains(result.err, warning)) << format << ": " << result.err;
    EXPECT_FALSE(contains(result.err, "removed")) << format << ": " << result.err;
    EXPECT_FALSE(contains(read_file(repo_.at("out")), "worker")) << format;
  }
  auto explain = svcdiff({"explain", "--base", "HEAD~1"});
  ASSERT_EQ(explain.status, 0) << explain.err;
  EXPECT_TRUE(contains(explain.err, warning)) << explain.err;
  EXPECT_FALSE(contains(svcdiff({"-q", "--base", "HEAD~1"}).err, "worker"));

  // A later range does not see the deletion: nothing to say.
  repo_.write("services/worker/app.py", "again\n");
  repo_.commit("worker's code, no service");
  auto later = svcdiff({"--base", "HEAD~1"});
  ASSERT_EQ(later.status, 0) << later.err;
  EXPECT_FALSE(contains(later.err, "warning")) << later.err;
}

TEST_F(StaleEntryTest, WithoutABaseItIsSkippedWithAWarning) {
  auto result = svcdiff({"list"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "api\n");
  EXPECT_TRUE(contains(result.err, "warning: service `worker`")) << result.err;
}

TEST_F(StaleEntryTest, ValidateReportsItWithTheFix) {
  auto result = svcdiff({"validate"});
  EXPECT_EQ(result.status, 3) << result.err;
  EXPECT_TRUE(contains(result.out, "svcdiff.yml:5")) << result.out;
  EXPECT_TRUE(contains(result.out, "remove the entry")) << result.out;
}

TEST_F(StaleEntryTest, AnEntryThatNeverMatchedStaysAConfigError) {
  repo_.write("svcdiff.yml",
              "version: 1\ndiscover:\n  - {glob: \"services/*\"}\nservices:\n  ghost: {}\n");
  repo_.commit("ghost");
  auto result = svcdiff({"--base", "HEAD~1"});
  EXPECT_EQ(result.status, 3) << result.err;
  EXPECT_TRUE(contains(result.err, "svcdiff.yml:5:3: error: service `ghost`")) << result.err;
}

// A dependency on such an entry goes with it: a warning naming both, not
// "depends on unknown service" with a guess at another name.
TEST_F(InputsTest, ADependencyOnADeletedServiceIsDroppedWithAWarning) {
  add_services(repo_, {"api", "worker"});
  repo_.write("svcdiff.yml",
              "version: 1\ndiscover:\n  - {glob: \"services/*\"}\nservices:\n  api:\n"
              "    depends_on: [worker]\n  worker: {}\n");
  repo_.commit("config");
  repo_.remove("services/worker");
  repo_.commit("delete worker");
  auto result = svcdiff({"list"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "api\n");
  EXPECT_TRUE(contains(result.err,
                       "warning: service `api` depends on `worker`, which discovery no "
                       "longer finds"))
      << result.err;
  result = svcdiff({"--base", "HEAD~1", "--format", "items"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(json::parse(read_file(repo_.at("ABC.json")))["removed"], json::array({"worker"}));
  result = svcdiff({"validate"});
  EXPECT_EQ(result.status, 3) << result.err;
  EXPECT_TRUE(contains(result.out, "service `worker` relies on discovery")) << result.out;
}

// 4. Options that would silently drop each other.
TEST_F(InputsTest, ConflictingOptionsAreUsageErrorsNamingBoth) {
  add_services(repo_, {"api"});
  const std::vector<std::pair<std::vector<std::string>, std::pair<std::string, std::string>>>
      cases = {
          {{"--all", "--files-from", "-"}, {"--all", "--files-from"}},
          {{"--base", "HEAD", "--files-from", "-"}, {"--base", "--files-from"}},
          {{"--merge-base", "--base", "HEAD", "--files-from", "-"},
           {"--merge-base", "--files-from"}},
          {{"-z", "--base", "HEAD"}, {"-z", "--files-from"}},
          {{"--worktree", "--head", "HEAD~1", "--base", "HEAD"}, {"--worktree", "--head"}},
          {{"asl", "--style", "choice", "--waves-state", "W"}, {"--waves-state", "--style"}},
          {{"--all", "--base", "HEAD"}, {"--all", "--base"}},
          {{"--all", "--merge-base"}, {"--all", "--merge-base"}},
          {{"--worktree", "--files-from", "-"}, {"--worktree", "--files-from"}},
          {{"explain", "--all", "--base", "HEAD"}, {"--all", "--base"}},
          {{"graph", "--all", "--base", "HEAD"}, {"--all", "--base"}},
      };
  for (const auto& [args, names] : cases) {
    auto result = svcdiff(args);
    EXPECT_EQ(result.status, 2) << result.err;
    EXPECT_TRUE(contains(result.err, names.first)) << result.err;
    EXPECT_TRUE(contains(result.err, names.second)) << result.err;
  }
  // --head with --files-from names the head the artifact records: allowed.
  auto result = svcdiff({"--head", "HEAD", "--files-from", "-"}, "services/api/x\n");
  EXPECT_EQ(result.status, 0) << result.err;
  // Only flags conflict: a base from the environment (SVCDIFF_BASE set for
  // the whole CodeBuild project) gives way to --all or a list.
  result = svcdiff({"--all"}, "", {{"SVCDIFF_BASE", "HEAD"}});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), Names{"api"});
  result = svcdiff({"--files-from", "-"}, "services/api/x\n", {{"SVCDIFF_BASE", "HEAD"}});
  EXPECT_EQ(result.status, 0) << result.err;
  // --on-unknown-base is a policy for a base that cannot be used; --all never
  // needs one, so a buildspec that always says `fail` can switch to --all.
  result = svcdiff({"--all", "--on-unknown-base", "fail"});
  EXPECT_EQ(result.status, 0) << result.err;
  // graph without a base draws every service on its own: no conflict there.
  result = svcdiff({"graph", "--on-unknown-base", "fail"});
  EXPECT_EQ(result.status, 0) << result.err;
}

// Values that name nothing are usage errors found before any git work: the
// misspelt head is never looked up.
TEST_F(InputsTest, EmptyValuesAreUsageErrorsBeforeAnyGitWork) {
  add_services(repo_, {"api"});
  const std::vector<std::pair<Names, std::string>> cases = {
      {{"-o", ""}, "--output is empty; name a file, or - for standard output"},
      {{"--s3-split", "", "--s3-uri", "s3://b/p", "--format", "items"}, "--s3-split is empty"},
      {{"--files-from", ""}, "--files-from is empty"},
      {{"--base", ""}, "--base is empty"},
      {{"--head", ""}, "--head is empty"},
      {{"-c", "", "list"}, "--config is empty"},
      {{"fingerprint", "--head", ""}, "--head is empty"},
  };
  for (const auto& [args, says] : cases) {
    Names with_head = args;
    if (args.back() != "list" && args.front() != "--head" && args.front() != "fingerprint") {
      with_head.insert(with_head.end(), {"--head", "mian"});
    }
    auto result = svcdiff(with_head);
    EXPECT_EQ(result.status, 2) << result.err;
    EXPECT_TRUE(contains(result.err, says)) << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    EXPECT_FALSE(std::filesystem::exists(repo_.at("ABC.json")));
  }
  // One wording for an empty revision, whichever command reads it.
  const auto changed = svcdiff({"--head", ""});
  EXPECT_EQ(changed.err,
            "svcdiff: error: --head is empty; name a revision (a sha, branch, tag or HEAD~3), or "
            "leave it out\n");
  EXPECT_EQ(svcdiff({"fingerprint", "--head", ""}).err, changed.err);
}

// --s3-split's companions are checked before any git work (a misspelt base
// is not what the user hears about); a run that fails once the wave files
// are ready leaves none of them, as it leaves the artifact.
TEST_F(InputsTest, S3SplitIsCheckedFirstAndAFailedRunLeavesNoWaveFiles) {
  add_services(repo_, {"api"});
  const std::vector<std::pair<Names, std::string>> early = {
      {{}, "--s3-split needs --s3-uri"},
      {{"--s3-uri", "s3://b/p"}, "--s3-split needs --format items"},
      {{"--s3-uri", "s3://b/p", "--format", "env"}, "--s3-split needs --format items"},
      {{"--s3-uri", "b/p", "--format", "items"}, "--s3-uri must be s3://BUCKET"},
  };
  for (const auto& [args, says] : early) {
    Names all = {"--base", "mian", "--s3-split", "waves"};
    all.insert(all.end(), args.begin(), args.end());
    auto result = svcdiff(all);
    EXPECT_EQ(result.status, 2) << result.err;
    EXPECT_TRUE(contains(result.err, says)) << result.err;
  }
  // Without --format, defaults.format decides, once the config is read.
  repo_.write("svcdiff.yml",
              "version: 1\ndiscover:\n  - {glob: \"services/*\"}\ndefaults:\n  format: env\n");
  repo_.commit("env by default");
  auto result = svcdiff({"--all", "--s3-split", "waves", "--s3-uri", "s3://b/p"});
  EXPECT_EQ(result.status, 2) << result.err;
  EXPECT_TRUE(contains(result.err, "defaults.format in the config is `env`")) << result.err;
  repo_.write("svcdiff.yml",
              "version: 1\ndiscover:\n  - {glob: \"services/*\"}\ndefaults:\n  format: items\n");
  const std::string head = repo_.commit("items by default");
  result = svcdiff({"--all", "--s3-split", "waves", "--s3-uri", "s3://b/p", "-q"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_TRUE(std::filesystem::exists(repo_.at("waves/" + head + "/wave-0.json")));
  repo_.remove("waves");

  // The artifact cannot be written (its path is a directory).
  result =
      svcdiff({"--all", "--s3-split", "waves/split", "--s3-uri", "s3://b/p", "-o", "services"});
  EXPECT_EQ(result.status, 1) << result.err;
  EXPECT_TRUE(contains(result.err, "it is a directory")) << result.err;
  EXPECT_FALSE(std::filesystem::exists(repo_.at("waves"))) << "wave files left behind";
  // A DIR that was there before stays, as it was.
  std::filesystem::create_directory(repo_.at("waves"));
  result = svcdiff({"--all", "--s3-split", "waves", "--s3-uri", "s3://b/p", "-o", "services"});
  EXPECT_EQ(result.status, 1) << result.err;
  EXPECT_TRUE(std::filesystem::is_empty(repo_.at("waves"))) << "wave files left behind";
}

// The head --files-from records must resolve like any other (SPEC §3): a
// misspelt one is an error naming it, not an artifact without a head.
TEST_F(InputsTest, FilesFromHeadThatDoesNotResolveIsAnErrorNamingIt) {
  add_services(repo_, {"api"});
  repo_.write("ABC.json", "{\"services\":[\"before\"]}\n");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--head", "mian", "--files-from", "-"},
        std::vector<std::string>{"--head", "mian", "--files-from", "-", "--format", "items"}}) {
    auto result = svcdiff(args, "services/api/x\n");
    EXPECT_EQ(result.status, 1) << result.err;
    EXPECT_TRUE(contains(result.err, "unknown revision `mian`")) << result.err;
    EXPECT_EQ(read_file(repo_.at("ABC.json")), "{\"services\":[\"before\"]}\n");
  }
  auto result = svcdiff({"--files-from", "-"}, "services/api/x\n", {{"SVCDIFF_HEAD", "nope"}});
  EXPECT_EQ(result.status, 1) << result.err;
  EXPECT_TRUE(contains(result.err, "SVCDIFF_HEAD")) << result.err;

  // A full commit id the clone lacks cannot be read for discovery either.
  const std::string absent = "0123456789abcdef0123456789abcdef01234567";
  result = svcdiff({"--head", absent, "--files-from", "-"}, "services/api/x\n");
  EXPECT_EQ(result.status, 1) << result.err;
  EXPECT_TRUE(contains(result.err, absent)) << result.err;
  EXPECT_EQ(read_file(repo_.at("ABC.json")), "{\"services\":[\"before\"]}\n");
}

// 5. owners and match take paths relative to the current directory.
TEST_F(InputsTest, OwnersAndMatchFollowTheCurrentDirectory) {
  add_services(repo_, {"api", "web"});
  repo_.write("svcdiff.yml",
              "version: 1\nignore: [\"**/*.md\"]\nglobal: [shared/]\ndiscover:\n"
              "  - {glob: \"services/*\"}\n");
  repo_.write("shared/x", "x\n");
  repo_.commit("config");
  const std::string sub = repo_.at("services/api");
  auto result = run_svcdiff(
      sub, {"owners", "app.py", "README.md", "../web/x", "../../shared/x", "../../tools/y"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out,
            "services/api/app.py\tapi\nservices/api/README.md\t(ignored)\nservices/web/x\tweb\n"
            "shared/x\t(global)\ntools/y\t\n");
  result = run_svcdiff(sub, {"owners", "--json", "README.md", "app.py", "../../tools/y"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(json::parse(result.out), json::parse(R"({
      "services/api/README.md": {"services": [], "rule": "ignored"},
      "services/api/app.py": {"services": ["api"], "rule": "service"},
      "tools/y": {"services": [], "rule": "none"}})"));
  result = run_svcdiff(sub, {"match", "services/api/*.py", "app.py", "other.txt"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "app.py\n");
  result = run_svcdiff(sub, {"owners", "../../../outside"});
  EXPECT_EQ(result.status, 2) << result.err;
}

// 6. Which directory each path option is relative to, in --help.
TEST_F(InputsTest, HelpSaysWhatPathsAreRelativeTo) {
  auto result = svcdiff({"--help"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "relative to the current directory even with -C")) << result.out;
}

// 7. Option errors in svcdiff's words.
TEST_F(InputsTest, OptionErrorsSpeakSvcdiff) {
  add_services(repo_, {"api"});
  auto result = svcdiff({"--bse", "HEAD"});
  EXPECT_EQ(result.status, 2);
  EXPECT_EQ(result.err, "svcdiff: error: unknown option `--bse`; did you mean `--base`?\n");
  result = svcdiff({"--base", "HEAD", "--base", "HEAD~1"});
  EXPECT_EQ(result.status, 2);
  EXPECT_TRUE(contains(result.err, "`--base` is given more than once")) << result.err;
  result = svcdiff({"asl", "--max-concurrency", "many"});
  EXPECT_EQ(result.status, 2);
  EXPECT_TRUE(contains(result.err, "`--max-concurrency` takes a whole number, not `many`"))
      << result.err;
  result = svcdiff({"list", "extra"});
  EXPECT_EQ(result.status, 2);
  EXPECT_TRUE(contains(result.err, "unexpected argument `extra`")) << result.err;
  // In the order given (CLI11 2.1 names them reversed).
  result = svcdiff({"list", "--format", "dot"});
  EXPECT_EQ(result.status, 2);
  EXPECT_TRUE(contains(result.err, "unexpected argument `--format dot`")) << result.err;
  repo_.write("notes.txt", "x\n");
  result = svcdiff({"-C", "notes.txt", "list"});
  EXPECT_EQ(result.status, 2);
  EXPECT_TRUE(contains(result.err, "-C notes.txt: not a directory")) << result.err;
  result = svcdiff({"-C", "nowhere", "list"});
  EXPECT_EQ(result.status, 2);
  EXPECT_TRUE(contains(result.err, "-C nowhere: no such directory")) << result.err;
  for (const auto& args : {Names{"--bse", "HEAD"}, Names{"--base", "HEAD", "--base", "HEAD~1"},
                           Names{"asl", "--max-concurrency", "many"}, Names{"list", "extra"}}) {
    result = svcdiff(args);
    EXPECT_FALSE(contains(result.err, "not expected")) << result.err;
    EXPECT_FALSE(contains(result.err, "At Most")) << result.err;
    EXPECT_FALSE(contains(result.err, "Could not convert")) << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  }
}

// -o /dev/stdout is standard output, written through the descriptor svcdiff
// already holds, as -o -: where it is redirected to a file, the file gets the
// artifact, and `>>` appends. Other descriptors by name are not reopened.
TEST_F(InputsTest, OutputToDevStdoutIsStandardOutput) {
  add_services(repo_, {"api"});
  const std::string artifact = "{\"services\":[\"api\"]}\n";
  for (const char* name : {"/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"}) {
    repo_.write("out.txt", "before\n");
    auto result = run_svcdiff_redirected(repo_.path(), {"--all", "-q", "-o", name}, ">>out.txt");
    EXPECT_EQ(result.status, 0) << name << " " << result.err;
    EXPECT_EQ(read_file(repo_.at("out.txt")), "before\n" + artifact) << name;
    result = run_svcdiff_redirected(repo_.path(), {"--all", "-q", "-o", name}, ">out.txt");
    EXPECT_EQ(result.status, 0) << name << " " << result.err;
    EXPECT_EQ(read_file(repo_.at("out.txt")), artifact) << name;
  }
  repo_.write("three.txt", "before\n");
  auto result =
      run_svcdiff_redirected(repo_.path(), {"--all", "-q", "-o", "/dev/fd/3"}, "3>>three.txt");
  EXPECT_EQ(result.status, 1) << result.err;
  EXPECT_TRUE(contains(result.err, "/dev/fd/3: it names an open file descriptor")) << result.err;
  EXPECT_TRUE(contains(result.err, "use --output -")) << result.err;
  EXPECT_EQ(read_file(repo_.at("three.txt")), "before\n");
}

// 8. Revision errors in git's terms.
TEST_F(InputsTest, RevisionErrorsSayWhatIsWrong) {
  auto result = svcdiff({"--base", "HEAD"});
  EXPECT_EQ(result.status, 1);
  EXPECT_TRUE(contains(result.err, "an empty repository has no commits yet")) << result.err;

  add_services(repo_, {"api"});
  result = svcdiff({"--base", "mian"});
  EXPECT_EQ(result.status, 1);
  EXPECT_TRUE(contains(result.err, "unknown revision `mian`; did you mean `main`?")) << result.err;
  EXPECT_FALSE(contains(result.err, "shallow")) << result.err;
  EXPECT_FALSE(contains(result.err, "revspec")) << result.err;
  result = svcdiff({"--base", "HEAD~1"});
  EXPECT_EQ(result.status, 1);
  EXPECT_TRUE(contains(result.err, "`HEAD~1`: the first commit has no parent")) << result.err;
  result = svcdiff({}, "", {{"SVCDIFF_BASE", "nosuch"}});
  EXPECT_EQ(result.status, 1);
  EXPECT_TRUE(contains(result.err, "SVCDIFF_BASE")) << result.err;
  result = svcdiff({}, "", {{"CODEBUILD_RESOLVED_SOURCE_VERSION", "nosuch"}});
  EXPECT_EQ(result.status, 1);
  EXPECT_TRUE(contains(result.err, "CODEBUILD_RESOLVED_SOURCE_VERSION")) << result.err;
}

// 9. Arguments are checked before any git work.
TEST_F(InputsTest, UnknownFormatPrintsOneLineAndNoLog) {
  add_services(repo_, {"api"});
  auto result = svcdiff({"--base", "HEAD", "--format", "itmes"});
  EXPECT_EQ(result.status, 2);
  EXPECT_EQ(result.err, "svcdiff: error: unknown format `itmes`; did you mean `items`?\n");
}

// 10. The summary: at most 20 names, libraries not counted; -v says why.
TEST_F(InputsTest, SummaryIsShortAndVerboseSaysWhy) {
  Names names;
  for (int i = 0; i < 25; ++i) names.push_back("svc" + std::to_string(100 + i));
  add_services(repo_, names);
  repo_.write("libs/common/x", "x\n");
  repo_.write("svcdiff.yml",
              "version: 1\ndiscover:\n  - {glob: \"services/*\"}\nservices:\n  common:\n"
              "    paths: [libs/common/]\n    build: false\n");
  repo_.commit("config");
  auto result = svcdiff({"--all"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_TRUE(contains(result.err, "25 of 25 services selected")) << result.err;
  EXPECT_TRUE(contains(result.err, "svc119 and 5 more")) << result.err;
  EXPECT_FALSE(contains(result.err, "svc120")) << result.err;

  repo_.write("services/svc100/app.py", "changed\n");
  repo_.commit("one");
  result = svcdiff({"--base", "HEAD~1", "-v"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_TRUE(contains(result.err, "changed: services/svc100/app.py")) << result.err;
  EXPECT_TRUE(contains(result.err, "selected svc100: services/svc100/app.py matches"))
      << result.err;
}

TEST_F(InputsTest, ExplainSaysHowManyPathsItLeftOut) {
  add_services(repo_, {"api"});
  repo_.write("svcdiff.yml",
              "version: 1\ndiscover:\n  - {glob: \"services/*\"}\nservices:\n  api:\n"
              "    exclude: [\"services/api/gen/\"]\n");
  repo_.commit("config");
  for (int i = 0; i < 13; ++i) repo_.write("services/api/gen/f" + std::to_string(i), "x\n");
  repo_.commit("generated");
  auto result = svcdiff({"explain", "--base", "HEAD~1", "api"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "and 3 more paths like these not shown")) << result.out;
}

// 11. help, graph, validate in a bare repository, config messages.
TEST_F(InputsTest, HelpCommandPrintsTheTopLevelHelp) {
  auto top = svcdiff({"--help"});
  auto help = svcdiff({"help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_EQ(help.out, top.out);
  EXPECT_TRUE(contains(top.out, "--base")) << top.out;  // the default command's options
  auto nosuch = svcdiff({"help", "grpah"});
  EXPECT_EQ(nosuch.status, 2);
  EXPECT_TRUE(contains(nosuch.err, "did you mean `graph`?")) << nosuch.err;
}

TEST_F(InputsTest, ValidateInABareRepositoryReadsTheHeadCommit) {
  add_services(repo_, {"api"});
  repo_.write("services/api/buildspec.yml", "version: 0.2\nphases:\n  biuld:\n    commands: [x]\n");
  repo_.commit("typo");
  const std::string bare = repo_.root() + "/bare.git";
  run_git(repo_.root(), {"clone", "-q", "--bare", repo_.path(), bare});
  auto result = run_svcdiff(bare, {"validate"});
  EXPECT_EQ(result.status, 3) << result.err;
  EXPECT_TRUE(contains(result.out, "did you mean `build`?")) << result.out;
  EXPECT_FALSE(contains(result.out, "does not exist")) << result.out;
}

TEST_F(InputsTest, ConfigMessagesForQuotedVersionAndTabs) {
  add_services(repo_, {"api"});
  repo_.write("svcdiff.yml", "version: \"1\"\n");
  auto result = svcdiff({"list"});
  EXPECT_EQ(result.status, 3);
  EXPECT_TRUE(contains(result.err, "the quotes make it the string")) << result.err;
  repo_.write("svcdiff.yml", "version: 1\nservices:\n\tapi: {}\n");
  result = svcdiff({"list"});
  EXPECT_EQ(result.status, 3);
  EXPECT_TRUE(contains(result.err, "svcdiff.yml:3:1: error: a tab in the indentation"))
      << result.err;
}

}  // namespace
}  // namespace svcdiff::testing
