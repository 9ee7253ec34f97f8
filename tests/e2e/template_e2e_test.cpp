// deploy/pipeline.json against the CloudFormation resource specification that
// @aws-cdk/aws-service-spec ships (tests/e2e/check_template.mjs): every
// resource type and property exists. Needs scripts/install-e2e.sh; without it
// these tests fail rather than skip.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "e2e/local_step_functions.hpp"
#include "support/build_paths.hpp"
#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

using nlohmann::json;

const std::string kTemplate = source_dir() + "/deploy/pipeline.json";

CommandResult check_template(const std::filesystem::path& node, const std::string& file) {
  EXPECT_TRUE(std::filesystem::exists(e2e_dir() / "node_modules" / "@aws-cdk" / "aws-service-spec"))
      << "run scripts/install-e2e.sh";
  return run_command({node.string(), (e2e_dir() / "check_template.mjs").string(), file},
                     e2e_dir().string());
}

TEST(PipelineTemplateE2e, EveryResourceTypeAndPropertyExists) {
  const auto node = node_binary();
  ASSERT_NO_FATAL_FAILURE(require_e2e_tools(node));
  for (const std::string& file : {kTemplate, source_dir() + "/deploy/pipeline-ledger.json"}) {
    const CommandResult result = check_template(node, file);
    EXPECT_EQ(result.status, 0) << result.out << result.err;
    std::cout << result.out;
  }
}

TEST(PipelineTemplateE2e, AnUnknownPropertyOrTypeFails) {
  const auto node = node_binary();  // before the TempRepo, which unsets SVCDIFF_NODE
  ASSERT_NO_FATAL_FAILURE(require_e2e_tools(node));
  json broken = json::parse(read_file(kTemplate));
  broken["Resources"]["Pipeline"]["Properties"]["Stages"][2]["BeforeEntry"]["Conditions"][0]
        ["Rules"][0]["Operator"] = "NE";  // belongs in Configuration
  broken["Resources"]["Queue"] = {{"Type", "AWS::SQS::Queues"}};
  TempRepo::Options no_git{false};
  TempRepo dir(no_git);
  dir.write("broken.json", broken.dump(2));
  const CommandResult result = check_template(node, dir.at("broken.json"));
  EXPECT_EQ(result.status, 1) << result.out << result.err;
  EXPECT_NE(result.err.find("Rules[0].Operator: no such property"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("Resources.Queue: no resource type AWS::SQS::Queues"),
            std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace svcdiff::testing
