// deploy/pipeline.json, the CloudFormation template of the whole pipeline:
// its state machine is what `svcdiff asl` prints, and its wiring matches the
// artifact and variables svcdiff writes. tests/e2e/template_e2e_test.cpp checks
// it against the CloudFormation resource specification.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/build_paths.hpp"
#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

using nlohmann::json;

json template_json() { return json::parse(read_file(source_dir() + "/deploy/pipeline.json")); }

const json& stage(const json& pipeline, const std::string& name) {
  for (const json& stage : pipeline.at("Properties").at("Stages")) {
    if (stage.at("Name") == name) return stage;
  }
  throw std::runtime_error("no stage " + name);
}

TEST(PipelineTemplate, StateMachineIsWhatSvcdiffAslPrints) {
  TempRepo::Options no_git{false};
  TempRepo dir(no_git);
  const CommandResult result = run_svcdiff(dir.path(), {"asl"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(template_json().at("Resources").at("StateMachine").at("Properties").at("Definition"),
            json::parse(result.out))
      << "deploy/pipeline.json is out of step: put the output of `svcdiff asl` in "
         "Resources.StateMachine.Properties.Definition";
}

TEST(PipelineTemplate, WiresTheArtifactTheSkipConditionAndTheLastGoodCommit) {
  const json resources = template_json().at("Resources");
  const json& pipeline = resources.at("Pipeline");
  EXPECT_EQ(pipeline.at("Properties").at("PipelineType"), "V2");
  const json& source = stage(pipeline, "Source").at("Actions")[0].at("Configuration");
  EXPECT_EQ(source.at("OutputArtifactFormat"), "CODEBUILD_CLONE_REF");  // full clone: .git

  const json& build = stage(pipeline, "BuildServices");
  const json& invoke = build.at("Actions")[0].at("Configuration");
  EXPECT_EQ(invoke.at("InputType"), "FilePath");
  EXPECT_EQ(invoke.at("Input"), "ABC.json");
  const json& rule = build.at("BeforeEntry").at("Conditions")[0];
  EXPECT_EQ(rule.at("Result"), "SKIP");
  EXPECT_EQ(rule.at("Rules")[0].at("RuleTypeId").at("Provider"), "VariableCheck");
  EXPECT_EQ(rule.at("Rules")[0].at("Configuration").at("Variable"), "#{SVCDIFF.SVCDIFF_COUNT}");

  // The detect build exports what the condition reads, never SVCDIFF_BASE.
  const std::string buildspec =
      resources.at("DetectProject").at("Properties").at("Source").at("BuildSpec").at("Fn::Sub");
  const std::string exported = buildspec.substr(buildspec.find("exported-variables:"));
  EXPECT_NE(exported.find("- SVCDIFF_COUNT"), std::string::npos) << buildspec;
  EXPECT_EQ(exported.find("- SVCDIFF_BASE"), std::string::npos) << buildspec;
  // The result cache outlives the container in the project's local cache.
  EXPECT_NE(buildspec.find("SVCDIFF_CACHE_DIR: /root/.cache/svcdiff\n"), std::string::npos);
  EXPECT_NE(buildspec.find("cache:\n  paths:\n    - /root/.cache/svcdiff/**/*"), std::string::npos);
  const json& cache = resources.at("DetectProject").at("Properties").at("Cache");
  EXPECT_EQ(cache.at("Type"), "LOCAL");
  EXPECT_EQ(cache.at("Modes"), json::array({"LOCAL_CUSTOM_CACHE"}));

  const std::string roles = resources.dump();
  for (const char* action :
       {"codestar-connections:UseConnection", "codeconnections:UseConnection", "ssm:GetParameters",
        "ssm:PutParameter", "codebuild:StartBuild", "codebuild:BatchGetBuilds",
        "codebuild:StopBuild", "states:StartExecution", "states:DescribeExecution"}) {
    EXPECT_NE(roles.find(std::string("\"") + action + "\""), std::string::npos) << action;
  }
}

}  // namespace
}  // namespace svcdiff::testing
