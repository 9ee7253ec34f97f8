// `svcdiff explain` end to end: why each service is, or is not, selected.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

constexpr const char* kConfig =
    "version: 1\n"
    "ignore: [\"**/*.md\"]\n"
    "discover:\n"
    "  - {glob: \"services/*\"}\n"
    "services:\n"
    "  common:\n"
    "    paths: [libs/common/]\n"
    "    build: false\n"
    "  api:\n"
    "    depends_on: [common]\n"
    "    exclude: [services/api/docs/]\n"
    "  worker:\n"
    "    depends_on: [api]\n";

class ExplainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    add_services(repo_, {"api", "worker", "web", "solo"});
    repo_.write("libs/common/util.py", "x\n");
    repo_.write("svcdiff.yml", kConfig);
    repo_.commit("monorepo");
  }

  CommandResult explain(std::vector<std::string> names) {
    names.insert(names.begin(), {"explain", "--base", "HEAD~1"});
    auto result = run_svcdiff(repo_.path(), names);
    EXPECT_EQ(result.status, 0) << result.err;
    return result;
  }

  TempRepo repo_;
};

TEST_F(ExplainTest, SelectedServiceNamesTheFileAndPattern) {
  repo_.write("services/web/index.js", "changed\n");
  repo_.commit("web");
  EXPECT_EQ(explain({"web"}).out,
            "web: selected, wave 0\n  changed: services/web/index.js matches `services/web/`\n");
  EXPECT_FALSE(std::filesystem::exists(repo_.at("ABC.json")));  // explain writes no artifact
}

// A path is one piece of one line in text output: a newline, a tab or a
// backslash in a name is escaped as \xNN (a non-UTF-8 byte already was), so
// a name cannot fake a line of its own.
TEST_F(ExplainTest, ControlBytesInAPathAreEscapedInTextOutput) {
  repo_.write("services/web/a\nweb: selected, wave 9\tb\\c", "changed\n");
  repo_.commit("odd name");
  EXPECT_EQ(explain({"web"}).out,
            "web: selected, wave 0\n  changed: services/web/a\\x0aweb: selected, wave "
            "9\\x09b\\x5cc matches `services/web/`\n");
  auto result = run_svcdiff(repo_.path(), {"--base", "HEAD~1", "-v", "-o", "-"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_NE(result.err.find("changed: services/web/a\\x0aweb: selected, wave 9\\x09b\\x5cc\n"),
            std::string::npos)
      << result.err;
}

TEST_F(ExplainTest, UnselectedServiceListsItsPaths) {
  repo_.write("services/web/index.js", "changed\n");
  repo_.commit("web");
  EXPECT_EQ(explain({"solo"}).out,
            "solo: not selected\n  no changed path selects it (paths: services/solo/)\n");
  EXPECT_EQ(explain({"worker"}).out,
            "worker: not selected\n  no changed path selects it (paths: services/worker/); "
            "nothing it depends on changed (api)\n");
}

TEST_F(ExplainTest, ExcludedAndIgnoredPathsAreNamed) {
  repo_.write("services/api/docs/guide.txt", "excluded\n");
  repo_.write("services/api/NOTES.md", "ignored\n");
  repo_.commit("api docs");
  EXPECT_EQ(explain({"api"}).out,
            "api: not selected\n"
            "  services/api/NOTES.md matches `services/api/` but is ignored by `**/*.md`\n"
            "  services/api/docs/guide.txt matches `services/api/` but is excluded by "
            "`services/api/docs/`\n"
            "  no changed path selects it (paths: services/api/); nothing it depends on changed "
            "(common)\n");
}

TEST_F(ExplainTest, DependencyChainIsFollowedToTheChange) {
  repo_.write("libs/common/util.py", "changed\n");
  repo_.commit("common");
  EXPECT_EQ(explain({"worker", "common", "api"}).out,
            "worker: selected, wave 1\n"
            "  depends on api, which depends on common, which changed\n"
            "common (library): changed; selects the services that depend on it, is never built "
            "itself\n"
            "  changed: libs/common/util.py matches `libs/common/`\n"
            "api: selected, wave 0\n"
            "  depends on common, which changed\n");
}

TEST_F(ExplainTest, WithoutNamesExplainsEveryService) {
  repo_.write("services/solo/app.py", "changed\n");
  repo_.commit("solo");
  auto out = explain({}).out;
  for (const char* line :
       {"api: not selected\n", "common (library): not selected\n", "solo: selected, wave 0\n",
        "web: not selected\n", "worker: not selected\n"}) {
    EXPECT_NE(out.find(line), std::string::npos) << line << "\n" << out;
  }
}

TEST_F(ExplainTest, RemovedServiceSaysSo) {
  repo_.remove("services/solo");
  repo_.commit("remove solo");
  EXPECT_EQ(explain({"solo"}).out,
            "solo: removed: its directory services/solo is gone at head, nothing to build\n");
}

// Services with their own `paths` stay in the config when their directory
// goes: each one removed is said so, between services that are selected.
TEST(ExplainRemoved, EveryRemovedServiceAmongTheOthersSaysSo) {
  TempRepo repo;
  add_services(repo, {"s_a", "s_b", "s_c", "s_d", "s_e"});
  repo.write("svcdiff.yml",
             "version: 1\nservices:\n"
             "  s_a: {paths: [services/s_a/]}\n  s_b: {paths: [services/s_b/]}\n"
             "  s_c: {paths: [services/s_c/]}\n  s_d: {paths: [services/s_d/], depends_on: [s_b]}\n"
             "  s_e: {paths: [services/s_e/]}\n");
  repo.commit("config");
  repo.remove("services/s_a");
  repo.remove("services/s_c");
  repo.write("services/s_b/app.py", "changed\n");
  repo.commit("remove s_a and s_c");
  auto result = run_svcdiff(repo.path(), {"explain", "--base", "HEAD~1"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out,
            "s_a: removed: its directory services/s_a is gone at head, nothing to build\n"
            "  changed: services/s_a/app.py matches `services/s_a/`\n"
            "  changed: services/s_a/buildspec.yml matches `services/s_a/`\n"
            "s_b: selected, wave 0\n"
            "  changed: services/s_b/app.py matches `services/s_b/`\n"
            "s_c: removed: its directory services/s_c is gone at head, nothing to build\n"
            "  changed: services/s_c/app.py matches `services/s_c/`\n"
            "  changed: services/s_c/buildspec.yml matches `services/s_c/`\n"
            "s_d: selected, wave 1\n"
            "  depends on s_b, which changed\n"
            "s_e: not selected\n"
            "  no changed path selects it (paths: services/s_e/)\n");
}

TEST_F(ExplainTest, UnknownServiceIsAUsageErrorWithASuggestion) {
  auto result = run_svcdiff(repo_.path(), {"explain", "--base", "HEAD", "wrker"});
  EXPECT_EQ(result.status, 2);
  EXPECT_NE(result.err.find("unknown service `wrker`; did you mean `worker`?"), std::string::npos)
      << result.err;
}

TEST_F(ExplainTest, UnknownBaseSaysWhyEverythingIsSelected) {
  auto result = run_svcdiff(repo_.path(), {"explain", "web"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out.rfind("web: selected, wave 0\n  unknown base: ", 0), 0u) << result.out;
}

}  // namespace
}  // namespace svcdiff::testing
