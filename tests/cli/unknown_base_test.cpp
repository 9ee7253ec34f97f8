// End-to-end: checkouts where no base can be used (SPEC §3): a shallow clone
// whose boundary is above the base, and CodePipeline's zip artifact without
// .git. `all` selects every service and says why; `fail` exits 4 (issue 3).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

using nlohmann::json;
using Names = std::vector<std::string>;

void write_file(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

// A repository with three services and two commits on top, and a clone of it
// made with `git clone --depth 1 file://...`: it holds only the last commit.
class ShallowCloneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    add_services(repo_, {"svc_a", "svc_b", "svc_c"});
    repo_.write("services/svc_a/1.py", "1\n");
    base_ = repo_.commit("svc_a");
    repo_.write("services/svc_b/2.py", "2\n");
    head_ = repo_.commit("svc_b");
    clone_ = repo_.root() + "/shallow";
    run_git(repo_.root(), {"clone", "-q", "--depth", "1", "file://" + repo_.path(), clone_});
    ASSERT_EQ(trim_newline(run_git(clone_, {"rev-parse", "--is-shallow-repository"})), "true");
  }
  CommandResult svcdiff(std::vector<std::string> args) {
    return run_svcdiff(clone_, std::move(args), {{"SVCDIFF_BASE", base_}});
  }
  json artifact() const { return json::parse(read_file(clone_ + "/ABC.json")); }

  TempRepo repo_;
  std::string base_;
  std::string head_;
  std::string clone_;
};

TEST_F(ShallowCloneTest, BaseBeyondTheBoundarySelectsEveryServiceAndSaysHowToDeepen) {
  auto result = svcdiff({"--format", "items"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_TRUE(contains(result.err, "warning: unknown base: base commit " + base_)) << result.err;
  EXPECT_TRUE(contains(result.err, "this is a shallow clone: deepen it (git fetch --unshallow"))
      << result.err;
  EXPECT_TRUE(contains(result.err, "git-clone-depth")) << result.err;
  EXPECT_TRUE(contains(result.err, "selecting every service (--on-unknown-base all)"))
      << result.err;
  json items = artifact();
  EXPECT_EQ(items["all"], true);
  EXPECT_EQ(items["base_rule"], "env");
  EXPECT_EQ(items["base"], nullptr);
  EXPECT_EQ(items["head"], head_);
  EXPECT_EQ(items["services"], json({"svc_a", "svc_b", "svc_c"}));
  for (const auto& item : items["waves"][0]) {
    EXPECT_EQ(item["reasons"][0]["kind"], "unknown_base");
    EXPECT_TRUE(contains(item["reasons"][0]["detail"].get<std::string>(), "shallow clone"));
  }
}

// Shallowness explains a commit past the boundary (an id, abbreviated or
// not, or ancestry of a name the clone holds), not a name it does not hold
// at all: a misspelt SVCDIFF_BASE must not rebuild everything on every run.
TEST_F(ShallowCloneTest, ANameTheCloneDoesNotHoldIsAnErrorNotAnUnknownBase) {
  write_file(clone_ + "/ABC.json", "previous");
  for (const std::string& base : {std::string("mian"), std::string("origin/mian"),
                                  std::string("v1"), std::string("mian~1")}) {
    auto result = run_svcdiff(clone_, {}, {{"SVCDIFF_BASE", base}});
    EXPECT_EQ(result.status, 1) << base << ": " << result.err;
    EXPECT_TRUE(contains(result.err, "SVCDIFF_BASE: unknown revision `" + base + "`"))
        << result.err;
    EXPECT_EQ(read_file(clone_ + "/ABC.json"), "previous");
  }
  for (const std::string& base :
       {base_.substr(0, 7), std::string("HEAD~1"), std::string("@~1"), std::string("main~1")}) {
    auto result = run_svcdiff(clone_, {"-o", "-"}, {{"SVCDIFF_BASE", base}});
    ASSERT_EQ(result.status, 0) << base << ": " << result.err;
    EXPECT_TRUE(contains(result.err, "this is a shallow clone: deepen it")) << result.err;
    EXPECT_EQ(json::parse(result.out)["services"], json({"svc_a", "svc_b", "svc_c"}));
  }
}

// A full id of a tree or a blob the clone holds is no missing commit: it is
// an error naming it, in a shallow clone or not, whichever variable gave it.
TEST_F(ShallowCloneTest, AnIdOfATreeOrABlobIsAnErrorNotAnUnknownBase) {
  write_file(clone_ + "/ABC.json", "previous");
  const std::string tree = trim_newline(run_git(clone_, {"rev-parse", "HEAD^{tree}"}));
  const std::string blob =
      trim_newline(run_git(clone_, {"rev-parse", "HEAD:services/svc_a/app.py"}));
  for (const auto& [base, kind] :
       {std::pair{tree, std::string("tree")}, std::pair{blob, std::string("blob")}}) {
    for (const std::string& dir : {clone_, repo_.path()}) {
      auto result =
          run_svcdiff(dir, {"-o", clone_ + "/ABC.json"}, {{"CODEBUILD_WEBHOOK_PREV_COMMIT", base}});
      EXPECT_EQ(result.status, 1) << kind << ": " << result.err;
      EXPECT_TRUE(contains(result.err, "`" + base + "`: it names a " + kind + ", not a commit"))
          << result.err;
      EXPECT_EQ(read_file(clone_ + "/ABC.json"), "previous");
    }
  }
}

TEST_F(ShallowCloneTest, FailPolicyExitsFourAndLeavesThePreviousArtifact) {
  write_file(clone_ + "/ABC.json", "previous");
  auto result = svcdiff({"--on-unknown-base", "fail"});
  EXPECT_EQ(result.status, 4) << result.err;
  EXPECT_TRUE(contains(result.err, "svcdiff: error: unknown base: base commit " + base_))
      << result.err;
  EXPECT_TRUE(contains(result.err, "git fetch --unshallow")) << result.err;
  EXPECT_TRUE(contains(result.err, "(--on-unknown-base fail)")) << result.err;
  EXPECT_EQ(read_file(clone_ + "/ABC.json"), "previous");

  // A relative revision past the boundary is unknown too, not a typo.
  result = run_svcdiff(clone_, {"--base", "HEAD~1", "--on-unknown-base", "fail"});
  EXPECT_EQ(result.status, 4) << result.err;
  EXPECT_EQ(read_file(clone_ + "/ABC.json"), "previous");
}

TEST_F(ShallowCloneTest, ConfigPolicyAppliesAndTheFlagOverridesIt) {
  write_file(clone_ + "/svcdiff.yml", "version: 1\ndefaults: {on_unknown_base: fail}\n");
  auto result = svcdiff({});
  EXPECT_EQ(result.status, 4) << result.err;
  result = svcdiff({"--on-unknown-base", "all"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(artifact()["services"], json({"svc_a", "svc_b", "svc_c"}));
}

TEST_F(ShallowCloneTest, DeepeningAsTheMessageSaysMakesTheBaseUsable) {
  run_git(clone_, {"fetch", "-q", "--unshallow"});
  auto result = svcdiff({"--on-unknown-base", "fail"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(artifact()["services"], json({"svc_b"}));
}

// CodePipeline's default source artifact: the files, no .git.
class ZipArtifactTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const std::string name : {"svc_a", "svc_b"}) {
      dir_.write("services/" + name + "/buildspec.yml", "version: 0.2\n");
      dir_.write("services/" + name + "/app.py", "print()\n");
    }
  }
  CommandResult svcdiff(std::vector<std::string> args) {
    // What CodeBuild sets for a CodePipeline source, whatever the format.
    return run_svcdiff(dir_.path(), std::move(args),
                       {{"CODEBUILD_RESOLVED_SOURCE_VERSION", kCommit},
                        {"SVCDIFF_BASE", "0123456789012345678901234567890123456789"}});
  }
  json artifact() const { return json::parse(read_file(dir_.at("ABC.json"))); }

  static constexpr const char* kCommit = "3f1c9a0e3f1c9a0e3f1c9a0e3f1c9a0e3f1c9a0e";
  TempRepo dir_{TempRepo::Options{.init = false}};
};

TEST_F(ZipArtifactTest, SelectsEveryServiceAndNamesFullCloneAndCloneDepth) {
  auto result = svcdiff({"--format", "items"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_TRUE(contains(result.err, "no .git directory here")) << result.err;
  EXPECT_TRUE(contains(result.err, "CodePipeline's default source artifact is a zip"))
      << result.err;
  EXPECT_TRUE(contains(result.err, "\"Full clone\"")) << result.err;
  EXPECT_TRUE(contains(result.err, "git-clone-depth")) << result.err;
  json items = artifact();
  EXPECT_EQ(items["all"], true);
  EXPECT_EQ(items["base_rule"], "unknown");
  EXPECT_EQ(items["services"], json({"svc_a", "svc_b"}));
  // The service builds still get the commit CodePipeline resolved.
  EXPECT_EQ(items["head"], kCommit);
  EXPECT_TRUE(contains(result.err, "head 3f1c9a0e3f1c (CODEBUILD_RESOLVED_SOURCE_VERSION)"))
      << result.err;
}

TEST_F(ZipArtifactTest, FailPolicyExitsFourWithTheSameAdvice) {
  dir_.write("ABC.json", "previous");
  auto result = svcdiff({"--on-unknown-base", "fail"});
  EXPECT_EQ(result.status, 4) << result.err;
  EXPECT_TRUE(contains(result.err, "svcdiff: error: unknown base: no .git directory here"))
      << result.err;
  EXPECT_TRUE(contains(result.err, "Full clone")) << result.err;
  EXPECT_TRUE(contains(result.err, "git-clone-depth")) << result.err;
  EXPECT_EQ(read_file(dir_.at("ABC.json")), "previous");
}

}  // namespace
}  // namespace svcdiff::testing
