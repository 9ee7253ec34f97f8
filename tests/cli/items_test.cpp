// The items artifact end to end (SPEC §5), compared with a golden file, and
// the `removed` list.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/build_paths.hpp"
#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

const std::string kGolden = source_dir() + "/tests/testdata/items/spec_example.json";
// Read before any TempRepo clears the SVCDIFF_ variables.
const bool kUpdateGolden = std::getenv("SVCDIFF_UPDATE_GOLDEN") != nullptr;

// SPEC §4's shape: service_A depends on service_B and has vars, common is a
// library, service_C and service_D are plain discovered services.
constexpr const char* kConfig =
    "version: 1\n"
    "discover:\n"
    "  - {glob: \"services/*\", require: buildspec.yml}\n"
    "services:\n"
    "  service_A:\n"
    "    depends_on: [service_B, common]\n"
    "    project: service-a-build\n"
    "    vars: {STAGE: prod}\n"
    "  service_B:\n"
    "    project: service-b-build\n"
    "  common:\n"
    "    paths: [\"libs/common/\"]\n"
    "    build: false\n";

class ItemsTest : public ::testing::Test {
 protected:
  CommandResult items_since_parent() {
    return run_svcdiff(repo_.path(), {"--base", "HEAD~1", "--format", "items"});
  }
  json artifact() { return json::parse(read_file(repo_.at("ABC.json"))); }

  TempRepo repo_;
};

TEST_F(ItemsTest, MatchesTheGoldenFile) {
  add_services(repo_, {"service_A", "service_B", "service_C", "service_D"});
  repo_.write("libs/common/common.py", "x\n");
  repo_.write("svcdiff.yml", kConfig);
  repo_.commit("monorepo");
  repo_.write("services/service_B/app.py", "print('B, changed')\n");
  repo_.remove("services/service_D");
  repo_.commit("change B, remove D");

  auto result = items_since_parent();
  ASSERT_EQ(result.status, 0) << result.err;
  const std::string text = read_file(repo_.at("ABC.json"));
  EXPECT_EQ(text.find('\n'), text.size() - 1) << "one line of compact JSON";
  ordered_json items = ordered_json::parse(text);
  EXPECT_EQ(items["base"], repo_.rev_parse("HEAD~1"));
  EXPECT_EQ(items["head"], repo_.rev_parse("HEAD"));
  items["base"] = "<base>";
  items["head"] = "<head>";
  const std::string actual = items.dump(2) + "\n";
  if (kUpdateGolden) {
    std::ofstream(kGolden, std::ios::binary) << actual;
  }
  // Text, not parsed JSON: the key order is part of what people read.
  EXPECT_EQ(actual, read_file(kGolden)) << "rerun with SVCDIFF_UPDATE_GOLDEN=1 to rewrite "
                                        << kGolden << " after a deliberate change";
}

TEST_F(ItemsTest, RemovedExplicitServiceIsInNeitherServicesNorWaves) {
  add_services(repo_, {"service_A", "service_B"});
  repo_.write("svcdiff.yml",
              "version: 1\nservices:\n"
              "  service_A: {paths: [services/service_A/], depends_on: [service_B]}\n"
              "  service_B: {paths: [services/service_B/]}\n");
  repo_.commit("config");
  repo_.remove("services/service_B");
  repo_.commit("remove B");
  auto result = items_since_parent();
  ASSERT_EQ(result.status, 0) << result.err;
  json items = artifact();
  EXPECT_EQ(items["removed"], json({"service_B"}));
  EXPECT_EQ(items["services"], json({"service_A"}));  // through its dependency
  ASSERT_EQ(items["waves"].size(), 1u);
  EXPECT_EQ(items["waves"][0][0]["name"], "service_A");
  EXPECT_EQ(items["waves"][0][0]["wave"], 0);  // nothing left to wait for
  EXPECT_NE(result.err.find("(1 removed)"), std::string::npos) << result.err;
}

// Removed means nothing is left at the service's directory: a directory
// that became a file or a submodule still matches its patterns (a submodule
// counts as a directory), and a submodule deleted is gone like a directory.
TEST_F(ItemsTest, ADirectoryThatBecameAFileOrASubmoduleIsNotRemoved) {
  TempRepo lib;
  lib.write("x.c", "x\n");
  lib.commit("lib");
  repo_.write("svcdiff.yml",
              "version: 1\nservices:\n  tool: {paths: [\"/bin\"]}\n"
              "  vend: {paths: [vendor/lib/]}\n");
  repo_.write("bin/run", "1\n");
  repo_.write("vendor/lib/x.c", "1\n");
  repo_.commit("directories");
  repo_.git("rm", "-rq", "bin", "vendor/lib");
  repo_.write("bin", "now a file\n");
  repo_.git("add", "bin");
  repo_.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", lib.path(), "vendor/lib");
  repo_.commit("a file and a submodule");
  auto result = items_since_parent();
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(artifact()["services"], json({"tool", "vend"}));
  EXPECT_EQ(artifact()["removed"], json::array());

  repo_.git("rm", "-q", "bin", "vendor/lib");
  repo_.commit("both gone");
  result = items_since_parent();
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(artifact()["services"], json::array());
  EXPECT_EQ(artifact()["removed"], json({"tool", "vend"}));
}

TEST_F(ItemsTest, RemovedDiscoveredServiceIsReportedToo) {
  add_services(repo_, {"service_A", "service_B", "service_C"});
  repo_.remove("services/service_B");
  repo_.write("services/service_C/app.py", "changed\n");
  repo_.commit("remove B, change C");
  auto result = items_since_parent();
  ASSERT_EQ(result.status, 0) << result.err;
  json items = artifact();
  EXPECT_EQ(items["removed"], json({"service_B"}));
  EXPECT_EQ(items["services"], json({"service_C"}));
  EXPECT_EQ(items["waves"].size(), 1u);

  // A directory that merely lost its buildspec still exists: not removed,
  // but a service no more, which a warning says.
  repo_.remove("services/service_C/buildspec.yml");
  repo_.commit("C is no service any more");
  result = items_since_parent();
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(artifact()["removed"], json::array());
  EXPECT_NE(result.err.find("warning: service `service_C`: services/service_C/buildspec.yml was "
                            "deleted since the base"),
            std::string::npos)
      << result.err;
}

TEST_F(ItemsTest, DependsOnNamesTheSelectedServicesAnItemWaitsForThroughLibraries) {
  add_services(repo_, {"service_A", "service_B", "service_C"});
  repo_.write("libs/common/common.py", "x\n");
  repo_.write("svcdiff.yml",
              "version: 1\nservices:\n"
              "  service_A: {paths: [services/service_A/], depends_on: [common, service_C]}\n"
              "  service_B: {paths: [services/service_B/]}\n"
              "  service_C: {paths: [services/service_C/]}\n"
              "  common: {paths: [libs/common/], build: false, depends_on: [service_B]}\n");
  repo_.commit("config");
  repo_.write("services/service_B/app.py", "changed\n");
  repo_.commit("B");
  ASSERT_EQ(items_since_parent().status, 0);
  json items = artifact();
  ASSERT_EQ(items["waves"].size(), 2u);
  EXPECT_EQ(items["waves"][0][0]["name"], "service_B");
  EXPECT_EQ(items["waves"][0][0]["depends_on"], json::array());
  EXPECT_EQ(items["waves"][1][0]["name"], "service_A");
  // Through the library to service_B; service_C is not selected.
  EXPECT_EQ(items["waves"][1][0]["depends_on"], json({"service_B"}));
}

TEST_F(ItemsTest, ItemsCarryProjectPathBuildspecVarsAndEnv) {
  add_services(repo_, {"service_A"});
  repo_.write("svcdiff.yml",
              "version: 1\nservices:\n  service_A:\n    paths: [services/service_A/]\n"
              "    project: a-build\n    vars: {STAGE: prod, REGION: eu-west-1}\n");
  repo_.commit("config");
  repo_.write("services/service_A/app.py", "changed\n");
  repo_.commit("A");
  ASSERT_EQ(items_since_parent().status, 0);
  json item = artifact()["waves"][0][0];
  EXPECT_EQ(item["project"], "a-build");
  EXPECT_EQ(item["path"], "services/service_A");
  EXPECT_EQ(item["buildspec"], "");  // explicit without `buildspec`: the project's own
  EXPECT_EQ(item["vars"], json({{"REGION", "eu-west-1"}, {"STAGE", "prod"}}));
  EXPECT_EQ(item["env"], json::parse(R"([
    {"Name":"REGION","Value":"eu-west-1","Type":"PLAINTEXT"},
    {"Name":"STAGE","Value":"prod","Type":"PLAINTEXT"}])"));
}

}  // namespace
}  // namespace svcdiff::testing
