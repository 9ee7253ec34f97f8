// deploy/pipeline.json and deploy/pipeline-ledger.json, the CloudFormation
// templates of the whole pipeline: their state machines are what `svcdiff
// asl` prints, CloudFormation can order their resources, and their wiring
// matches the artifact and variables svcdiff writes. tests/e2e/template_e2e_test.cpp checks
// it against the CloudFormation resource specification.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "support/build_paths.hpp"
#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

using nlohmann::json;

json template_json(const std::string& name = "pipeline.json") {
  return json::parse(read_file(source_dir() + "/deploy/" + name));
}

// The resources `value` refers to (Ref, Fn::GetAtt, ${...} in Fn::Sub),
// added to `out`. Names that are not resources (parameters, AWS::...) are
// kept too: the caller looks up only resources.
void references(const json& value, std::set<std::string>& out) {
  if (value.is_array()) {
    for (const json& each : value) references(each, out);
    return;
  }
  if (!value.is_object()) return;
  for (const auto& [key, inner] : value.items()) {
    if (key == "Ref" && inner.is_string()) {
      out.insert(inner.get<std::string>());
    } else if (key == "Fn::GetAtt") {
      const std::string target =
          inner.is_array() ? inner[0].get<std::string>() : inner.get<std::string>();
      out.insert(target.substr(0, target.find('.')));
    } else if (key == "Fn::Sub") {
      const std::string text =
          inner.is_array() ? inner[0].get<std::string>() : inner.get<std::string>();
      const json locals = inner.is_array() ? inner[1] : json::object();
      for (std::size_t at = text.find("${"); at != std::string::npos;
           at = text.find("${", at + 2)) {
        const std::string name = text.substr(at + 2, text.find('}', at) - at - 2);
        if (name.starts_with("!")) continue;  // ${!Literal}
        const std::string target = name.substr(0, name.find('.'));
        if (!locals.contains(target)) out.insert(target);
      }
      if (inner.is_array()) references(inner[1], out);
    } else {
      references(inner, out);
    }
  }
}

// A template CloudFormation accepts: no resource depends on itself through
// others ("Circular dependency between resources"), and an Fn::Join
// delimiter is a plain string (the documentation allows no function there).
void expect_deployable(const std::string& name) {
  const json resources = template_json(name).at("Resources");
  std::map<std::string, std::set<std::string>> edges;
  for (const auto& [id, resource] : resources.items()) {
    std::set<std::string> refs;
    references(resource, refs);
    if (resource.contains("DependsOn")) {
      const json& on = resource.at("DependsOn");
      if (on.is_string()) refs.insert(on.get<std::string>());
      for (const json& each : on.is_array() ? on : json::array())
        refs.insert(each.get<std::string>());
    }
    for (const auto& ref : refs) {
      if (resources.contains(ref)) edges[id].insert(ref);
    }
  }
  std::map<std::string, int> state;  // 1: on the path, 2: done
  std::vector<std::string> path;
  std::function<void(const std::string&)> visit = [&](const std::string& id) {
    state[id] = 1;
    path.push_back(id);
    for (const auto& next : edges[id]) {
      if (state[next] == 1) {
        std::string cycle;
        for (const auto& each : path) cycle += each + " -> ";
        ADD_FAILURE() << name << ": circular dependency " << cycle << next;
      } else if (state[next] == 0) {
        visit(next);
      }
    }
    path.pop_back();
    state[id] = 2;
  };
  for (const auto& [id, resource] : resources.items()) {
    if (state[id] == 0) visit(id);
  }
  std::function<void(const json&)> joins = [&](const json& value) {
    if (value.is_object()) {
      if (value.contains("Fn::Join")) {
        EXPECT_TRUE(value.at("Fn::Join")[0].is_string())
            << name << ": an Fn::Join delimiter must be a string: " << value.dump();
      }
      for (const auto& [key, inner] : value.items()) joins(inner);
    } else if (value.is_array()) {
      for (const json& each : value) joins(each);
    }
  };
  joins(resources);
}

TEST(PipelineTemplate, BothTemplatesHaveNoCycleAndNoFunctionAsAJoinDelimiter) {
  expect_deployable("pipeline.json");
  expect_deployable("pipeline-ledger.json");
}

// The checks above catch what they are for.
TEST(PipelineTemplate, TheDeployabilityCheckFindsACycleAndAFunctionDelimiter) {
  std::set<std::string> refs;
  references(json::parse(R"({"a":{"Fn::Sub":["${X}-${Y.Arn}-${!Z}",{"Y":{"Ref":"W"}}]},)"
                         R"("b":{"Fn::GetAtt":["V","Arn"]}})"),
             refs);
  EXPECT_EQ(refs, (std::set<std::string>{"X", "W", "V"}));
}

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

// deploy/pipeline-ledger.json: the same pipeline with the build ledger
// instead of the last good commit. The table it creates reaches the state
// machine through DefinitionSubstitutions.
TEST(PipelineTemplate, LedgerStateMachineIsWhatSvcdiffAslPrintsWithTheTableItCreates) {
  TempRepo::Options no_git{false};
  TempRepo dir(no_git);
  const CommandResult result =
      run_svcdiff(dir.path(), {"asl", "--ledger", "dynamodb:${LedgerTable}"});
  ASSERT_EQ(result.status, 0) << result.err;
  const json resources = template_json("pipeline-ledger.json").at("Resources");
  const json& machine = resources.at("StateMachine").at("Properties");
  EXPECT_EQ(machine.at("Definition"), json::parse(result.out))
      << "deploy/pipeline-ledger.json is out of step: put the output of `svcdiff asl --ledger "
         "dynamodb:${LedgerTable}` in Resources.StateMachine.Properties.Definition";
  EXPECT_EQ(machine.at("DefinitionSubstitutions").at("LedgerTable"), json({{"Ref", "Ledger"}}));

  // The table's keys are the attributes the state machine reads and writes.
  const json& table = resources.at("Ledger");
  EXPECT_EQ(table.at("Type"), "AWS::DynamoDB::Table");
  EXPECT_EQ(table.at("DeletionPolicy"), "Retain");  // the record of what was built
  EXPECT_EQ(table.at("Properties").at("KeySchema"),
            json::parse(R"([{"AttributeName":"service","KeyType":"HASH"},)"
                        R"({"AttributeName":"fingerprint","KeyType":"RANGE"}])"));
  EXPECT_NE(result.out.find("\"service\": {"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("\"fingerprint\": {"), std::string::npos) << result.out;
  const std::string role = resources.at("StateMachineRole").dump();
  EXPECT_NE(role.find(R"("Action":["dynamodb:GetItem","dynamodb:PutItem"],)"
                      R"("Effect":"Allow","Resource":{"Fn::GetAtt":["Ledger","Arn"]})"),
            std::string::npos)
      << role;
}

TEST(PipelineTemplate, LedgerPipelineListsEveryServiceFromTheZipSource) {
  const json resources = template_json("pipeline-ledger.json").at("Resources");
  const json& pipeline = resources.at("Pipeline");
  const json& source = stage(pipeline, "Source").at("Actions")[0].at("Configuration");
  EXPECT_EQ(source.at("OutputArtifactFormat"), "CODE_ZIP");  // no .git needed
  for (const json& each : pipeline.at("Properties").at("Stages")) {
    EXPECT_NE(each.at("Name"), "RecordLastGood");
  }
  EXPECT_FALSE(resources.contains("LastGoodCommit"));
  // The detect build runs what buildspecs/detect-changes-ledger.yml runs.
  const std::string inline_spec =
      resources.at("DetectProject").at("Properties").at("Source").at("BuildSpec");
  const std::string file_spec = read_file(source_dir() + "/buildspecs/detect-changes-ledger.yml");
  for (const char* line : {"- svcdiff changed --all --format items --output ABC.json\n",
                           "- svcdiff changed --all --format env --output svcdiff.env\n",
                           "    - SVCDIFF_COUNT\n", "    - SVCDIFF_HEAD\n"}) {
    EXPECT_NE(inline_spec.find(line), std::string::npos) << line;
    EXPECT_NE(file_spec.find(line), std::string::npos) << line;
  }
  const std::string detect_role = resources.at("DetectRole").dump();
  EXPECT_EQ(detect_role.find("ssm:"), std::string::npos) << detect_role;
  EXPECT_EQ(detect_role.find("UseConnection"), std::string::npos) << detect_role;
}

}  // namespace
}  // namespace svcdiff::testing
