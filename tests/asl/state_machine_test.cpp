#include "asl/state_machine.hpp"

#include <gtest/gtest.h>

#include <algorithm>
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

AslOptions distributed_options() {
  AslOptions options;
  options.map = MapMode::distributed;
  return options;
}

// The wave Map at the top level, and the states of its item processor.
json wave_map(const json& machine, const std::string& name = "BuildWave") {
  return machine.at("States").at(name);
}
json item_states(const json& machine, const std::string& name = "BuildWave") {
  return wave_map(machine, name).at("ItemProcessor").at("States");
}
json build_task(const json& machine) { return item_states(machine).at("StartBuild"); }

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
  EXPECT_EQ(parse_map_mode("inline"), MapMode::inline_map);
  EXPECT_EQ(parse_map_mode("distributed"), MapMode::distributed);
  EXPECT_EQ(parse_map_mode("Distributed"), std::nullopt);
}

TEST(AslOptions, DefaultIsDynamicInlineWithTenBuildsFiveRetriesAndADay) {
  AslOptions options;
  EXPECT_EQ(options.style, Style::dynamic);
  EXPECT_EQ(options.map, MapMode::inline_map);
  EXPECT_EQ(options.max_concurrency, 10);
  EXPECT_EQ(options.retry_attempts, 5);
  EXPECT_EQ(options.timeout_seconds, 86400);
  EXPECT_EQ(state_machine({}, options).at("TimeoutSeconds"), 86400);
}

TEST(AslOptions, ZeroTimeoutLeavesTheFieldOut) {
  AslOptions options;
  options.timeout_seconds = 0;
  EXPECT_FALSE(state_machine({}, options).contains("TimeoutSeconds"));
}

TEST(DynamicStateMachine, LoopsOverTheWavesOneAtATime) {
  json machine = state_machine({}, AslOptions{});
  EXPECT_EQ(machine.at("QueryLanguage"), "JSONPath");
  EXPECT_EQ(machine.at("StartAt"), "StartRun");
  const json loop = machine.at("States").at("BuildWaves");
  EXPECT_EQ(loop.at("Type"), "Choice");
  EXPECT_EQ(loop.at("Choices")[0].at("NumericLessThanPath"), "$.run.count");
  EXPECT_EQ(loop.at("Default"), "AnyBuildFailed?");
  EXPECT_EQ(machine.at("States").at("NextWave").at("Next"), "BuildWaves");
  EXPECT_EQ(machine.at("States").at("NextWave").at("Parameters").at("index.$"),
            "States.MathAdd($.run.index, 1)");
  // The wave comes from the execution's input, never carried in the loop's state.
  EXPECT_EQ(machine.at("States").at("SelectWave").at("Parameters").at("items.$"),
            "States.ArrayGetItem($$.Execution.Input.waves, $.run.index)");
  EXPECT_EQ(wave_map(machine).at("ItemsPath"), "$.wave.items");
  EXPECT_EQ(wave_map(machine).at("ItemProcessor").at("ProcessorConfig").at("Mode"), "INLINE");
}

TEST(DynamicStateMachine, HandsTheItemHeadAndStoppedServicesDown) {
  const json selector = wave_map(state_machine({}, AslOptions{})).at("ItemSelector");
  EXPECT_EQ(selector.at("project.$"), "$$.Map.Item.Value.project");
  EXPECT_EQ(selector.at("depends_on.$"), "$$.Map.Item.Value.depends_on");
  EXPECT_EQ(selector.at("head.$"), "$.run.head");
  EXPECT_EQ(selector.at("stopped.$"), "States.StringSplit($.stopped.names, '\"')");
  EXPECT_FALSE(selector.contains("reasons.$"));
}

TEST(DynamicStateMachine, BuildsTheItemsProjectAtHeadWithItsEnv) {
  const json parameters = build_task(state_machine({}, AslOptions{})).at("Parameters");
  EXPECT_EQ(parameters.at("ProjectName.$"), "$.project");
  EXPECT_EQ(parameters.at("SourceVersion.$"), "$.head");
  EXPECT_EQ(parameters.at("EnvironmentVariablesOverride.$"), "$.env");
  EXPECT_EQ(build_task(state_machine({}, AslOptions{})).at("Resource"), kStartBuildResource);
}

TEST(DynamicStateMachine, CatchesEveryBuildFailure) {
  json machine = state_machine({}, AslOptions{});
  const json task = build_task(machine);
  ASSERT_EQ(task.at("Catch").size(), 1u);
  EXPECT_EQ(task.at("Catch")[0].at("ErrorEquals"), json({"States.ALL"}));
  EXPECT_EQ(task.at("Catch")[0].at("Next"), "ReadFailedBuild");
  EXPECT_EQ(task.at("Next"), "Built");
  const json states = item_states(machine);
  EXPECT_EQ(states.at("Built").at("Result"), json({{"status", "BUILT"}}));
  EXPECT_EQ(states.at("BuildFailed").at("Parameters").at("build.$"), "$.failed_build.Id");
  EXPECT_EQ(states.at("ParseFailedBuild").at("Catch")[0].at("Next"), "BuildFailedWithoutId");
}

// Only a cause present, a string, and starting like a JSON object reaches
// States.StringToJson: AWS's error for an intrinsic that fails is unverified.
TEST(DynamicStateMachine, ParsesOnlyACauseThatReadsAsAJsonObject) {
  const json states = item_states(state_machine({}, AslOptions{}));
  const json& read = states.at("ReadFailedBuild");
  EXPECT_EQ(read.at("Type"), "Choice");
  EXPECT_EQ(read.at("Default"), "BuildFailedWithoutId");
  const json& rules = read.at("Choices");
  ASSERT_EQ(rules.size(), 3u);
  for (const json& rule : rules) EXPECT_EQ(rule.at("Variable"), "$.error.Cause");
  EXPECT_EQ(rules[0].at("IsPresent"), false);
  EXPECT_EQ(rules[0].at("Next"), "BuildFailedWithoutId");
  EXPECT_EQ(rules[1].at("IsString"), false);
  EXPECT_EQ(rules[1].at("Next"), "BuildFailedWithoutId");
  EXPECT_EQ(rules[2].at("StringMatches"), "{*");
  EXPECT_EQ(rules[2].at("Next"), "ParseFailedBuild");
  EXPECT_EQ(states.at("ParseFailedBuild").at("Type"), "Parallel");
}

TEST(DynamicStateMachine, SkipsAnItemWhoseDependencyStopped) {
  const json states = item_states(state_machine({}, AslOptions{}));
  EXPECT_EQ(states.at("CheckDependencies").at("Default"), "StartBuild");
  const json& find = states.at("FindStoppedDependencies");
  EXPECT_EQ(find.at("ItemsPath"), "$.depends_on");
  EXPECT_EQ(find.at("ItemSelector").at("stopped.$"),
            "States.ArrayContains($.stopped, $$.Map.Item.Value)");
  EXPECT_EQ(states.at("DependencyStopped").at("Choices")[0].at("Next"), "NotStarted");
  EXPECT_EQ(states.at("NotStarted").at("Parameters").at("status"), "NOT_STARTED");
}

TEST(DynamicStateMachine, FailsWithBuildsFailedNamingTheCause) {
  json machine = state_machine({}, AslOptions{});
  const json fail = machine.at("States").at("BuildsFailed");
  EXPECT_EQ(fail.at("Type"), "Fail");
  EXPECT_EQ(fail.at("Error"), "svcdiff.BuildsFailed");
  EXPECT_EQ(fail.at("CausePath"), "$.report.cause");
  EXPECT_EQ(machine.at("States").at("AnyBuildFailed?").at("Default"), "AllBuilt");
}

TEST(DynamicStateMachine, AWaveKeepsOnlyItsItemsEndings) {
  const json map = wave_map(state_machine({}, AslOptions{}));
  EXPECT_EQ(map.at("ResultSelector").at("results.$"), "$");
  EXPECT_EQ(map.at("ResultPath"), "$.wave");  // replaces the wave's items
}

TEST(DynamicStateMachine, RetriesCodeBuildThrottlingWithBackoff) {
  json retry = build_task(state_machine({}, AslOptions{})).at("Retry");
  ASSERT_EQ(retry.size(), 1u);
  const json retrier = retry[0];
  std::vector<std::string> errors = retrier.at("ErrorEquals");
  EXPECT_EQ(errors, (std::vector<std::string>{"CodeBuild.AccountLimitExceededException",
                                              "CodeBuild.AWSCodeBuildException",
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
  EXPECT_FALSE(build_task(state_machine({}, options)).contains("Retry"));
}

TEST(DynamicStateMachine, MaxConcurrencyLimitsBuildsWithinAWave) {
  AslOptions options;
  options.max_concurrency = 3;
  EXPECT_EQ(wave_map(state_machine({}, options)).at("MaxConcurrency"), 3);
}

TEST(DynamicStateMachine, SourceVersionCanBeLeftToTheProject) {
  AslOptions options;
  options.source_version = false;
  json machine = state_machine({}, options);
  EXPECT_FALSE(build_task(machine).at("Parameters").contains("SourceVersion.$"));
  EXPECT_FALSE(wave_map(machine).at("ItemSelector").contains("head.$"));
}

TEST(DynamicStateMachine, IgnoresTheServiceList) {
  EXPECT_EQ(state_machine(kServices, AslOptions{}), state_machine({}, AslOptions{}));
}

TEST(DynamicStateMachine, StateNamesAndCommentCanBeChosen) {
  AslOptions options;
  options.waves_state_name = "Waves";
  options.wave_state_name = "Wave";
  options.build_state_name = "Build";
  options.comment = "mine";
  json machine = state_machine({}, options);
  EXPECT_EQ(machine.at("Comment"), "mine");
  EXPECT_EQ(machine.at("States").at("Waves").at("Type"), "Choice");
  EXPECT_TRUE(item_states(machine, "Wave").contains("Build"));
}

TEST(DistributedStateMachine, ReadsEachWaveFromS3WithChildExecutions) {
  json machine = state_machine({}, distributed_options());
  const json map = wave_map(machine);
  EXPECT_FALSE(map.contains("ItemsPath"));
  EXPECT_EQ(map.at("ItemReader").at("Resource"), "arn:aws:states:::s3:getObject");
  EXPECT_EQ(map.at("ItemReader").at("Parameters").at("Key.$"), "$.wave.key");
  EXPECT_EQ(map.at("ItemProcessor").at("ProcessorConfig"),
            json({{"Mode", "DISTRIBUTED"}, {"ExecutionType", "STANDARD"}}));
  EXPECT_FALSE(map.contains("ToleratedFailurePercentage"));  // failures are data
  EXPECT_EQ(machine.at("States").at("StartRun").at("Parameters").at("run").at("count.$"),
            "States.ArrayLength($.s3.keys)");
  // The same item processor as the inline map.
  EXPECT_EQ(map.at("ItemProcessor").at("States"), item_states(state_machine({}, AslOptions{})));
}

TEST(DistributedStateMachine, ConcurrencyUpToTenThousandAndDynamicOnly) {
  AslOptions options = distributed_options();
  options.max_concurrency = 10000;
  EXPECT_EQ(wave_map(state_machine({}, options)).at("MaxConcurrency"), 10000);
  options.max_concurrency = 10001;
  EXPECT_EQ(error_code({}, options), ExitCode::usage);
  AslOptions choice = distributed_options();
  choice.style = Style::choice;
  EXPECT_EQ(error_code(kServices, choice), ExitCode::usage);
}

AslOptions ledger_options(MapMode map = MapMode::inline_map) {
  AslOptions options;
  options.map = map;
  options.ledger_table = "svcdiff-ledger";
  return options;
}

TEST(Ledger, ParsesADynamoDbTableAndNothingElse) {
  EXPECT_EQ(parse_ledger("dynamodb:svcdiff-ledger"), "svcdiff-ledger");
  EXPECT_EQ(parse_ledger("dynamodb:My_Table.v1"), "My_Table.v1");
  for (const char* bad : {"svcdiff-ledger", "s3:bucket", "dynamodb:", "dynamodb:ab",
                          "dynamodb:a table", "dynamodb:table/x"}) {
    try {
      parse_ledger(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ExitCode::usage) << bad;
    }
  }
  EXPECT_EQ(parse_ledger("dynamodb:" + std::string(255, 't')), std::string(255, 't'));
  EXPECT_THROW(parse_ledger("dynamodb:" + std::string(256, 't')), Error);
}

TEST(Ledger, LooksUpServiceAndFingerprintBeforeTheBuild) {
  const json states = item_states(state_machine({}, ledger_options()));
  // Nothing stopped the item: the ledger is read before StartBuild.
  EXPECT_EQ(states.at("CheckDependencies").at("Default"), "LookUpLedger");
  EXPECT_EQ(states.at("DependencyStopped").at("Default"), "LookUpLedger");
  const json& look_up = states.at("LookUpLedger");
  EXPECT_EQ(look_up.at("Resource"), "arn:aws:states:::dynamodb:getItem");
  EXPECT_EQ(look_up.at("Parameters"),
            json({{"TableName", "svcdiff-ledger"},
                  {"Key",
                   {{"service", {{"S.$", "$.name"}}}, {"fingerprint", {{"S.$", "$.fingerprint"}}}}},
                  {"ConsistentRead", true}}));
  EXPECT_EQ(look_up.at("Next"), "BuiltBefore?");
  const json& choice = states.at("BuiltBefore?");
  EXPECT_EQ(choice.at("Choices"),
            json::array(
                {{{"Variable", "$.ledger.Item"}, {"IsPresent", true}, {"Next", "AlreadyBuilt"}}}));
  EXPECT_EQ(choice.at("Default"), "StartBuild");
  EXPECT_EQ(states.at("AlreadyBuilt").at("Result"), json({{"status", "SKIPPED"}}));
  EXPECT_TRUE(states.at("AlreadyBuilt").at("End").get<bool>());
}

TEST(Ledger, RecordsOnlyASuccessfulBuild) {
  const json states = item_states(state_machine({}, ledger_options()));
  const json& build = states.at("StartBuild");
  EXPECT_EQ(build.at("Next"), "RecordBuild");
  EXPECT_EQ(build.at("Catch")[0].at("Next"), "ReadFailedBuild");  // a failure writes nothing
  const json& record = states.at("RecordBuild");
  EXPECT_EQ(record.at("Resource"), "arn:aws:states:::dynamodb:putItem");
  EXPECT_EQ(record.at("Parameters").at("TableName"), "svcdiff-ledger");
  EXPECT_EQ(record.at("Parameters").at("Item"),
            json({{"service", {{"S.$", "$.name"}}},
                  {"fingerprint", {{"S.$", "$.fingerprint"}}},
                  {"head", {{"S.$", "$.head"}}},
                  {"project", {{"S.$", "$.project"}}},
                  {"build", {{"S.$", "$.build.Id"}}},
                  {"built_at", {{"S.$", "$$.State.EnteredTime"}}}}));
  // The item ends there, as small as the Built Pass it replaces.
  EXPECT_EQ(record.at("ResultSelector"), json({{"status", "BUILT"}}));
  EXPECT_TRUE(record.at("End").get<bool>());
  EXPECT_FALSE(states.contains("Built"));
}

TEST(Ledger, ReadAndWriteFailuresFailTheItemAndThrottlingIsRetried) {
  const json states = item_states(state_machine({}, ledger_options()));
  const json& look_up = states.at("LookUpLedger");
  EXPECT_EQ(look_up.at("Catch"), json::array({{{"ErrorEquals", {"States.ALL"}},
                                               {"ResultPath", "$.error"},
                                               {"Next", "BuildFailedWithoutId"}}}));
  EXPECT_EQ(look_up.at("Retry")[0].at("ErrorEquals")[0],
            "DynamoDB.ProvisionedThroughputExceededException");
  // DynamoDB's own name for a passing server error.
  const json& retried = look_up.at("Retry")[0].at("ErrorEquals");
  EXPECT_NE(std::find(retried.begin(), retried.end(), "DynamoDB.InternalServerError"),
            retried.end())
      << retried;
  const json& record = states.at("RecordBuild");
  EXPECT_EQ(record.at("Catch")[0].at("Next"), "BuildNotRecorded");
  EXPECT_EQ(record.at("Retry"), look_up.at("Retry"));
  // The build succeeded: the entry names it, and the error says why it counts as failed.
  EXPECT_EQ(states.at("BuildNotRecorded").at("Parameters"), json({{"status", "FAILED"},
                                                                  {"name.$", "$.name"},
                                                                  {"project.$", "$.project"},
                                                                  {"build.$", "$.build.Id"},
                                                                  {"error.$", "$.error.Error"}}));
  AslOptions no_retry = ledger_options();
  no_retry.retry_attempts = 0;
  EXPECT_FALSE(item_states(state_machine({}, no_retry)).at("LookUpLedger").contains("Retry"));
}

TEST(Ledger, HandsTheFingerprintAndHeadDownEvenWithoutSourceVersion) {
  AslOptions options = ledger_options();
  options.source_version = false;
  const json machine = state_machine({}, options);
  const json selector = wave_map(machine).at("ItemSelector");
  EXPECT_EQ(selector.at("fingerprint.$"), "$$.Map.Item.Value.fingerprint");
  EXPECT_EQ(selector.at("head.$"), "$.run.head");
  EXPECT_FALSE(build_task(machine).at("Parameters").contains("SourceVersion.$"));
  EXPECT_NE(machine.at("Comment").get<std::string>().find("svcdiff-ledger"), std::string::npos);
  // Without the ledger, neither.
  EXPECT_FALSE(
      wave_map(state_machine({}, AslOptions{})).at("ItemSelector").contains("fingerprint.$"));
}

TEST(Ledger, DistributedChildrenRunTheSameLedgerSteps) {
  const json machine = state_machine({}, ledger_options(MapMode::distributed));
  EXPECT_EQ(wave_map(machine).at("ItemProcessor").at("States"),
            item_states(state_machine({}, ledger_options())));
  EXPECT_EQ(wave_map(machine).at("ItemSelector").at("fingerprint.$"),
            "$$.Map.Item.Value.fingerprint");
}

TEST(Ledger, NeedsTheDynamicStyle) {
  AslOptions options = choice_options();
  options.ledger_table = "svcdiff-ledger";
  EXPECT_EQ(error_code(kServices, options), ExitCode::usage);
}

TEST(ChoiceStateMachine, MapsOverTheServicesList) {
  json machine = state_machine(kServices, choice_options());
  EXPECT_EQ(machine.at("States").at("SelectWave").at("Parameters").at("items.$"),
            "$$.Execution.Input.services");
  const json map = wave_map(machine, "BuildServices");
  EXPECT_EQ(map.at("ItemsPath"), "$.wave.items");
  EXPECT_EQ(map.at("ItemSelector").at("name.$"), "$$.Map.Item.Value");
  EXPECT_EQ(map.at("MaxConcurrency"), 10);
}

TEST(ChoiceStateMachine, OneBranchPerServiceToATaskWithItsProject) {
  json machine = state_machine(kServices, choice_options());
  const json states = item_states(machine, "BuildServices");
  const json choices = states.at("ChooseProject").at("Choices");
  ASSERT_EQ(choices.size(), 2u);
  EXPECT_EQ(choices[0].at("Variable"), "$.name");
  EXPECT_EQ(choices[0].at("StringEquals"), "service_A");
  EXPECT_EQ(choices[0].at("Next"), "StartBuild service_A");
  const json& task = states.at("StartBuild service_B");
  EXPECT_EQ(task.at("Parameters").at("ProjectName"), "service-b-build");
  EXPECT_EQ(task.at("Catch")[0].at("Next"), "ReadFailedBuild");
  EXPECT_FALSE(states.contains("NotStarted"));  // no dependencies in this style
}

TEST(ChoiceStateMachine, AnUnknownNamePasses) {
  const json states = item_states(state_machine(kServices, choice_options()), "BuildServices");
  EXPECT_EQ(states.at("ChooseProject").at("Default"), "NotBuildable");
  EXPECT_EQ(states.at("NotBuildable").at("Type"), "Pass");
  // Passed, not built: a stale definition must not report a service as built.
  EXPECT_EQ(states.at("NotBuildable").at("Result"), json({{"status", "NOT_BUILDABLE"}}));
}

TEST(ChoiceStateMachine, WithoutServicesStartsAtThePass) {
  json machine = state_machine({}, choice_options());
  EXPECT_EQ(wave_map(machine, "BuildServices").at("ItemProcessor").at("StartAt"), "NotBuildable");
}

TEST(ChoiceStateMachine, LongServiceNameGetsANumberedState) {
  std::string long_name(90, 'x');
  const json machine = state_machine({{"a", "a"}, {long_name, "p"}}, choice_options());
  const json states = item_states(machine, "BuildServices");
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

TEST(PrintDefinition, ChoicePastTheDefinitionQuotaSaysToUseDynamic) {
  std::vector<AslService> services;
  for (int i = 0; i < 1500; ++i) {
    const std::string name = "service_" + std::to_string(i) + std::string(40, 'x');
    services.push_back({name, name + "-build"});
  }
  const json machine = state_machine(services, choice_options());
  try {
    print_definition(machine, /*compact=*/false);
    FAIL() << "expected the definition quota error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::usage);
    EXPECT_NE(std::string(error.what())
                  .find("over the Step Functions definition quota of "
                        "1048576 bytes; use --style dynamic"),
              std::string::npos)
        << error.what();
  }
  // Measured on the text printed: 300 services fit indented.
  services.resize(300);
  const std::string text = print_definition(state_machine(services, choice_options()), false);
  EXPECT_LE(text.size(), kDefinitionLimit);
  EXPECT_LT(print_definition(state_machine(services, choice_options()), true).size(), text.size());
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
  AslOptions timeout;
  timeout.timeout_seconds = -1;
  EXPECT_EQ(error_code({}, timeout), ExitCode::usage);
}

TEST(AslOptions, ZeroConcurrencyMeansNoLimit) {
  AslOptions options;
  options.max_concurrency = 0;
  json machine = state_machine({}, options);
  EXPECT_EQ(wave_map(machine).at("MaxConcurrency"), 0);
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
  AslOptions fixed;
  fixed.build_state_name = "Built";  // one of the item processor's own states
  EXPECT_EQ(error_code({}, fixed), ExitCode::usage);
}

}  // namespace
}  // namespace svcdiff::asl
