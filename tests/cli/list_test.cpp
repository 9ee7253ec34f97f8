// `svcdiff list` end to end, as text and as JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

using nlohmann::json;

TEST(ListCommand, TextIsEveryServiceAndLibrarySortedOneALine) {
  TempRepo repo;
  add_services(repo, {"web", "api", "Zeta"});
  repo.write("svcdiff.yml",
             "version: 1\ndiscover: [{glob: \"services/*\"}]\nservices:\n"
             "  common: {paths: [libs/common/], build: false}\n");
  repo.commit("config");
  auto result = run_svcdiff(repo.path(), {"list"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "Zeta\napi\ncommon\nweb\n");  // by bytes, as the artifact sorts

  result = run_svcdiff(repo.path(), {"list", "-q"});
  EXPECT_EQ(result.err, "");
}

// Zero services would make every answer an empty list, which reads as
// "nothing changed": the wrong directory, or globs that reach nothing.
TEST(ListCommand, NoServiceAtAllIsAWarningThatSaysWhere) {
  TempRepo repo;
  repo.write("README.md", "no services here\n");
  repo.commit("plain");
  const std::string no_config = "no services: no svcdiff.yml and no buildspec.yml below ";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"list"}, {"--all", "-o", "-"}, {"validate"}}) {
    const auto result = run_svcdiff(repo.path(), args);
    EXPECT_EQ(result.status, 0) << args[0] << ": " << result.err;
    EXPECT_TRUE(contains(result.err, no_config)) << args[0] << ": " << result.err;
  }
  repo.write("svcdiff.yml", "version: 1\ndiscover: [{glob: \"svc/*\"}]\n");
  repo.commit("config");
  auto result = run_svcdiff(repo.path(), {"list"});
  EXPECT_TRUE(contains(result.err,
                       "no services: svcdiff.yml lists none and its `discover` rules "
                       "find none"))
      << result.err;
  // One service is enough to say nothing.
  add_services(repo, {"api"});
  repo.write("svcdiff.yml", "version: 1\ndiscover: [{glob: \"services/*\"}]\n");
  repo.commit("api");
  result = run_svcdiff(repo.path(), {"list"});
  EXPECT_EQ(result.out, "api\n");
  EXPECT_FALSE(contains(result.err, "no services")) << result.err;
}

TEST(ListCommand, JsonDescribesEachService) {
  TempRepo repo;
  add_services(repo, {"api"});
  repo.write("svcdiff.yml",
             "version: 1\n"
             "discover: [{glob: \"services/*\"}]\n"
             "services:\n"
             "  api:\n"
             "    exclude: [services/api/docs/]\n"
             "    depends_on: [common]\n"
             "    project: api-build\n"
             "    vars: {STAGE: prod}\n"
             "  common: {paths: [libs/common/, \"libs/*.h\"], build: false}\n");
  repo.commit("config");
  auto result = run_svcdiff(repo.path(), {"list", "--json"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(json::parse(result.out), json::parse(R"([
    {"name": "api", "project": "api-build", "path": "services/api",
     "buildspec": "services/api/buildspec.yml", "paths": ["services/api/"],
     "exclude": ["services/api/docs/"], "depends_on": ["common"], "inferred": [],
     "build": true, "vars": {"STAGE": "prod"}, "discovered": true},
    {"name": "common", "project": "common", "path": "libs/common", "buildspec": "",
     "paths": ["libs/common/", "libs/*.h"], "exclude": [], "depends_on": [], "inferred": [],
     "build": false, "vars": {}, "discovered": false}
  ])"));
}

TEST(ListCommand, WorksWithoutGitAndWithoutServices) {
  TempRepo::Options no_git{false};
  TempRepo plain(no_git);
  auto result = run_svcdiff(plain.path(), {"list"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "");
  result = run_svcdiff(plain.path(), {"list", "--json"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(json::parse(result.out), json::array());
}

}  // namespace
}  // namespace svcdiff::testing
