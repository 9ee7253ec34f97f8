// Dependencies end to end (SPEC §4, §5): libraries select their dependents,
// waves order the builds, and broken graphs are configuration errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

using nlohmann::json;
using Names = std::vector<std::string>;

// common is a library; api and web depend on it, worker on api; solo on nothing.
constexpr const char* kLibraryConfig =
    "version: 1\n"
    "discover:\n"
    "  - {glob: \"services/*\"}\n"
    "services:\n"
    "  common:\n"
    "    paths: [libs/common/]\n"
    "    build: false\n"
    "  api:\n"
    "    depends_on: [common]\n"
    "  web:\n"
    "    depends_on: [common]\n"
    "  worker:\n"
    "    depends_on: [api]\n";

class DependenciesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    add_services(repo_, {"api", "web", "worker", "solo"});
    repo_.write("libs/common/util.py", "def util(): pass\n");
    repo_.write("svcdiff.yml", kLibraryConfig);
    repo_.commit("library and services");
  }

  // `svcdiff --format items` from HEAD~1 to HEAD; the artifact it wrote.
  json items_since_parent() {
    auto result = run_svcdiff(repo_.path(), {"--base", "HEAD~1", "--format", "items"});
    EXPECT_EQ(result.status, 0) << result.err;
    return json::parse(read_file(repo_.at("ABC.json")));
  }

  static Names wave_names(const json& wave) {
    Names names;
    for (const auto& item : wave) names.push_back(item["name"]);
    return names;
  }

  TempRepo repo_;
};

TEST_F(DependenciesTest, LibraryChangeSelectsDependentsInWavesAndNeverTheLibrary) {
  repo_.write("libs/common/util.py", "def util(): return 1\n");
  repo_.commit("change the library");
  json items = items_since_parent();
  EXPECT_EQ(items["services"], json({"api", "web", "worker"}));
  ASSERT_EQ(items["waves"].size(), 2u) << items.dump(2);
  EXPECT_EQ(wave_names(items["waves"][0]), (Names{"api", "web"}));
  EXPECT_EQ(wave_names(items["waves"][1]), Names{"worker"});
  EXPECT_EQ(items["waves"][1][0]["wave"], 1);
  EXPECT_EQ(items["waves"][0][0]["reasons"],
            json::parse(R"([{"kind":"dependency","via":"common"}])"));
  EXPECT_EQ(items["waves"][1][0]["reasons"], json::parse(R"([{"kind":"dependency","via":"api"}])"));
  // The library is only ever a reason.
  EXPECT_EQ(read_file(repo_.at("ABC.json")).find("\"name\":\"common\""), std::string::npos);

  // The seed format lists the same set.
  auto result = run_svcdiff(repo_.path(), {"--base", "HEAD~1", "-o", "-"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "{\"services\":[\"api\",\"web\",\"worker\"]}\n");
}

TEST_F(DependenciesTest, ChangedDependencyBuildsInAnEarlierWave) {
  repo_.write("services/api/app.py", "changed\n");
  repo_.write("services/solo/app.py", "changed\n");
  repo_.commit("api and solo");
  json items = items_since_parent();
  EXPECT_EQ(items["services"], json({"api", "solo", "worker"}));
  EXPECT_EQ(wave_names(items["waves"][0]), (Names{"api", "solo"}));
  EXPECT_EQ(wave_names(items["waves"][1]), Names{"worker"});
  EXPECT_EQ(items["waves"][0][0]["reasons"][0]["kind"], "file");
}

TEST_F(DependenciesTest, DependentAloneIsWaveZero) {
  repo_.write("services/worker/app.py", "changed\n");
  repo_.commit("worker only");
  json items = items_since_parent();
  EXPECT_EQ(items["services"], json({"worker"}));
  ASSERT_EQ(items["waves"].size(), 1u);
  EXPECT_EQ(items["waves"][0][0]["wave"], 0);
}

TEST_F(DependenciesTest, CycleIsAConfigErrorNamingEveryMember) {
  repo_.write("svcdiff.yml",
              "version: 1\n"
              "discover:\n"
              "  - {glob: \"services/*\"}\n"
              "services:\n"
              "  api:\n"
              "    depends_on: [web]\n"
              "  web:\n"
              "    depends_on: [worker]\n"
              "  worker:\n"
              "    depends_on: [api]\n"
              "  solo:\n"
              "    depends_on: [api]\n");
  repo_.commit("cycle");
  repo_.write("ABC.json", "previous\n");
  for (const Names& args : {Names{"--base", "HEAD~1"}, Names{"list"}, Names{"graph"}}) {
    auto result = run_svcdiff(repo_.path(), args);
    EXPECT_EQ(result.status, 3) << result.err;
    EXPECT_NE(result.err.find("svcdiff.yml:5:3: error: dependency cycle: api -> web -> worker -> "
                              "api; remove one of these `depends_on` entries"),
              std::string::npos)
        << result.err;
    EXPECT_EQ(result.err.find("solo"), std::string::npos) << result.err;  // not a member
    EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << result.err;
  }
  EXPECT_EQ(read_file(repo_.at("ABC.json")), "previous\n");
}

TEST_F(DependenciesTest, UnknownDependencySuggestsTheNearestName) {
  repo_.write("svcdiff.yml",
              "version: 1\n"
              "discover:\n"
              "  - {glob: \"services/*\"}\n"
              "services:\n"
              "  common:\n"
              "    paths: [libs/common/]\n"
              "    build: false\n"
              "  api:\n"
              "    depends_on: [comon]\n");
  repo_.commit("typo");
  auto result = run_svcdiff(repo_.path(), {"--base", "HEAD~1"});
  EXPECT_EQ(result.status, 3) << result.err;
  EXPECT_EQ(result.err,
            "svcdiff.yml:9:18: error: service `api` depends on unknown service `comon`; did you "
            "mean `common`?\n");

  repo_.write("svcdiff.yml",
              "version: 1\nservices:\n  api:\n    paths: [services/api/]\n"
              "    depends_on: [zzzzzzzz]\n");
  result = run_svcdiff(repo_.path(), {"list"});
  EXPECT_EQ(result.status, 3) << result.err;
  EXPECT_NE(result.err.find("define it under `services` or remove it from `depends_on`"),
            std::string::npos)
      << result.err;
}

TEST_F(DependenciesTest, SelfDependencyIsAConfigError) {
  repo_.write("svcdiff.yml",
              "version: 1\nservices:\n  api:\n    paths: [services/api/]\n"
              "    depends_on: [api]\n");
  auto result = run_svcdiff(repo_.path(), {"list"});
  EXPECT_EQ(result.status, 3) << result.err;
  EXPECT_NE(result.err.find("svcdiff.yml:5:18: error: service `api` depends on itself"),
            std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace svcdiff::testing
