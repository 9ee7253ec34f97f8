// Runs the generated Step Functions definitions for real, locally, on
// hand-written artifacts: asl-validator checks them and aws-local-stepfunctions
// executes them with every CodeBuild task replaced by a recorder
// (tests/e2e/*.mjs). pipeline_e2e_test.cpp runs the same chain from the real
// svcdiff binary. Needs scripts/install-e2e.sh; without it these tests fail
// rather than skip.
#include <gtest/gtest.h>
#include <stdlib.h>  // mkdtemp

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "asl/state_machine.hpp"
#include "e2e/local_step_functions.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::asl {
namespace {

using nlohmann::json;
using svcdiff::testing::Batches;
using svcdiff::testing::CommandResult;
using svcdiff::testing::Execution;
using svcdiff::testing::node_binary;
namespace fs = std::filesystem;

const std::string kHead = "2222222222222222222222222222222222222222";

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

class StateMachineE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(svcdiff::testing::require_e2e_tools(node_binary()));
    std::string pattern = (fs::temp_directory_path() / "svcdiff-e2e-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << "mkdtemp " << pattern;
    dir_ = pattern;
  }

  void TearDown() override {
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }

  std::string write(const std::string& name, const json& value) const {
    const std::string path = dir_ + "/" + name;
    svcdiff::testing::write_json(path, value);
    return path;
  }

  CommandResult validate(const std::vector<std::string>& files) const {
    return svcdiff::testing::validate_asl(node_binary(), files, dir_);
  }

  Execution run(const json& definition, const json& input,
                const std::vector<std::string>& options = {}) const {
    return svcdiff::testing::run_state_machine(node_binary(), write("definition.json", definition),
                                               write("input.json", input), dir_, options);
  }

  static Batches batches(const Execution& execution) { return execution.batches(); }

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
