// End-to-end: the real binary against real repositories (issue: svcdiff core).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

using nlohmann::json;

class ChangedTest : public ::testing::Test {
 protected:
  CommandResult svcdiff(std::vector<std::string> args,
                        std::map<std::string, std::string> env = {}) {
    return run_svcdiff(repo_.path(), std::move(args), std::move(env));
  }
  json artifact() { return json::parse(read_file(repo_.at("ABC.json"))); }
  std::vector<std::string> selected() {
    return artifact()["services"].get<std::vector<std::string>>();
  }
  // Runs `svcdiff --base <base>` and returns the services it wrote.
  std::vector<std::string> changed_since(const std::string& base) {
    auto result = svcdiff({"--base", base});
    EXPECT_EQ(result.status, 0) << result.err;
    return selected();
  }

  TempRepo repo_;
};

using Names = std::vector<std::string>;

TEST_F(ChangedTest, SeedCaseSelectsTheTwoTouchedServices) {
  add_services(repo_, {"service_A", "service_B", "service_C"});
  repo_.write("services/service_A/app.py", "changed A\n");
  repo_.write("services/service_B/app.py", "changed B\n");
  repo_.commit("touch A and B");
  auto result = svcdiff({"--base", "HEAD~1"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(read_file(repo_.at("ABC.json")), "{\"services\":[\"service_A\",\"service_B\"]}\n");
  EXPECT_NE(result.err.find("rule flag"), std::string::npos) << result.err;
}

TEST_F(ChangedTest, ChangeUnderOneServiceSelectsOnlyIt) {
  add_services(repo_, {"service_A", "service_B", "service_C"});
  repo_.write("services/service_C/lib/new.py", "x\n");
  repo_.commit("C only");
  EXPECT_EQ(changed_since("HEAD~1"), Names{"service_C"});
}

TEST_F(ChangedTest, FileMovedBetweenServicesSelectsBoth) {
  add_services(repo_, {"service_A", "service_B", "service_C"});
  repo_.write("services/service_A/shared.py", "moving\n");
  repo_.commit("shared in A");
  repo_.git("mv", "services/service_A/shared.py", "services/service_B/shared.py");
  repo_.commit("move to B");
  EXPECT_EQ(changed_since("HEAD~1"), (Names{"service_A", "service_B"}));
}

TEST_F(ChangedTest, DeletedFileSelectsItsService) {
  add_services(repo_, {"service_A", "service_B"});
  repo_.remove("services/service_B/app.py");
  repo_.commit("delete");
  EXPECT_EQ(changed_since("HEAD~1"), Names{"service_B"});
}

TEST_F(ChangedTest, ExcludedPathSelectsNothing) {
  add_services(repo_, {"service_A", "service_B"});
  repo_.write("svcdiff.yml",
              "version: 1\nservices:\n  service_A:\n    paths: [services/service_A/]\n"
              "    exclude: [services/service_A/README.md]\n  service_B:\n    paths: "
              "[services/service_B/]\n");
  repo_.commit("config");
  repo_.write("services/service_A/README.md", "docs\n");
  repo_.commit("readme");
  EXPECT_EQ(changed_since("HEAD~1"), Names{});
}

TEST_F(ChangedTest, GlobalChangeSelectsEveryService) {
  add_services(repo_, {"service_A", "service_B", "service_C"});
  repo_.write("svcdiff.yml",
              "version: 1\nglobal: [/svcdiff.yml, buildspecs/]\ndiscover:\n"
              "  - {glob: \"services/*\", require: buildspec.yml}\n");
  repo_.commit("config");
  repo_.write("buildspecs/common.yml", "x\n");
  repo_.commit("global");
  EXPECT_EQ(changed_since("HEAD~1"), (Names{"service_A", "service_B", "service_C"}));
}

TEST_F(ChangedTest, IgnoredChangeSelectsNothing) {
  add_services(repo_, {"service_A", "service_B"});
  repo_.write("svcdiff.yml",
              "version: 1\nignore: [\"**/*.md\"]\ndiscover:\n  - {glob: \"services/*\"}\n");
  repo_.commit("config");
  repo_.write("services/service_A/NOTES.md", "notes\n");
  repo_.commit("docs");
  EXPECT_EQ(changed_since("HEAD~1"), Names{});
}

TEST_F(ChangedTest, SubmodulePointerChangeSelectsItsService) {
  TempRepo::Options no_init;
  TempRepo library_root(no_init);
  std::string library = library_root.root() + "/library";
  run_git(library_root.root(), {"init", "-q", library});
  run_git(library, {"commit", "-q", "--allow-empty", "-m", "one"});
  add_services(repo_, {"service_A", "service_B"});
  repo_.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", library,
            "services/service_A/vendor/lib");
  repo_.commit("submodule");
  run_git(library, {"commit", "-q", "--allow-empty", "-m", "two"});
  repo_.git("-c", "protocol.file.allow=always", "submodule", "update", "-q", "--remote");
  repo_.commit("bump submodule");
  EXPECT_EQ(changed_since("HEAD~1"), Names{"service_A"});

  // A pattern ending in '/' treats the submodule as a directory.
  repo_.write("svcdiff.yml", "version: 1\nservices:\n  vendored:\n    paths: [\"lib/\"]\n");
  repo_.commit("config");
  auto result = svcdiff({"--base", "HEAD~2", "--head", "HEAD~1"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), Names{"vendored"});
}

TEST_F(ChangedTest, InvalidUtf8AndNewlineNamesKeepJsonValid) {
  add_services(repo_, {"service_A", "service_B"});
  repo_.write("services/service_A/bad\xff\xfe.txt", "x\n");
  repo_.write("services/service_B/two\nlines.txt", "x\n");
  repo_.commit("odd names");
  auto result = svcdiff({"--base", "HEAD~1", "--format", "items"});
  ASSERT_EQ(result.status, 0) << result.err;
  json items = artifact();  // parses: valid JSON
  EXPECT_EQ(items["services"], json({"service_A", "service_B"}));
  EXPECT_EQ(items["waves"][0][0]["reasons"][0]["path"], "services/service_A/bad\\xff\\xfe.txt");
  EXPECT_EQ(items["waves"][0][1]["reasons"][0]["path"], "services/service_B/two\nlines.txt");
}

TEST_F(ChangedTest, InvalidConfigLeavesThePreviousArtifactUntouched) {
  add_services(repo_, {"service_A"});
  repo_.write("ABC.json", "previous\n");
  repo_.write("svcdiff.yml",
              "version: 1\nservices:\n  service_A:\n    path: [services/service_A/]\n");
  auto result = svcdiff({"--base", "HEAD"});
  EXPECT_EQ(result.status, 3) << result.err;
  EXPECT_NE(result.err.find("svcdiff.yml:4:5: error:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("did you mean `paths`?"), std::string::npos) << result.err;
  EXPECT_EQ(read_file(repo_.at("ABC.json")), "previous\n");
  // One line.
  EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << result.err;
}

TEST_F(ChangedTest, MisspeltBaseBranchIsARuntimeErrorNamingIt) {
  add_services(repo_, {"service_A"});
  repo_.write("ABC.json", "previous\n");
  auto result = svcdiff({"--base", "mian"});
  EXPECT_EQ(result.status, 1) << result.err;
  EXPECT_NE(result.err.find("mian"), std::string::npos) << result.err;
  EXPECT_EQ(read_file(repo_.at("ABC.json")), "previous\n");
}

TEST_F(ChangedTest, NoBaseSelectsEveryServiceAndSaysWhy) {
  add_services(repo_, {"service_A", "service_B", "service_C"});
  auto result = svcdiff({"--format", "items"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_NE(result.err.find("no base given"), std::string::npos) << result.err;
  json items = artifact();
  EXPECT_EQ(items["all"], true);
  EXPECT_EQ(items["base_rule"], "unknown");
  EXPECT_EQ(items["base"], nullptr);
  EXPECT_EQ(items["services"].size(), 3u);
  EXPECT_EQ(items["waves"][0][0]["reasons"][0]["kind"], "unknown_base");
}

TEST_F(ChangedTest, AllFlagSelectsEveryService) {
  add_services(repo_, {"service_A", "service_B"});
  auto result = svcdiff({"--all", "-o", "-"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "{\"services\":[\"service_A\",\"service_B\"]}\n");
}

TEST_F(ChangedTest, MergeBaseDiffsFromTheForkPoint) {
  add_services(repo_, {"service_A", "service_B"});
  repo_.git("checkout", "-q", "-b", "feature");
  repo_.write("services/service_A/f.py", "feature\n");
  repo_.commit("feature work");
  repo_.git("checkout", "-q", "main");
  repo_.write("services/service_B/m.py", "main moved on\n");
  repo_.commit("main work");
  auto result = svcdiff({"--base", "main", "--head", "feature", "--merge-base"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), Names{"service_A"});
  result = svcdiff({"--base", "main", "--head", "feature"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(selected(), (Names{"service_A", "service_B"}));
}

TEST_F(ChangedTest, TextFormatToStdout) {
  add_services(repo_, {"service_A", "service_B"});
  repo_.write("services/service_B/x", "x");
  repo_.commit("b");
  auto result = svcdiff({"--base", "HEAD~1", "--format", "text", "-o", "-", "-q"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "service_B\n");
  EXPECT_EQ(result.err, "");
}

TEST_F(ChangedTest, UsageErrorsExitTwo) {
  add_services(repo_, {"service_A"});
  auto result = svcdiff({"--format", "yaml"});
  EXPECT_EQ(result.status, 2) << result.err;
  result = svcdiff({"chnaged"});
  EXPECT_EQ(result.status, 2);
  EXPECT_NE(result.err.find("did you mean `changed`?"), std::string::npos) << result.err;
  result = svcdiff({"--no-such-flag"});
  EXPECT_EQ(result.status, 2);
}

TEST_F(ChangedTest, HelpAndVersion) {
  auto result = svcdiff({"--version"});
  EXPECT_EQ(result.status, 0);
  EXPECT_EQ(result.out.rfind("svcdiff ", 0), 0u);
  // `--version` alone answers before CLI11 runs; with another option CLI11
  // answers: the same line.
  EXPECT_EQ(svcdiff({"-q", "--version"}).out, result.out);
  result = svcdiff({"--help"});
  EXPECT_EQ(result.status, 0);
  EXPECT_NE(result.out.find("changed"), std::string::npos);
  result = svcdiff({"help", "match"});
  EXPECT_EQ(result.status, 0);
  EXPECT_NE(result.out.find("PATTERN"), std::string::npos);
}

TEST_F(ChangedTest, MatchAndOwnersCheckPatternsByHand) {
  add_services(repo_, {"service_A", "service_B"});
  auto result =
      svcdiff({"match", "services/*/app.py", "services/service_A/app.py", "services/x/y/app.py"});
  EXPECT_EQ(result.status, 0);
  EXPECT_EQ(result.out, "services/service_A/app.py\n");
  result = svcdiff({"match", "docs/", "src/docs.txt"});
  EXPECT_EQ(result.status, 1);
  EXPECT_EQ(result.out, "");
  // A pattern argument that is no pattern is a usage error, one line naming it.
  for (const std::string bad : {"a/../b", "", "a/[b", "[[:foo:]]/x", "a\\"}) {
    result = svcdiff({"match", bad, "a/[b"});
    EXPECT_EQ(result.status, 2) << bad << ": " << result.err;
    EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << result.err;
    EXPECT_TRUE(result.out.empty()) << result.out;
  }
  result = svcdiff({"match", "a/\\[b", "a/[b"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "a/[b\n");

  result = svcdiff({"owners", "services/service_A/app.py", "README.md"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "services/service_A/app.py\tservice_A\nREADME.md\t\n");
  result = run_svcdiff(repo_.path(), {"owners", "--stdin", "--json"}, {},
                       std::string("services/service_B/x\n"));
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, R"({"services/service_B/x":{"services":["service_B"],"rule":"service"}})"
                        "\n");
  // Paths in the order given, as the text lines.
  result = svcdiff({"owners", "--json", "services/service_B/x", "README.md"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, R"({"services/service_B/x":{"services":["service_B"],"rule":"service"},)"
                        R"("README.md":{"services":[],"rule":"none"}})"
                        "\n");
}

}  // namespace
}  // namespace svcdiff::testing
