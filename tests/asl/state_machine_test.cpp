#include "asl/state_machine.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.hpp"

namespace svcdiff::asl {
namespace {

using nlohmann::json;

const std::vector<AslService> kServices = {
    {"service_A", "service-a-build"},
    {"service_B", "service-b-build"},
};

AslOptions choice_options() {
  AslOptions options;
  options.style = Style::choice;
  return options;
}

// The dynamic style's three nested states.
struct DynamicStates {
  json waves;
  json wave;
  json build;
};

DynamicStates dynamic_states(const json& machine) {
  DynamicStates states;
  states.waves = machine.at("States").at("BuildWaves");
  states.wave = states.waves.at("ItemProcessor").at("States").at("BuildWave");
  states.build = states.wave.at("ItemProcessor").at("States").at("StartBuild");
  return states;
}

// The states inside the choice style's Map.
json choice_states(const json& machine) {
  return machine.at("States").at("BuildServices").at("ItemProcessor").at("States");
}

ExitCode error_code(const std::vector<AslService>& services, const AslOptions& options) {
  try {
    state_machine(services, options);
  } catch (const Error& error) {
    return error.code();
  }
  return ExitCode::ok;
}

TEST(AslStyle, ParsesBothNamesAndNothingElse) {
  EXPECT_EQ(parse_style("choice"), Style::choice);
  EXPECT_EQ(parse_style("dynamic"), Style::dynamic);
  EXPECT_EQ(parse_style("Dynamic"), std::nullopt);
  EXPECT_EQ(parse_style(""), std::nullopt);
  EXPECT_EQ(to_string(Style::choice), "choice");
  EXPECT_EQ(to_string(Style::dynamic), "dynamic");
}

TEST(AslOptions, DefaultIsDynamicWithTenBuildsAndFiveRetries) {
  AslOptions options;
  EXPECT_EQ(options.style, Style::dynamic);
  EXPECT_EQ(options.max_concurrency, 10);
  EXPECT_EQ(options.retry_attempts, 5);
}

TEST(DynamicStateMachine, UsesJsonPathAndStartsAtTheWavesMap) {
  json machine = state_machine({}, AslOptions{});
  EXPECT_EQ(machine.at("QueryLanguage"), "JSONPath");
  EXPECT_EQ(machine.at("StartAt"), "BuildWaves");
  EXPECT_NE(machine.at("Comment").get<std::string>().find("dynamic"), std::string::npos);
  EXPECT_EQ(machine.at("States").size(), 1u);
}

TEST(DynamicStateMachine, MapsOverWavesOneAtATime) {
  DynamicStates states = dynamic_states(state_machine({}, AslOptions{}));
  EXPECT_EQ(states.waves.at("Type"), "Map");
  EXPECT_EQ(states.waves.at("ItemsPath"), "$.waves");
  EXPECT_EQ(states.waves.at("MaxConcurrency"), 1);
  EXPECT_EQ(states.waves.at("ItemProcessor").at("ProcessorConfig").at("Mode"), "INLINE");
  EXPECT_EQ(states.waves.at("ItemProcessor").at("StartAt"), "BuildWave");
}

TEST(DynamicStateMachine, HandsTheWaveAndHeadDownThroughItemSelectors) {
  DynamicStates states = dynamic_states(state_machine({}, AslOptions{}));
  EXPECT_EQ(states.waves.at("ItemSelector"),
            json({{"items.$", "$$.Map.Item.Value"}, {"head.$", "$.head"}}));
  EXPECT_EQ(states.wave.at("ItemsPath"), "$.items");
  EXPECT_EQ(states.wave.at("ItemSelector"), json({
                                                {"name.$", "$$.Map.Item.Value.name"},
                                                {"project.$", "$$.Map.Item.Value.project"},
                                                {"env.$", "$$.Map.Item.Value.env"},
                                                {"head.$", "$.head"},
                                            }));
}

TEST(DynamicStateMachine, BuildsTheItemsProjectAtHeadWithItsEnv) {
  json build = dynamic_states(state_machine({}, AslOptions{})).build;
  EXPECT_EQ(build.at("Type"), "Task");
  EXPECT_EQ(build.at("Resource"), "arn:aws:states:::codebuild:startBuild.sync");
  EXPECT_EQ(build.at("Parameters"), json({
                                        {"ProjectName.$", "$.project"},
                                        {"SourceVersion.$", "$.head"},
                                        {"EnvironmentVariablesOverride.$", "$.env"},
                                    }));
  EXPECT_TRUE(build.at("End").get<bool>());
}

TEST(DynamicStateMachine, KeepsOnlyBuildIdAndStatusBesideTheItem) {
  json build = dynamic_states(state_machine({}, AslOptions{})).build;
  EXPECT_EQ(build.at("ResultSelector"),
            json({{"Id.$", "$.Build.Id"}, {"BuildStatus.$", "$.Build.BuildStatus"}}));
  EXPECT_EQ(build.at("ResultPath"), "$.build");
}

TEST(DynamicStateMachine, RetriesCodeBuildThrottlingWithBackoff) {
  json retry = dynamic_states(state_machine({}, AslOptions{})).build.at("Retry");
  ASSERT_EQ(retry.size(), 1u);
  const json& retrier = retry[0];
  std::vector<std::string> errors = retrier.at("ErrorEquals");
  EXPECT_EQ(errors, (std::vector<std::string>{"CodeBuild.AccountLimitExceededException",
                                              "CodeBuild.CodeBuildException"}));
  EXPECT_EQ(retrier.at("MaxAttempts"), 5);
  EXPECT_EQ(retrier.at("IntervalSeconds"), 10);
  EXPECT_GT(retrier.at("BackoffRate").get<double>(), 1.0);
  EXPECT_EQ(retrier.at("MaxDelaySeconds"), 300);
  EXPECT_EQ(retrier.at("JitterStrategy"), "FULL");
}

TEST(DynamicStateMachine, NoRetryFieldWhenRetriesAreOff) {
  AslOptions options;
  options.retry_attempts = 0;
  EXPECT_FALSE(dynamic_states(state_machine({}, options)).build.contains("Retry"));
}

TEST(DynamicStateMachine, MaxConcurrencyLimitsBuildsWithinAWave) {
  AslOptions options;
  options.max_concurrency = 3;
  DynamicStates states = dynamic_states(state_machine({}, options));
  EXPECT_EQ(states.wave.at("MaxConcurrency"), 3);
  EXPECT_EQ(states.waves.at("MaxConcurrency"), 1);
}

TEST(DynamicStateMachine, SourceVersionCanBeLeftToTheProject) {
  AslOptions options;
  options.source_version = false;
  json parameters = dynamic_states(state_machine({}, options)).build.at("Parameters");
  EXPECT_FALSE(parameters.contains("SourceVersion.$"));
  EXPECT_TRUE(parameters.contains("ProjectName.$"));
}

TEST(DynamicStateMachine, IgnoresTheServiceList) {
  EXPECT_EQ(state_machine(kServices, AslOptions{}), state_machine({}, AslOptions{}));
}

TEST(DynamicStateMachine, StateNamesAndCommentCanBeChosen) {
  AslOptions options;
  options.waves_state_name = "Waves";
  options.wave_state_name = "Wave";
  options.build_state_name = "Build";
  options.comment = "ours";
  json machine = state_machine({}, options);
  EXPECT_EQ(machine.at("Comment"), "ours");
  EXPECT_EQ(machine.at("StartAt"), "Waves");
  json wave = machine.at("States").at("Waves").at("ItemProcessor").at("States").at("Wave");
  EXPECT_TRUE(wave.at("ItemProcessor").at("States").contains("Build"));
}

TEST(ChoiceStateMachine, MapsOverTheServicesList) {
  json machine = state_machine(kServices, choice_options());
  EXPECT_EQ(machine.at("QueryLanguage"), "JSONPath");
  EXPECT_EQ(machine.at("StartAt"), "BuildServices");
  const json& map = machine.at("States").at("BuildServices");
  EXPECT_EQ(map.at("Type"), "Map");
  EXPECT_EQ(map.at("ItemsPath"), "$.services");
  EXPECT_EQ(map.at("MaxConcurrency"), 10);
  EXPECT_EQ(map.at("ItemProcessor").at("StartAt"), "ChooseProject");
}

TEST(ChoiceStateMachine, OneBranchPerServiceToATaskWithItsProject) {
  json states = choice_states(state_machine(kServices, choice_options()));
  const json& choices = states.at("ChooseProject").at("Choices");
  ASSERT_EQ(choices.size(), 2u);
  EXPECT_EQ(
      choices[0],
      json({{"Variable", "$"}, {"StringEquals", "service_A"}, {"Next", "StartBuild service_A"}}));
  EXPECT_EQ(choices[1].at("StringEquals"), "service_B");
  const json& build = states.at("StartBuild service_B");
  EXPECT_EQ(build.at("Type"), "Task");
  EXPECT_EQ(build.at("Resource"), "arn:aws:states:::codebuild:startBuild.sync");
  EXPECT_EQ(build.at("Parameters"), json({{"ProjectName", "service-b-build"}}));
  EXPECT_EQ(build.at("ResultSelector"), json({{"Service", "service_B"},
                                              {"Id.$", "$.Build.Id"},
                                              {"BuildStatus.$", "$.Build.BuildStatus"}}));
  EXPECT_EQ(build.at("Retry")[0].at("ErrorEquals")[0], "CodeBuild.AccountLimitExceededException");
}

TEST(ChoiceStateMachine, AnUnknownNamePasses) {
  json states = choice_states(state_machine(kServices, choice_options()));
  EXPECT_EQ(states.at("ChooseProject").at("Default"), "NotBuildable");
  EXPECT_EQ(states.at("NotBuildable"), json({{"Type", "Pass"}, {"End", true}}));
  EXPECT_EQ(states.size(), 4u);
}

TEST(ChoiceStateMachine, WithoutServicesStartsAtThePass) {
  json machine = state_machine({}, choice_options());
  const json& processor = machine.at("States").at("BuildServices").at("ItemProcessor");
  EXPECT_EQ(processor.at("StartAt"), "NotBuildable");
  EXPECT_EQ(processor.at("States").size(), 1u);
}

TEST(ChoiceStateMachine, LongServiceNameGetsANumberedState) {
  std::string long_name(90, 'x');
  json states = choice_states(state_machine({{"a", "a"}, {long_name, "p"}}, choice_options()));
  EXPECT_TRUE(states.contains("StartBuild #2"));
  EXPECT_EQ(states.at("ChooseProject").at("Choices")[1].at("Next"), "StartBuild #2");
  EXPECT_EQ(states.at("StartBuild #2").at("Parameters").at("ProjectName"), "p");
}

TEST(ChoiceStateMachine, ServiceListedTwiceIsAConfigError) {
  EXPECT_EQ(error_code({{"a", "x"}, {"a", "y"}}, choice_options()), ExitCode::config);
}

TEST(ChoiceStateMachine, ServiceStateClashingWithAFixedStateIsAUsageError) {
  AslOptions options = choice_options();
  options.skip_state_name = "StartBuild a";
  EXPECT_EQ(error_code({{"a", "x"}}, options), ExitCode::usage);
}

TEST(AslOptions, NegativeNumbersAreUsageErrors) {
  AslOptions concurrency;
  concurrency.max_concurrency = -1;
  EXPECT_EQ(error_code({}, concurrency), ExitCode::usage);
  AslOptions attempts;
  attempts.retry_attempts = -2;
  EXPECT_EQ(error_code({}, attempts), ExitCode::usage);
  AslOptions backoff;
  backoff.retry_backoff_rate = 0.5;
  EXPECT_EQ(error_code({}, backoff), ExitCode::usage);
}

TEST(AslOptions, ZeroConcurrencyMeansNoLimit) {
  AslOptions options;
  options.max_concurrency = 0;
  json machine = state_machine({}, options);
  EXPECT_EQ(dynamic_states(machine).wave.at("MaxConcurrency"), 0);
  EXPECT_NE(machine.at("Comment").get<std::string>().find("all of a wave at once"),
            std::string::npos);
}

TEST(AslOptions, EmptyLongOrRepeatedStateNamesAreUsageErrors) {
  AslOptions empty;
  empty.wave_state_name = "";
  EXPECT_EQ(error_code({}, empty), ExitCode::usage);
  AslOptions too_long;
  too_long.build_state_name = std::string(81, 'b');
  EXPECT_EQ(error_code({}, too_long), ExitCode::usage);
  AslOptions repeated;
  repeated.wave_state_name = repeated.waves_state_name;
  EXPECT_EQ(error_code({}, repeated), ExitCode::usage);
}

}  // namespace
}  // namespace svcdiff::asl
