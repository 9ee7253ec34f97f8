// End-to-end: which head and base a run chooses (SPEC §3), as CodeBuild and
// CodePipeline set the environment (issue 3). The real binary, real repositories.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/items_run_test.hpp"

namespace svcdiff::testing {
namespace {

using nlohmann::json;
using Names = std::vector<std::string>;
using Env = std::map<std::string, std::string>;

using BaseRulesTest = ItemsRunTest;

TEST_F(BaseRulesTest, EachRuleBeatsTheOnesAfterIt) {
  add_services(repo_, {"svc_a", "svc_b", "svc_c", "svc_d", "svc_e"});
  const std::string c0 = repo_.rev_parse("HEAD");
  repo_.git("branch", "config-base");  // defaults.base
  const std::string c1 = touch("svc_a", "1.py");
  const std::string c2 = touch("svc_b", "2.py");
  repo_.git("branch", "pr-base");  // the pull request's base branch
  const std::string c3 = touch("svc_c", "3.py");
  touch("svc_d", "4.py");
  touch("svc_e", "5.py");
  repo_.write("svcdiff.yml", "version: 1\ndefaults: {base: config-base}\n");
  repo_.commit("config");

  Env env{{"SVCDIFF_BASE", c1},
          {"CODEBUILD_WEBHOOK_BASE_REF", "refs/heads/pr-base"},
          {"CODEBUILD_WEBHOOK_PREV_COMMIT", c3}};
  struct Step {
    std::string rule;
    std::string base;
    std::string log;
  };
  // Each step drops the input that won the one before.
  const std::vector<Step> steps{
      {"flag", c0, "rule flag: --base " + c0},
      {"env", c1, "rule env: SVCDIFF_BASE=" + c1},
      {"webhook-base-ref", c2,
       "rule webhook-base-ref: CODEBUILD_WEBHOOK_BASE_REF=refs/heads/pr-base"},
      {"webhook-prev-commit", c3, "rule webhook-prev-commit: CODEBUILD_WEBHOOK_PREV_COMMIT=" + c3},
      {"config-default", c0, "rule config-default: defaults.base config-base"},
  };
  for (std::size_t i = 0; i < steps.size(); ++i) {
    SCOPED_TRACE(steps[i].rule);
    std::vector<std::string> args;
    if (i == 0) args = {"--base", c0};
    if (i == 2) env.erase("SVCDIFF_BASE");
    if (i == 3) env.erase("CODEBUILD_WEBHOOK_BASE_REF");
    if (i == 4) env.erase("CODEBUILD_WEBHOOK_PREV_COMMIT");
    auto result = svcdiff(args, env);
    ASSERT_EQ(result.status, 0) << result.err;
    json artifact = items();
    EXPECT_EQ(artifact["base_rule"], steps[i].rule);
    EXPECT_EQ(artifact["base"], steps[i].base);
    EXPECT_EQ(artifact["all"], false);
    EXPECT_TRUE(contains(result.err, steps[i].log)) << result.err;
  }
  EXPECT_EQ(selected(), (Names{"svc_a", "svc_b", "svc_c", "svc_d", "svc_e"}));

  // Without defaults.base nothing is left: the base is unknown.
  repo_.write("svcdiff.yml", "version: 1\n");
  auto result = svcdiff({});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(items()["base_rule"], "unknown");
  EXPECT_EQ(items()["all"], true);
  EXPECT_TRUE(contains(result.err, "no base given")) << result.err;
}

TEST_F(BaseRulesTest, HeadComesFromFlagThenSvcdiffHeadThenCodebuildThenHead) {
  const std::string c0 = add_services(repo_, {"svc_a", "svc_b", "svc_c"});
  const std::string c1 = touch("svc_a", "1.py");
  const std::string c2 = touch("svc_b", "2.py");
  const std::string c3 = touch("svc_c", "3.py");
  Env env{{"SVCDIFF_HEAD", c2}, {"CODEBUILD_RESOLVED_SOURCE_VERSION", c3}};

  auto result = svcdiff({"--base", c0, "--head", c1}, env);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(items()["head"], c1);
  EXPECT_EQ(selected(), Names{"svc_a"});
  EXPECT_TRUE(contains(result.err, "head " + c1.substr(0, 12) + " (--head)")) << result.err;

  result = svcdiff({"--base", c1}, env);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(items()["head"], c2);
  EXPECT_EQ(selected(), Names{"svc_b"});
  EXPECT_TRUE(contains(result.err, "(SVCDIFF_HEAD)")) << result.err;

  env.erase("SVCDIFF_HEAD");
  result = svcdiff({"--base", c2}, env);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(items()["head"], c3);
  EXPECT_TRUE(contains(result.err, "(CODEBUILD_RESOLVED_SOURCE_VERSION)")) << result.err;

  repo_.git("checkout", "-q", c1);  // CodeBuild's detached HEAD
  result = svcdiff({"--base", c0});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(items()["head"], c1);
  EXPECT_EQ(selected(), Names{"svc_a"});
  EXPECT_TRUE(contains(result.err, "(HEAD)")) << result.err;
}

// The pull request's base branch moved on after the branch forked: only the
// PR's own change counts, in every form CodeBuild and a clone name the branch.
TEST_F(BaseRulesTest, PullRequestDiffsFromTheMergeBaseOfItsBaseBranch) {
  add_services(repo_, {"svc_a", "svc_b", "svc_c"});
  repo_.git("checkout", "-q", "-b", "feature");
  const std::string feature = touch("svc_c", "feature.py");
  repo_.git("checkout", "-q", "main");
  touch("svc_a", "main-moved-on.py");

  // As CodeBuild clones for a PR build: the PR's commit checked out, the base
  // branch only as origin/main.
  const std::string clone = repo_.root() + "/clone";
  run_git(repo_.root(), {"clone", "-q", "-b", "feature", repo_.path(), clone});
  run_git(clone, {"checkout", "-q", "--detach"});
  for (const std::string ref : {"refs/heads/main", "main", "origin/main"}) {
    SCOPED_TRACE(ref);
    auto result = run_svcdiff(
        clone, {"--format", "items", "-o", output()},
        {{"CODEBUILD_WEBHOOK_BASE_REF", ref}, {"CODEBUILD_RESOLVED_SOURCE_VERSION", feature}});
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(selected(), Names{"svc_c"});
    EXPECT_EQ(items()["base_rule"], "webhook-base-ref");
    EXPECT_EQ(items()["base"], repo_.rev_parse("feature~1"));
  }
  // The same in the original repository, where main is a local branch.
  auto result = svcdiff({}, {{"CODEBUILD_WEBHOOK_BASE_REF", "refs/heads/main"},
                             {"CODEBUILD_RESOLVED_SOURCE_VERSION", feature}});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), Names{"svc_c"});

  // A base branch the clone does not hold: unknown, so every service.
  result = run_svcdiff(clone, {"--format", "items", "-o", output()},
                       {{"CODEBUILD_WEBHOOK_BASE_REF", "refs/heads/release"}});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(items()["all"], true);
  EXPECT_EQ(selected(), (Names{"svc_a", "svc_b", "svc_c"}));
  EXPECT_TRUE(contains(result.err, "git fetch origin release")) << result.err;
}

// A criss-cross merge leaves a branch and its base two merge bases: the run
// diffs from the one git diff main...x uses (git is the oracle), says so, and
// names the other; so does a pull request's rule, which takes a merge-base too.
TEST(MergeBaseRule, SeveralMergeBasesTakeGitsAndSaySo) {
  for (const bool x_newer : {false, true}) {
    SCOPED_TRACE(x_newer ? "x1 newer" : "m1 newer");
    TempRepo repo;
    for (const char* name : {"svc_a", "svc_b"})
      repo.write("services/" + std::string(name) + "/buildspec.yml", "version: 0.2\n");
    const std::string older = "2024-01-02T00:00:00";
    const std::string newer = "2024-01-03T00:00:00";
    const auto history = make_criss_cross(repo, "services/svc_a/app.py", x_newer ? newer : older,
                                          "services/svc_b/app.py", x_newer ? older : newer);
    const std::string gits = trim_newline(repo.git("merge-base", "main", "x"));
    const std::string other = gits == history.x1 ? history.m1 : history.x1;
    // What git diff main...x shows: the other side's change, through the newer base.
    const Names expected{x_newer ? "svc_b" : "svc_a"};
    const std::string changed = repo.git("diff", "--name-only", "main...x");
    EXPECT_EQ(changed, "services/" + expected[0] + "/app.py\n");
    const std::string output = repo.root() + "/ABC.json";
    for (const auto& [args, env] : std::vector<std::pair<std::vector<std::string>, Env>>{
             {{"--base", "main", "--head", "x", "--merge-base"}, {}},
             {{"--head", "x"}, {{"CODEBUILD_WEBHOOK_BASE_REF", "refs/heads/main"}}}}) {
      std::vector<std::string> argv = args;
      argv.insert(argv.end(), {"--format", "items", "-o", output});
      auto result = run_svcdiff(repo.path(), argv, env);
      ASSERT_EQ(result.status, 0) << result.err;
      const json items = json::parse(read_file(output));
      EXPECT_EQ(items["base"], gits);
      EXPECT_EQ(items["services"].get<Names>(), expected);
      EXPECT_TRUE(contains(result.err, "main and head " + history.x.substr(0, 12) +
                                           " have 2 merge bases; using " + gits.substr(0, 12) +
                                           ", the newest by commit date"))
          << result.err;
      EXPECT_TRUE(contains(result.err, "not " + other.substr(0, 12))) << result.err;
    }
  }
}

TEST_F(BaseRulesTest, PushDiffsFromThePreviousCommit) {
  add_services(repo_, {"svc_a", "svc_b", "svc_c"});
  const std::string before = touch("svc_a", "1.py");
  touch("svc_b", "2.py");
  touch("svc_c", "3.py");
  auto result = svcdiff({}, {{"CODEBUILD_WEBHOOK_PREV_COMMIT", before}});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), (Names{"svc_b", "svc_c"}));
  EXPECT_EQ(items()["base"], before);
  EXPECT_EQ(items()["base_rule"], "webhook-prev-commit");
}

// A push that creates a branch has CODEBUILD_WEBHOOK_PREV_COMMIT all zeros:
// that rule does not apply and the next one decides.
TEST_F(BaseRulesTest, NewBranchFallsThroughToTheNextRule) {
  add_services(repo_, {"svc_a", "svc_b", "svc_c"});
  const std::string fork = repo_.rev_parse("HEAD");
  repo_.git("checkout", "-q", "-b", "new-branch");
  touch("svc_b", "new.py");
  const Env new_branch{{"CODEBUILD_WEBHOOK_PREV_COMMIT", std::string(40, '0')}};

  auto result = svcdiff({}, new_branch);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_TRUE(contains(result.err, "CODEBUILD_WEBHOOK_PREV_COMMIT is all zeros")) << result.err;
  EXPECT_EQ(items()["base_rule"], "unknown");
  EXPECT_EQ(items()["all"], true);
  EXPECT_EQ(selected(), (Names{"svc_a", "svc_b", "svc_c"}));

  // With defaults.base, the branch is diffed from where it left main.
  repo_.git("checkout", "-q", "main");
  touch("svc_a", "main-moved-on.py");
  repo_.git("checkout", "-q", "new-branch");
  repo_.write("svcdiff.yml", "version: 1\ndefaults: {base: main}\n");
  result = svcdiff({}, new_branch);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(items()["base_rule"], "config-default");
  EXPECT_EQ(items()["base"], fork);
  EXPECT_EQ(selected(), Names{"svc_b"});
}

TEST_F(BaseRulesTest, ForcePushDiffsFromTheMergeBaseWithAWarning) {
  add_services(repo_, {"svc_a", "svc_b", "svc_c"});
  const std::string kept = touch("svc_a", "kept.py");
  const std::string old_tip = touch("svc_b", "rewritten-away.py");
  repo_.git("reset", "-q", "--hard", kept);
  touch("svc_c", "new.py");  // the force-pushed tip

  auto result = svcdiff({}, {{"CODEBUILD_WEBHOOK_PREV_COMMIT", old_tip}});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_TRUE(contains(result.err, "warning: CODEBUILD_WEBHOOK_PREV_COMMIT " +
                                       old_tip.substr(0, 12) + " is not an ancestor of head"))
      << result.err;
  EXPECT_TRUE(contains(result.err, "force push?); using their merge-base")) << result.err;
  EXPECT_EQ(items()["base"], kept);
  EXPECT_EQ(items()["base_rule"], "webhook-prev-commit");
  // svc_b changed on the old tip only: a force push does not rebuild it.
  EXPECT_EQ(selected(), Names{"svc_c"});
}

TEST_F(BaseRulesTest, MissingBaseCommitIsAnUnknownBase) {
  add_services(repo_, {"svc_a", "svc_b"});
  touch("svc_a", "1.py");
  const std::string absent = "0123456789abcdef0123456789abcdef01234567";

  auto result = svcdiff({}, {{"SVCDIFF_BASE", absent}});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_TRUE(contains(result.err, "base commit " + absent)) << result.err;
  EXPECT_TRUE(contains(result.err, "is not in this repository")) << result.err;
  json artifact = items();
  EXPECT_EQ(artifact["all"], true);
  EXPECT_EQ(artifact["base_rule"], "env");
  EXPECT_EQ(artifact["base"], nullptr);
  EXPECT_EQ(artifact["services"], json({"svc_a", "svc_b"}));
  EXPECT_EQ(artifact["waves"][0][0]["reasons"][0]["kind"], "unknown_base");

  // The initial value of the Parameter Store parameter (buildspecs/).
  result = svcdiff({}, {{"SVCDIFF_BASE", std::string(40, '0')}});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(items()["all"], true);

  repo_.write("previous.json", "previous\n");
  result = run_svcdiff(repo_.path(), {"--on-unknown-base", "fail", "-o", "previous.json"},
                       {{"SVCDIFF_BASE", absent}});
  EXPECT_EQ(result.status, 4) << result.err;
  EXPECT_TRUE(contains(result.err, "svcdiff: error: unknown base: base commit " + absent))
      << result.err;
  EXPECT_EQ(read_file(repo_.at("previous.json")), "previous\n");
}

// A revision that names nothing is a mistake, not an unknown base (SPEC §3).
TEST_F(BaseRulesTest, RevisionPastTheRootOfADeepCloneIsAnError) {
  add_services(repo_, {"svc_a"});
  auto result = svcdiff({"--base", "HEAD~999"});
  EXPECT_EQ(result.status, 1) << result.err;
  EXPECT_TRUE(contains(result.err, "`HEAD~999`")) << result.err;
  EXPECT_FALSE(std::filesystem::exists(output()));
}

TEST_F(BaseRulesTest, UnreadableBaseCommitIsAnUnknownBase) {
  add_services(repo_, {"svc_a", "svc_b"});
  const std::string base = touch("svc_a", "1.py");
  touch("svc_b", "2.py");
  // Corrupt the base commit's loose object.
  const std::string object = ".git/objects/" + base.substr(0, 2) + "/" + base.substr(2);
  ASSERT_TRUE(std::filesystem::is_regular_file(repo_.at(object)));
  std::filesystem::permissions(repo_.at(object), std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  repo_.write(object, "not a zlib stream");

  for (const std::string& revision : {base, std::string("HEAD~1")}) {
    SCOPED_TRACE(revision);
    auto result = svcdiff({"--base", revision});
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_TRUE(contains(result.err, "(--base " + revision + ") cannot be read")) << result.err;
    EXPECT_TRUE(contains(result.err, "git fsck")) << result.err;
    EXPECT_EQ(items()["all"], true);
    EXPECT_EQ(selected(), (Names{"svc_a", "svc_b"}));

    result = svcdiff({"--base", revision, "--on-unknown-base", "fail"});
    EXPECT_EQ(result.status, 4) << result.err;
  }
}

TEST_F(BaseRulesTest, BaseEqualToHeadSelectsNothingAndSaysSo) {
  const std::string head = add_services(repo_, {"svc_a", "svc_b"});
  auto result = svcdiff({"--base", "HEAD"});
  ASSERT_EQ(result.status, 0) << result.err;
  json artifact = items();
  EXPECT_EQ(artifact["services"], json::array());
  EXPECT_EQ(artifact["all"], false);
  EXPECT_EQ(artifact["base"], head);
  EXPECT_EQ(artifact["head"], head);
  EXPECT_TRUE(
      contains(result.err, "base equals head (" + head.substr(0, 12) + "): nothing changed"))
      << result.err;

  // A rebuild of the same push.
  result = svcdiff(
      {}, {{"CODEBUILD_WEBHOOK_PREV_COMMIT", head}, {"CODEBUILD_RESOLVED_SOURCE_VERSION", head}});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(items()["services"], json::array());
  EXPECT_TRUE(contains(result.err, "base equals head")) << result.err;
}

TEST_F(BaseRulesTest, EveryRunLogsHeadBaseAndRuleUnlessQuiet) {
  const std::string c0 = add_services(repo_, {"svc_a", "svc_b"});
  const std::string c1 = touch("svc_b", "1.py");
  auto result = svcdiff({"--base", "HEAD~1"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_TRUE(contains(result.err, "head " + c1.substr(0, 12) + " (HEAD), base " +
                                       c0.substr(0, 12) + " (rule flag: --base HEAD~1)"))
      << result.err;

  result = svcdiff({"-q", "--base", "HEAD~1"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(selected(), Names{"svc_b"});
  // -q silences the unknown-base warning too, never an error.
  result = svcdiff({"-q"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(items()["all"], true);
  result = svcdiff({"-q", "--on-unknown-base", "fail"});
  EXPECT_EQ(result.status, 4);
  EXPECT_TRUE(contains(result.err, "svcdiff: error: unknown base")) << result.err;
}

}  // namespace
}  // namespace svcdiff::testing
