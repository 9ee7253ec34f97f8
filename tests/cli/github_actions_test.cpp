// GitHub Actions end to end (SPEC §3 rule 4, §5 `github`): the base and head
// follow the event as the runner describes it (GITHUB_* variables and the event
// file, from tests/testdata/github/), $GITHUB_OUTPUT is appended to, and a
// Markdown summary goes to $GITHUB_STEP_SUMMARY. Real repositories, the real binary.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "support/build_paths.hpp"
#include "support/items_run_test.hpp"

namespace svcdiff::testing {
namespace {

using nlohmann::json;
using Names = std::vector<std::string>;
using Env = std::map<std::string, std::string>;

// An event payload from tests/testdata/github/ with its @NAME@ placeholders filled.
std::string event_payload(const std::string& name, const Env& values) {
  std::string text = read_file(source_dir() + "/tests/testdata/github/" + name + ".json");
  for (const auto& [key, value] : values) {
    const std::string placeholder = "@" + key + "@";
    for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder)) {
      text.replace(at, placeholder.size(), value);
    }
  }
  EXPECT_FALSE(std::regex_search(text, std::regex("@[A-Z_]+@")))
      << name << ": a placeholder is left";
  return text;
}

class GithubActionsTest : public ItemsRunTest {
 protected:
  // What the runner sets for `event`, with the payload written where
  // GITHUB_EVENT_PATH points (outside the work tree).
  Env github_env(const std::string& event, const std::string& payload, const std::string& sha) {
    const std::string path = repo_.root() + "/event-" + event + ".json";
    write_outside(path, payload);
    return {{"GITHUB_ACTIONS", "true"},
            {"GITHUB_EVENT_NAME", event},
            {"GITHUB_EVENT_PATH", path},
            {"GITHUB_SHA", sha}};
  }
  static void write_outside(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }
};

TEST_F(GithubActionsTest, PushDiffsFromTheEventsBefore) {
  add_services(repo_, {"svc_a", "svc_b", "svc_c"});
  const std::string before = touch("svc_a", "1.py");
  touch("svc_b", "2.py");
  const std::string after = touch("svc_c", "3.py");
  Env env =
      github_env("push", event_payload("push", {{"BEFORE", before}, {"AFTER", after}}), after);

  auto result = svcdiff({}, env);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(items()["base_rule"], "github-push-before");
  EXPECT_EQ(items()["base"], before);
  EXPECT_EQ(items()["head"], after);
  EXPECT_EQ(selected(), (Names{"svc_b", "svc_c"}));
  EXPECT_TRUE(contains(result.err, "head " + after.substr(0, 12) + " (GITHUB_SHA)")) << result.err;
  EXPECT_TRUE(contains(result.err, "rule github-push-before: GITHUB_EVENT_PATH's before=" + before))
      << result.err;

  // Outside GitHub Actions the same variables mean nothing.
  env["GITHUB_ACTIONS"] = "";
  result = svcdiff({}, env);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(items()["base_rule"], "unknown");
}

// CodeBuild's rules come before GitHub's, GitHub's before defaults.base (SPEC §3).
TEST_F(GithubActionsTest, RuleFourStandsBetweenCodebuildAndTheConfigDefault) {
  add_services(repo_, {"svc_a", "svc_b", "svc_c"});
  repo_.git("branch", "config-base");
  const std::string c1 = touch("svc_a", "1.py");
  const std::string c2 = touch("svc_b", "2.py");
  const std::string head = touch("svc_c", "3.py");
  repo_.write("svcdiff.yml", "version: 1\ndefaults: {base: config-base}\n");
  Env env = github_env("push", event_payload("push", {{"BEFORE", c2}, {"AFTER", head}}), head);
  env["CODEBUILD_WEBHOOK_PREV_COMMIT"] = c1;

  auto result = svcdiff({}, env);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(items()["base_rule"], "webhook-prev-commit");
  env.erase("CODEBUILD_WEBHOOK_PREV_COMMIT");
  result = svcdiff({}, env);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(items()["base_rule"], "github-push-before");
  EXPECT_EQ(items()["base"], c2);
  env["GITHUB_ACTIONS"] = "false";
  result = svcdiff({}, env);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(items()["base_rule"], "config-default");
}

TEST_F(GithubActionsTest, HeadIsGithubShaAfterTheCodebuildVariable) {
  const std::string c0 = add_services(repo_, {"svc_a", "svc_b"});
  const std::string c1 = touch("svc_a", "1.py");
  const std::string c2 = touch("svc_b", "2.py");
  const Env env{{"GITHUB_ACTIONS", "true"}, {"GITHUB_SHA", c1}};

  auto result = svcdiff({"--base", c0}, env);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(items()["head"], c1);
  EXPECT_EQ(selected(), Names{"svc_a"});

  Env codebuild = env;
  codebuild["CODEBUILD_RESOLVED_SOURCE_VERSION"] = c2;
  result = svcdiff({"--base", c0}, codebuild);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(items()["head"], c2);

  result = svcdiff({"--base", c0}, {{"GITHUB_SHA", c1}});  // not in Actions
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(items()["head"], c2);
}

// As actions/checkout with fetch-depth: 0 checks out a pull request: the
// merge commit GitHub made, the base branch as origin/main.
TEST_F(GithubActionsTest, PullRequestDiffsFromTheMergeBaseOfGithubBaseRef) {
  add_services(repo_, {"svc_a", "svc_b", "svc_c"});
  repo_.git("checkout", "-q", "-b", "feature");
  const std::string feature = touch("svc_c", "feature.py");
  repo_.git("checkout", "-q", "main");
  const std::string main_tip = touch("svc_a", "main-moved-on.py");
  repo_.git("merge", "-q", "--no-ff", "-m", "Merge feature into main", "feature");
  const std::string merge = repo_.rev_parse("HEAD");
  repo_.git("reset", "-q", "--hard", main_tip);  // GitHub's merge commit is not on main

  const std::string clone = repo_.root() + "/clone";
  run_git(repo_.root(), {"clone", "-q", repo_.path(), clone});
  run_git(clone, {"checkout", "-q", "--detach", merge});
  Env env = github_env("pull_request",
                       event_payload("pull_request", {{"BEFORE", feature},
                                                      {"HEAD_SHA", feature},
                                                      {"BASE_SHA", main_tip},
                                                      {"MERGE_SHA", merge}}),
                       merge);
  env["GITHUB_BASE_REF"] = "main";
  env["GITHUB_HEAD_REF"] = "feature";

  auto result = svcdiff_in(clone, {}, env);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(items()["base_rule"], "github-base-ref");
  EXPECT_EQ(items()["base"], main_tip);
  EXPECT_EQ(items()["head"], merge);
  EXPECT_EQ(selected(), Names{"svc_c"});  // the pull request's own change only

  // A base branch the clone does not hold: unknown, so every service.
  env["GITHUB_BASE_REF"] = "release";
  result = svcdiff_in(clone, {}, env);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(items()["all"], true);
  EXPECT_TRUE(contains(result.err, "git fetch origin release")) << result.err;
}

TEST_F(GithubActionsTest, ShallowCheckoutSaysToFetchTheHistory) {
  add_services(repo_, {"svc_a", "svc_b"});
  const std::string before = touch("svc_a", "1.py");
  const std::string after = touch("svc_b", "2.py");
  const std::string clone = repo_.root() + "/shallow";
  // actions/checkout's default: one commit.
  run_git(repo_.root(), {"clone", "-q", "--depth", "1", "file://" + repo_.path(), clone});
  Env env =
      github_env("push", event_payload("push", {{"BEFORE", before}, {"AFTER", after}}), after);

  auto result = svcdiff_in(clone, {}, env);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(items()["all"], true);
  EXPECT_EQ(items()["base_rule"], "github-push-before");
  EXPECT_TRUE(contains(result.err, "set `fetch-depth: 0`")) << result.err;
  result = svcdiff_in(clone, {"--on-unknown-base", "fail"}, env);
  EXPECT_EQ(result.status, 4) << result.err;
}

TEST_F(GithubActionsTest, NewBranchAndNonPushEventsFallThroughToTheNextRule) {
  const std::string fork = add_services(repo_, {"svc_a", "svc_b"});
  repo_.git("checkout", "-q", "-b", "topic");
  const std::string head = touch("svc_b", "new.py");
  repo_.write("svcdiff.yml", "version: 1\ndefaults: {base: main}\n");

  Env env = github_env(
      "push", event_payload("push", {{"BEFORE", std::string(40, '0')}, {"AFTER", head}}), head);
  auto result = svcdiff({}, env);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_TRUE(contains(result.err, "`before` is all zeros")) << result.err;
  EXPECT_EQ(items()["base_rule"], "config-default");
  EXPECT_EQ(items()["base"], fork);
  EXPECT_EQ(selected(), Names{"svc_b"});

  env = github_env("workflow_dispatch", event_payload("workflow_dispatch", {}), head);
  result = svcdiff({"-v"}, env);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_TRUE(contains(result.err, "the workflow_dispatch event has no `before`")) << result.err;
  EXPECT_EQ(items()["base_rule"], "config-default");
}

TEST_F(GithubActionsTest, ForcePushDiffsFromTheMergeBaseWithAWarning) {
  add_services(repo_, {"svc_a", "svc_b", "svc_c"});
  const std::string kept = touch("svc_a", "kept.py");
  const std::string old_tip = touch("svc_b", "rewritten-away.py");
  repo_.git("reset", "-q", "--hard", kept);
  const std::string head = touch("svc_c", "new.py");
  Env env = github_env("push", event_payload("push", {{"BEFORE", old_tip}, {"AFTER", head}}), head);

  auto result = svcdiff({}, env);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_TRUE(contains(result.err, "is not an ancestor of head")) << result.err;
  EXPECT_EQ(items()["base"], kept);
  EXPECT_EQ(selected(), Names{"svc_c"});
}

TEST_F(GithubActionsTest, AnUnusableEventFileIsAnErrorNamingTheVariable) {
  const std::string head = add_services(repo_, {"svc_a"});
  Env env = github_env("push", "{not json", head);
  auto result = svcdiff({}, env);
  EXPECT_EQ(result.status, 1) << result.err;
  EXPECT_TRUE(contains(result.err, "svcdiff: error: GITHUB_EVENT_PATH=")) << result.err;
  EXPECT_TRUE(contains(result.err, "is not a JSON object")) << result.err;

  env = github_env("push", R"({"before": 42, "after": null})", head);
  result = svcdiff({}, env);
  EXPECT_EQ(result.status, 1) << result.err;
  EXPECT_TRUE(contains(result.err, "`before` is 42, not a full commit id")) << result.err;

  env["GITHUB_EVENT_PATH"] = repo_.root() + "/no-such-event.json";
  result = svcdiff({}, env);
  EXPECT_EQ(result.status, 1) << result.err;
  EXPECT_TRUE(contains(result.err, "cannot read GITHUB_EVENT_PATH=")) << result.err;
  EXPECT_FALSE(std::filesystem::exists(output()));
}

TEST_F(GithubActionsTest, GithubFormatAppendsToGithubOutput) {
  const std::string c0 = add_services(repo_, {"svc_a", "svc_b"});
  const std::string c1 = touch("svc_b", "1.py");
  const std::string github_output = repo_.root() + "/github_output";
  write_outside(github_output, "earlier=step\n");
  const Env env{{"GITHUB_ACTIONS", "true"}, {"GITHUB_OUTPUT", github_output}};

  auto result = run_svcdiff(repo_.path(), {"--format", "github", "--base", c0}, env);
  ASSERT_EQ(result.status, 0) << result.err;
  const std::string block =
      "services=[\"svc_b\"]\ncount=1\nany=true\nbase=" + c0 + "\nhead=" + c1 + "\nall=false\n";
  EXPECT_EQ(read_file(github_output), "earlier=step\n" + block);
  EXPECT_FALSE(std::filesystem::exists(repo_.at("ABC.json")));

  // A second step appends again; -o names another file, appended to alike.
  result = run_svcdiff(repo_.path(), {"--format", "github", "--base", c0}, env);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(read_file(github_output), "earlier=step\n" + block + block);
  result = run_svcdiff(repo_.path(),
                       {"--format", "github", "--base", c0, "-o", repo_.root() + "/other"}, env);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(read_file(repo_.root() + "/other"), block);
  result = run_svcdiff(repo_.path(), {"--format", "github", "--base", c0, "-o", "-"}, env);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, block);

  // A failed run appends nothing.
  result = run_svcdiff(repo_.path(), {"--format", "github", "--base", "nosuch"}, env);
  EXPECT_EQ(result.status, 1) << result.err;
  EXPECT_EQ(read_file(github_output), "earlier=step\n" + block + block);
}

TEST_F(GithubActionsTest, StepSummaryGetsAMarkdownTable) {
  add_services(repo_, {"svc_a", "svc_b"});
  repo_.write("svcdiff.yml",
              "version: 1\nservices:\n  svc_a: {paths: [services/svc_a/], depends_on: [svc_b]}\n"
              "  svc_b: {paths: [services/svc_b/]}\n");
  const std::string c0 = repo_.commit("config");
  touch("svc_b", "a|b.py");
  const std::string summary = repo_.root() + "/summary.md";
  write_outside(summary, "# Build\n\n");

  auto result = run_svcdiff(repo_.path(), {"--base", c0, "-o", "-"},
                            {{"GITHUB_ACTIONS", "true"}, {"GITHUB_STEP_SUMMARY", summary}});
  ASSERT_EQ(result.status, 0) << result.err;
  const std::string text = read_file(summary);
  EXPECT_EQ(text.rfind("# Build\n\n### svcdiff: 2 services to build\n", 0), 0u) << text;
  EXPECT_TRUE(contains(text, "| service | wave | why |\n|---|---|---|\n")) << text;
  EXPECT_TRUE(contains(text, "| svc_b | 0 | `services/svc_b/a\\|b.py` changed |\n")) << text;
  EXPECT_TRUE(contains(text, "| svc_a | 1 | depends on svc_b |\n")) << text;
  EXPECT_EQ(result.out, "{\"services\":[\"svc_a\",\"svc_b\"]}\n");
}

}  // namespace
}  // namespace svcdiff::testing
