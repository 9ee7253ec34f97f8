// Runs the generated Step Functions definitions for real, locally, on
// hand-written artifacts: asl-validator checks them and aws-local-stepfunctions
// executes them with every CodeBuild task replaced by a recorder
// (tests/e2e/*.mjs). pipeline_e2e_test.cpp runs the same chain from the real
// svcdiff binary. Needs scripts/install-e2e.sh; without it these tests fail
// rather than skip.
#include <gtest/gtest.h>
#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <filesystem>
#include <iostream>
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
          json reasons, json depends_on = json::array()) {
  return {{"name", name},
          {"project", project},
          {"path", "services/" + name},
          {"buildspec", "services/" + name + "/buildspec.yml"},
          {"wave", wave},
          {"depends_on", std::move(depends_on)},
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
           json::array({{{"kind", "dependency"}, {"via", "service_B"}}}), {"service_B"}),
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

json items_artifact(json waves) {
  json services = json::array();
  for (const json& wave : waves) {
    for (const json& entry : wave) services.push_back(entry.at("name"));
  }
  std::sort(services.begin(), services.end());
  return {{"version", 1},
          {"base", "1111111111111111111111111111111111111111"},
          {"head", kHead},
          {"base_rule", "flag"},
          {"all", false},
          {"services", std::move(services)},
          {"waves", std::move(waves)},
          {"removed", json::array()},
          {"trimmed", false}};
}

// The stand-in pads build ids to a real one's length ("stand-in-1" and 26
// dashes, as long as a UUID).
const std::string kIdPadding(26, '-');

json plain_item(const std::string& name, int wave, json depends_on = json::array()) {
  return item(name, name + "-build", wave, json::object(), json::array(), json::array(),
              std::move(depends_on));
}

// Five services in three waves: B and C alone; A waits for B, D for C; E
// waits for A and D.
json five_service_items() {
  return items_artifact(json::array({
      json::array({plain_item("service_B", 0), plain_item("service_C", 0)}),
      json::array(
          {plain_item("service_A", 1, {"service_B"}), plain_item("service_D", 1, {"service_C"})}),
      json::array({plain_item("service_E", 2, {"service_A", "service_D"})}),
  }));
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
    std::string path = dir_ + "/" + name;
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

TEST_F(StateMachineE2eTest, LedgerDefinitionsPassAslValidator) {
  AslOptions options;
  options.ledger_table = "svcdiff-ledger";
  const std::string inline_file = write("ledger-inline.json", state_machine({}, options));
  options.map = MapMode::distributed;
  const CommandResult result =
      validate({inline_file, write("ledger-distributed.json", state_machine({}, options))});
  EXPECT_EQ(result.status, 0) << result.out << result.err;
}

TEST_F(StateMachineE2eTest, DistributedDefinitionPassesAslValidator) {
  AslOptions options;
  options.map = MapMode::distributed;
  options.max_concurrency = kMaxDistributedConcurrency;
  const json definition = state_machine({}, options);
  const std::string text = definition.dump();
  EXPECT_NE(text.find(R"("ItemReader")"), std::string::npos);
  EXPECT_NE(text.find(R"("Mode":"DISTRIBUTED")"), std::string::npos);
  const CommandResult result = validate({write("distributed.json", definition)});
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
  // The builds' results stay inside their iterations: the output is a status.
  EXPECT_EQ(execution.report.at("output"), json({{"status", "SUCCEEDED"}}));
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
  EXPECT_EQ(execution.report.at("output"), json({{"status", "SUCCEEDED"}}));
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

TEST_F(StateMachineE2eTest, DynamicGivesUpAfterTheRetryAttemptsAndNamesTheError) {
  AslOptions options;
  options.retry_attempts = 1;
  const Execution execution =
      run(state_machine({}, options), three_service_items(), {"--throttle", "2"});
  EXPECT_EQ(execution.status, 1) << execution.report.dump(2);
  const json error = execution.report.value("error", json::object());
  EXPECT_EQ(error.value("name", ""), "svcdiff.BuildsFailed");
  const std::string cause = error.value("message", "");
  EXPECT_NE(cause.find("2 build(s) failed"), std::string::npos) << cause;
  EXPECT_NE(cause.find(R"("error":"CodeBuild.AccountLimitExceededException")"), std::string::npos)
      << cause;
  EXPECT_NE(cause.find(R"(1 service(s) not started because)"), std::string::npos) << cause;
  EXPECT_TRUE(batches(execution).empty());
}

// SPEC §6 Failure: the failed build's siblings and the services that do not
// depend on it build; its dependents, directly or not, do not start; the
// execution fails naming both.
TEST_F(StateMachineE2eTest, DynamicFailedBuildStopsOnlyWhatDependsOnIt) {
  const Execution execution = run(state_machine(kServices, AslOptions{}), five_service_items(),
                                  {"--fail", "service_B-build"});
  EXPECT_EQ(execution.status, 1) << execution.report.dump(2);
  EXPECT_EQ(execution.report.at("status"), "FAILED");
  EXPECT_EQ(batches(execution),
            (Batches{{"service_B-build", "service_C-build"}, {"service_D-build"}}));
  EXPECT_EQ(execution.projects(),
            (std::vector<std::string>{"service_B-build", "service_C-build", "service_D-build"}));
  const json& error = execution.report.at("error");
  EXPECT_EQ(error.at("name"), "svcdiff.BuildsFailed");
  const std::string cause = error.at("message");
  EXPECT_NE(cause.find(R"(1 build(s) failed. Failed (name, project, build id): [{"build":)"
                       R"("service_B-build:stand-in-1)" +
                       kIdPadding +
                       R"(","name":"service_B","project":)"
                       R"("service_B-build","status":"FAILED"}] and 0 more not listed.)"),
            std::string::npos)
      << cause;
  EXPECT_NE(cause.find(R"(2 service(s) not started because a service they depend on failed or )"
                       R"(was not started: ["service_A"]["service_E"] and 0 more not listed.)"),
            std::string::npos)
      << cause;
  EXPECT_LE(execution.report.at("largest_state").at("bytes").get<std::size_t>(), 262144u);
}

TEST_F(StateMachineE2eTest, DynamicFailureCauseListsTheFirstAndCountsTheRest) {
  // 40 failing builds with 200-character names in one wave, 80 dependents in
  // the next: more than the cause can list.
  json first = json::array();
  json second = json::array();
  std::vector<std::string> fail_options;
  for (int i = 0; i < 40; ++i) {
    const std::string name = "lib_" + std::to_string(100 + i) + std::string(193, 'x');
    first.push_back(plain_item(name, 0));
    fail_options.push_back("--fail");
    fail_options.push_back(name + "-build");
    second.push_back(plain_item("app_" + std::to_string(100 + i), 1, {name}));
    second.push_back(plain_item("api_" + std::to_string(100 + i), 1, {name}));
  }
  AslOptions options;
  options.max_concurrency = 0;
  const Execution execution =
      run(state_machine({}, options), items_artifact({first, second}), fail_options);
  EXPECT_EQ(execution.status, 1) << execution.report.dump(2);
  EXPECT_TRUE(execution.projects().size() == 40u) << execution.report.dump(2);
  const std::string cause = execution.report.at("error").at("message");
  EXPECT_LE(cause.size(), kCauseLimit);
  EXPECT_NE(cause.find("40 build(s) failed."), std::string::npos) << cause;
  EXPECT_NE(cause.find("and 24 more not listed. 80 service(s) not started"), std::string::npos)
      << cause;
  EXPECT_NE(cause.find("and 16 more not listed.", cause.find("80 service(s)")), std::string::npos)
      << cause;
}

// The issue's measurement: 2,000 short-named services, all selected, in one
// wave. Every build runs and no state's data comes near the 256 KiB limit
// (the output used to be 308,004 bytes).
TEST_F(StateMachineE2eTest, TwoThousandServicesStayFarBelowTheDataLimit) {
  json wave = json::array();
  for (int i = 0; i < 2000; ++i) wave.push_back(plain_item("s" + std::to_string(10000 + i), 0));
  const json input = items_artifact({wave});
  AslOptions options;
  options.max_concurrency = 0;
  const Execution execution = run(state_machine({}, options), input, {"--idle-ms", "20"});
  ASSERT_EQ(execution.status, 0) << execution.err;
  EXPECT_EQ(execution.projects().size(), 2000u);
  const std::size_t output = execution.report.at("output_bytes");
  const std::size_t largest = execution.report.at("largest_state").at("bytes");
  std::cout << "2,000 services: output " << output << " bytes, largest state input or output "
            << largest << " bytes (" << execution.report.at("largest_state").at("name")
            << "), artifact " << input.dump().size() << " bytes\n";
  EXPECT_LT(output, 1024u);
  EXPECT_LE(largest, input.dump().size() + 1024);  // the execution's input, not more
}

// The largest wave an items artifact can hold (about 770 services with
// 50-character names), every build failing: each failure carries its name,
// project and build id, and no state may hold them twice (collecting the
// failed ones beside the wave's results once made 321 KB at 600 services,
// past the 256 KiB limit, which Step Functions fails uncatchably).
TEST_F(StateMachineE2eTest, AFullWaveOfFailedBuildsStaysUnderTheDataLimit) {
  // As many as svcdiff lets into one artifact (229,376 bytes, room left for
  // the failure report), all failing.
  json wave = json::array();
  std::vector<std::string> fail_options;
  json dependents = json::array({plain_item("app", 1, {"svc_10000" + std::string(41, 'x')})});
  for (int i = 0;; ++i) {
    const std::string name = "svc_" + std::to_string(10000 + i) + std::string(41, 'x');
    ASSERT_EQ(name.size(), 50u);
    wave.push_back(plain_item(name, 0));
    if (items_artifact({wave, dependents}).dump().size() > 229376) {
      wave.erase(wave.size() - 1);
      break;
    }
    fail_options.push_back("--fail");
    fail_options.push_back(name + "-build");
  }
  const std::size_t count = wave.size();
  ASSERT_GT(count, 400u);
  fail_options.push_back("--idle-ms");
  fail_options.push_back("20");
  AslOptions options;
  options.max_concurrency = 0;
  const Execution execution =
      run(state_machine({}, options), items_artifact({wave, dependents}), fail_options);
  EXPECT_EQ(execution.status, 1) << execution.err;
  const std::string cause = execution.report.at("error").at("message");
  EXPECT_NE(cause.find(std::to_string(count) + " build(s) failed."), std::string::npos) << cause;
  EXPECT_NE(cause.find("1 service(s) not started"), std::string::npos) << cause;
  const std::size_t largest = execution.report.at("largest_state").at("bytes");
  std::cout << count << " failed builds: largest state input or output " << largest << " bytes ("
            << execution.report.at("largest_state").at("name") << ")\n";
  EXPECT_LE(largest, 262144u);
}

// The build ledger over 800 services in one wave (an artifact just under the
// input limit): a first run builds and
// records them all, a second skips them all, and neither comes near the data
// limit. Per item the ledger adds two states to a built one (getItem, the
// Choice, putItem in place of the Built Pass) and one to a skipped one
// (getItem, the Choice, AlreadyBuilt in place of StartBuild and Built): the
// local runner logs an entered and an exited event per state, and the README's
// history counts follow from these states.
TEST_F(StateMachineE2eTest, LedgerOverEightHundredServicesAddsTwoStatesPerBuild) {
  constexpr int kCount = 800;
  json wave = json::array();
  for (int i = 0; i < kCount; ++i) {
    json entry = plain_item("s" + std::to_string(10000 + i), 0);
    entry["fingerprint"] = "v1:" + std::string(60, 'f') + std::to_string(1000 + i);
    wave.push_back(std::move(entry));
  }
  const json input = items_artifact({wave});
  AslOptions options;
  options.max_concurrency = 0;
  const Execution plain = run(state_machine({}, options), input, {"--idle-ms", "20"});
  ASSERT_EQ(plain.status, 0) << plain.err;
  options.ledger_table = "svcdiff-ledger";
  const std::vector<std::string> ledger = {"--idle-ms", "20", "--ledger", dir_ + "/ledger.json"};
  const Execution built = run(state_machine({}, options), input, ledger);
  ASSERT_EQ(built.status, 0) << built.err;
  const Execution skipped = run(state_machine({}, options), input, ledger);
  ASSERT_EQ(skipped.status, 0) << skipped.err;

  EXPECT_EQ(built.projects().size(), static_cast<std::size_t>(kCount));
  EXPECT_EQ(built.report.at("ledger"), (json{{"getItem", kCount}, {"putItem", kCount}}));
  EXPECT_TRUE(skipped.report.at("builds").empty());
  EXPECT_EQ(skipped.report.at("ledger"), (json{{"getItem", kCount}, {"putItem", 0}}));
  const int events = plain.report.at("events");
  std::cout << kCount << " services, local state events: without the ledger " << events
            << ", all built " << built.report.at("events") << ", all skipped "
            << skipped.report.at("events") << "; largest state " << built.report.at("largest_state")
            << ", artifact " << input.dump().size() << " bytes\n";
  EXPECT_EQ(built.report.at("events").get<int>(), events + 2 * 2 * kCount);
  EXPECT_EQ(skipped.report.at("events").get<int>(), events + 2 * kCount);
  for (const Execution* execution : {&built, &skipped}) {
    EXPECT_LT(execution->report.at("output_bytes").get<std::size_t>(), 1024u);
    EXPECT_LE(execution->report.at("largest_state").at("bytes").get<std::size_t>(),
              input.dump().size() + 1024);
  }
}

// The distributed definition's item processor, run unchanged as an inline Map
// over the split files' contents (the local runner has no Distributed Map or
// ItemReader; run_state_machine.mjs --s3-copy reads the keys from a directory).
TEST_F(StateMachineE2eTest, DistributedProcessorRunsOverTheSplitFiles) {
  const json items = five_service_items();
  json keys = json::array();
  fs::create_directories(dir_ + "/split/run");
  for (std::size_t i = 0; i < items.at("waves").size(); ++i) {
    const std::string key = "run/wave-" + std::to_string(i) + ".json";
    write("split/" + key, items.at("waves")[i]);
    keys.push_back("svcdiff-items/" + key);
  }
  json artifact = items;
  artifact.erase("waves");
  artifact.erase("services");
  artifact["count"] = 5;
  artifact["s3"] = {{"bucket", "my-bucket"}, {"keys", keys}};
  AslOptions options;
  options.map = MapMode::distributed;
  const std::vector<std::string> copy = {"--s3-copy", "s3://my-bucket/svcdiff-items",
                                         dir_ + "/split"};

  Execution execution = run(state_machine({}, options), artifact, copy);
  ASSERT_EQ(execution.status, 0) << execution.report.dump(2) << execution.err;
  EXPECT_EQ(batches(execution), (Batches{{"service_B-build", "service_C-build"},
                                         {"service_A-build", "service_D-build"},
                                         {"service_E-build"}}));
  for (const json& build : execution.report.at("builds")) {
    EXPECT_EQ(build.at("source_version"), kHead) << build;
  }

  std::vector<std::string> with_failure = copy;
  with_failure.insert(with_failure.end(), {"--fail", "service_C-build"});
  execution = run(state_machine({}, options), artifact, with_failure);
  EXPECT_EQ(execution.status, 1) << execution.report.dump(2);
  EXPECT_EQ(batches(execution),
            (Batches{{"service_B-build", "service_C-build"}, {"service_A-build"}}));
  const std::string cause = execution.report.at("error").at("message");
  EXPECT_NE(cause.find(R"(not started: ["service_D"]["service_E"] and 0 more)"), std::string::npos)
      << cause;
}

TEST_F(StateMachineE2eTest, ChoiceBuildsEachListedServiceWithItsProject) {
  const json input = {{"services", {"service_A", "service_C", "common"}}};
  const Execution execution = run(state_machine(kServices, choice_options()), input);
  ASSERT_EQ(execution.status, 0) << execution.report.dump(2) << execution.err;
  EXPECT_EQ(batches(execution), (Batches{{"service-a-build", "service-c-build"}}));
  for (const json& build : execution.report.at("builds")) {
    EXPECT_TRUE(build.at("source_version").is_null()) << build;
  }
  // `common` has no project: the default Pass counts it as done.
  EXPECT_EQ(execution.report.at("output"), json({{"status", "SUCCEEDED"}}));
}

TEST_F(StateMachineE2eTest, ChoiceFailedBuildStopsNoOtherAndFailsNamingIt) {
  const json input = {{"services", {"service_A", "service_C", "common"}}};
  const Execution execution =
      run(state_machine(kServices, choice_options()), input, {"--fail", "service-a-build"});
  EXPECT_EQ(execution.status, 1) << execution.report.dump(2);
  EXPECT_EQ(batches(execution), (Batches{{"service-a-build", "service-c-build"}}));
  const json& error = execution.report.at("error");
  EXPECT_EQ(error.at("name"), "svcdiff.BuildsFailed");
  EXPECT_NE(error.at("message").get<std::string>().find(
                R"(1 build(s) failed. Failed (name, project, build id): [{"build":)"
                R"("service-a-build:stand-in-1)" +
                kIdPadding + R"(","name":"service_A","project":"service-a-build")"),
            std::string::npos)
      << error;
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
