#include "output/formats.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.hpp"
#include "core/path_text.hpp"

namespace svcdiff::output {
namespace {

// An item's reasons view the texts of a selection: these stand in for them.
const std::string& kept_text(std::string text) {
  static std::deque<std::string> texts;
  return texts.emplace_back(std::move(text));
}

Artifact sample(std::size_t services, std::size_t reasons_each) {
  Artifact artifact;
  artifact.base = std::string(40, 'a');
  artifact.head = std::string(40, 'b');
  artifact.base_rule = "flag";
  artifact.waves.resize(1);
  for (std::size_t i = 0; i < services; ++i) {
    std::string name = "service_" + std::to_string(i);
    artifact.services.push_back(name);
    Item item{
        name, name + "-build", "services/" + name, "services/" + name + "/buildspec.yml", 0, {}, {},
        {}};
    for (std::size_t r = 0; r < reasons_each; ++r) {
      item.reasons.push_back(
          {plan::ReasonKind::file,
           kept_text("services/" + name + "/src/file_" + std::to_string(r) + ".py"),
           kept_text("services/" + name + "/"),
           {},
           {}});
    }
    artifact.waves[0].push_back(item);
  }
  return artifact;
}

TEST(JsonSafe, InvalidUtf8BytesBecomeBackslashX) {
  EXPECT_EQ(json_safe("ok/\xff\xfe.txt"), "ok/\\xff\\xfe.txt");
  EXPECT_EQ(json_safe("caf\xc3\xa9"), "caf\xc3\xa9");       // valid two-byte sequence kept
  EXPECT_EQ(json_safe("\xc0\xaf"), "\\xc0\\xaf");           // overlong '/'
  EXPECT_EQ(json_safe("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate
  EXPECT_EQ(json_safe("\xe2\x82"), "\\xe2\\x82");           // truncated
  // The result always serializes.
  EXPECT_NO_THROW(nlohmann::json(json_safe("a\xff\nb")).dump());
}

TEST(Render, ServicesFormatIsTheSeedShape) {
  Artifact artifact = sample(2, 1);
  std::vector<std::string> notes;
  EXPECT_EQ(render(artifact, Format::services, notes),
            "{\"services\":[\"service_0\",\"service_1\"]}\n");
}

TEST(Render, ItemsCarryEnvironmentOverrides) {
  Artifact artifact = sample(1, 1);
  artifact.waves[0][0].vars = {{"STAGE", "prod"}};
  std::vector<std::string> notes;
  auto json = nlohmann::json::parse(render(artifact, Format::items, notes));
  const auto& item = json["waves"][0][0];
  EXPECT_EQ(item["vars"]["STAGE"], "prod");
  EXPECT_EQ(item["env"],
            nlohmann::json::parse(R"([{"Name":"STAGE","Value":"prod","Type":"PLAINTEXT"}])"));
  EXPECT_EQ(json["trimmed"], false);
  EXPECT_TRUE(notes.empty());
}

TEST(Render, ItemsTrimReasonsToFitTheLimit) {
  Artifact artifact = sample(1000, 20);
  std::vector<std::string> notes;
  std::string text = render(artifact, Format::items, notes);
  EXPECT_LE(text.size(), kItemsArtifactLimit);
  auto json = nlohmann::json::parse(text);
  EXPECT_EQ(json["trimmed"], true);
  EXPECT_TRUE(artifact.trimmed);
  EXPECT_EQ(json["services"].size(), 1000u);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("262144"), std::string::npos);
}

TEST(Render, ItemsThatCannotFitFailNamingTheLimit) {
  Artifact artifact = sample(5000, 2);
  std::vector<std::string> notes;
  try {
    render(artifact, Format::items, notes);
    FAIL() << "expected the limit error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::runtime);
    EXPECT_NE(std::string(error.what()).find("262144"), std::string::npos);
  }
  std::string services = render(artifact, Format::services, notes);
  EXPECT_LE(services.size(), kStepFunctionsInputLimit);
}

TEST(Render, ReferenceVarsBecomeParameterStoreAndSecretsManagerEnv) {
  Artifact artifact = sample(1, 0);
  artifact.waves[0][0].vars = {{"DB", "prod/db"}, {"KEY", "/prod/key"}, {"STAGE", "prod"}};
  artifact.waves[0][0].var_types = {{"DB", config::VarType::secrets_manager},
                                    {"KEY", config::VarType::parameter_store}};
  std::vector<std::string> notes;
  auto item = nlohmann::json::parse(render(artifact, Format::items, notes))["waves"][0][0];
  EXPECT_EQ(item["vars"], nlohmann::json::parse(R"({"DB":{"secrets-manager":"prod/db"},
      "KEY":{"parameter-store":"/prod/key"},"STAGE":"prod"})"));
  EXPECT_EQ(item["env"], nlohmann::json::parse(R"([
      {"Name":"DB","Value":"prod/db","Type":"SECRETS_MANAGER"},
      {"Name":"KEY","Value":"/prod/key","Type":"PARAMETER_STORE"},
      {"Name":"STAGE","Value":"prod","Type":"PLAINTEXT"}])"));
}

TEST(Render, ItemsCarryDependsOnEvenTrimmed) {
  Artifact artifact = sample(1000, 20);
  artifact.waves[0][1].depends_on = {"service_0"};
  std::vector<std::string> notes;
  auto json = nlohmann::json::parse(render(artifact, Format::items, notes));
  EXPECT_EQ(json["trimmed"], true);
  EXPECT_EQ(json["waves"][0][0]["depends_on"], nlohmann::json::array());
  EXPECT_EQ(json["waves"][0][1]["depends_on"], nlohmann::json({"service_0"}));
}

TEST(S3Split, OneFilePerWaveAndAnArtifactNamingTheirKeys) {
  Artifact artifact = sample(3, 2);
  artifact.waves.push_back({artifact.waves[0][2]});
  artifact.waves[0].pop_back();
  const S3Split split =
      render_s3_split(artifact, parse_s3_uri("s3://my-bucket/svcdiff/items/"), "bbbb/build:7");
  ASSERT_EQ(split.files.size(), 2u);
  EXPECT_EQ(split.files[0].first, "bbbb/build:7/wave-0.json");
  EXPECT_EQ(split.files[1].first, "bbbb/build:7/wave-1.json");
  auto wave0 = nlohmann::json::parse(split.files[0].second);
  ASSERT_EQ(wave0.size(), 2u);
  EXPECT_EQ(wave0[1]["name"], "service_1");
  EXPECT_EQ(wave0[1]["reasons"].size(), 2u);  // untrimmed
  auto abc = nlohmann::json::parse(split.artifact);
  EXPECT_EQ(abc["count"], 3);
  EXPECT_FALSE(abc.contains("services"));
  EXPECT_FALSE(abc.contains("waves"));
  EXPECT_EQ(abc["head"], std::string(40, 'b'));
  EXPECT_EQ(abc["s3"], nlohmann::json::parse(R"({"bucket":"my-bucket","keys":[
      "svcdiff/items/bbbb/build:7/wave-0.json","svcdiff/items/bbbb/build:7/wave-1.json"]})"));
  // A bucket without a prefix.
  EXPECT_EQ(nlohmann::json::parse(
                render_s3_split(artifact, parse_s3_uri("s3://b"), "r").artifact)["s3"]["keys"][0],
            "r/wave-0.json");
}

TEST(S3Split, UriMustNameABucket) {
  for (const char* bad : {"my-bucket/x", "s3://", "s3:///x", "https://b/x"}) {
    try {
      parse_s3_uri(bad);
      ADD_FAILURE() << bad;
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ExitCode::usage) << bad;
    }
  }
}

TEST(ShellQuote, HostileValuesStayLiteral) {
  EXPECT_EQ(shell_quote("$(rm -rf /)"), "'$(rm -rf /)'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
}

TEST(Render, GithubOutputUsesDelimiterForMultilineValues) {
  Artifact artifact = sample(1, 0);
  artifact.base = "line1\nline2";
  std::vector<std::string> notes;
  std::string text = render(artifact, Format::github, notes);
  EXPECT_NE(text.find("base<<SVCDIFF_EOF\nline1\nline2\nSVCDIFF_EOF\n"), std::string::npos) << text;
  EXPECT_NE(text.find("count=1\n"), std::string::npos);
}

}  // namespace
}  // namespace svcdiff::output
