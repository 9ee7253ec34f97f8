// schema/svcdiff.schema.json against the loader: both must agree on the
// example configs in tests/testdata/configs/. The schema may accept less than
// it can express, never more: whatever parse_config accepts, the schema
// accepts (valid/); what the schema rejects, parse_config rejects too
// (invalid/); loader_only/ holds what only the loader can see.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/run.hpp"
#include "config/json_schema.hpp"
#include "config/loader.hpp"
#include "core/error.hpp"
#include "support/build_paths.hpp"
#include "support/svcdiff_runner.hpp"

namespace svcdiff::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kSchemaFile = source_dir() + "/schema/svcdiff.schema.json";
const std::string kConfigs = source_dir() + "/tests/testdata/configs/";

const JsonSchema& schema() {
  static const JsonSchema loaded(json::parse(read_file(kSchemaFile)));
  return loaded;
}

std::vector<fs::path> configs_in(const std::string& directory) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kConfigs + directory)) {
    if (entry.path().extension() == ".yml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

// The loader's message for `text`, or "" when it accepts it.
std::string loader_error(const std::string& text) {
  try {
    config::parse_config(text, "svcdiff.yml");
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::config);
    return cli::error_line(error);
  }
  return "";
}

// Each file in invalid/ and loader_only/ starts with `# loader: <part of the
// loader's message>`.
std::string expected_message(const std::string& text) {
  const std::string prefix = "# loader: ";
  EXPECT_EQ(text.rfind(prefix, 0), 0u) << "the first line must be `" << prefix << "...`";
  return text.substr(prefix.size(), text.find('\n') - prefix.size());
}

TEST(ConfigSchema, SvcdiffSchemaPrintsTheRepositoryFile) {
  TempRepo::Options no_git{false};
  TempRepo directory(no_git);
  auto result = run_svcdiff(directory.path(), {"schema"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, read_file(kSchemaFile));
  EXPECT_EQ(result.err, "");
  json parsed = json::parse(result.out);
  EXPECT_EQ(parsed["$schema"], "http://json-schema.org/draft-07/schema#");
}

TEST(ConfigSchema, UsesOnlyKeywordsTheTestValidatorChecks) {
  EXPECT_NO_THROW(JsonSchema(json::parse(read_file(kSchemaFile))));
}

TEST(ConfigSchema, ValidConfigsParseAndMatchTheSchema) {
  auto files = configs_in("valid");
  ASSERT_GE(files.size(), 5u);
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const std::string text = read_file(file.string());
    EXPECT_EQ(loader_error(text), "");
    EXPECT_EQ(joined(schema().validate(yaml_to_json(text))), "");
  }
}

TEST(ConfigSchema, InvalidConfigsAreRejectedByBoth) {
  auto files = configs_in("invalid");
  ASSERT_GE(files.size(), 20u);
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const std::string text = read_file(file.string());
    EXPECT_FALSE(schema().validate(yaml_to_json(text)).empty());
    const std::string message = loader_error(text);
    EXPECT_NE(message.find(expected_message(text)), std::string::npos) << message;
    EXPECT_EQ(message.rfind("svcdiff.yml:", 0), 0u) << message;
  }
}

TEST(ConfigSchema, LoaderOnlyChecksPassTheSchema) {
  auto files = configs_in("loader_only");
  ASSERT_GE(files.size(), 3u);
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const std::string text = read_file(file.string());
    EXPECT_EQ(joined(schema().validate(yaml_to_json(text))), "");
    const std::string message = loader_error(text);
    EXPECT_NE(message.find(expected_message(text)), std::string::npos) << message;
  }
}

TEST(ConfigSchema, LimitsAgree) {
  std::string ignore = "version: 1\nignore:\n";
  for (int i = 0; i <= 10000; ++i) ignore += "  - p" + std::to_string(i) + "\n";
  EXPECT_FALSE(schema().validate(yaml_to_json(ignore)).empty());
  EXPECT_NE(loader_error(ignore).find("10,000"), std::string::npos);

  const std::string long_pattern = "version: 1\nglobal: [" + std::string(4097, 'x') + "]\n";
  EXPECT_FALSE(schema().validate(yaml_to_json(long_pattern)).empty());
  EXPECT_NE(loader_error(long_pattern).find("4,096"), std::string::npos);
  const std::string longest = "version: 1\nglobal: [" + std::string(4096, 'x') + "]\n";
  EXPECT_TRUE(schema().validate(yaml_to_json(longest)).empty());
  EXPECT_EQ(loader_error(longest), "");
}

TEST(ConfigSchema, ErrorsPointAtTheOffendingValue) {
  auto errors = schema().validate(
      yaml_to_json("version: 1\nservices:\n  api:\n    paths: [services/api/]\n    "
                   "depend_on: [common]\n"));
  ASSERT_EQ(errors.size(), 1u) << joined(errors);
  EXPECT_EQ(errors[0], "/services/api: property \"depend_on\" is not allowed");
}

// The validator itself, keyword by keyword, so that a pass above means something.
TEST(JsonSchemaValidator, ChecksEachKeyword) {
  JsonSchema toy(json::parse(R"({
    "type": "object", "required": ["a"], "additionalProperties": false, "maxProperties": 3,
    "properties": {
      "a": {"const": 1},
      "b": {"type": "array", "maxItems": 2, "items": {"$ref": "#/definitions/word"}},
      "c": {"enum": ["x", "y"]}
    },
    "patternProperties": {"^n_": {"type": ["integer", "null"]}},
    "definitions": {"word": {"type": "string", "minLength": 2, "maxLength": 3, "pattern": "^[a-z]"}}
  })"));
  EXPECT_TRUE(toy.validate(json::parse(R"({"a":1,"b":["ab","abc"],"n_1":null})")).empty());
  EXPECT_EQ(toy.validate(json::parse(R"({"b":[]})")).size(), 1u);              // required
  EXPECT_EQ(toy.validate(json::parse(R"({"a":2})")).size(), 1u);               // const
  EXPECT_EQ(toy.validate(json::parse(R"({"a":1,"c":"z"})")).size(), 1u);       // enum
  EXPECT_EQ(toy.validate(json::parse(R"({"a":1,"d":0})")).size(), 1u);         // additional
  EXPECT_EQ(toy.validate(json::parse(R"({"a":1,"n_x":"s"})")).size(), 1u);     // pattern props
  EXPECT_EQ(toy.validate(json::parse(R"({"a":1,"b":["a"]})")).size(), 1u);     // minLength
  EXPECT_EQ(toy.validate(json::parse(R"({"a":1,"b":["abcd"]})")).size(), 1u);  // maxLength
  EXPECT_EQ(toy.validate(json::parse(R"({"a":1,"b":["Ab"]})")).size(), 1u);    // pattern
  EXPECT_EQ(toy.validate(json::parse(R"({"a":1,"b":["ab","ab","ab"]})")).size(), 1u);  // maxItems
  EXPECT_EQ(toy.validate(json::parse(R"({"a":1,"n_1":1,"n_2":2,"n_3":3})")).size(),
            1u);                                          // maxProperties
  EXPECT_EQ(toy.validate(json::parse("[]")).size(), 1u);  // type
  EXPECT_THROW(JsonSchema(json::parse(R"({"minimum": 1})")), std::invalid_argument);
  EXPECT_THROW(JsonSchema(json::parse(R"({"$ref": "#/definitions/x", "type": "string",
                                          "definitions": {"x": {}}})")),
               std::invalid_argument);
}

TEST(JsonSchemaValidator, YamlScalarsFollowTheCoreSchema) {
  json value = yaml_to_json(
      "a: 1\nb: \"1\"\nc: true\nd: 'true'\ne: ~\nf:\ng: 0.5\nh: yes\ni: 0x1F\nj: 2024-01-01\n");
  EXPECT_EQ(value["a"], 1);
  EXPECT_EQ(value["b"], "1");
  EXPECT_EQ(value["c"], true);
  EXPECT_EQ(value["d"], "true");
  EXPECT_EQ(value["e"], nullptr);
  EXPECT_EQ(value["f"], nullptr);
  EXPECT_EQ(value["g"], 0.5);
  EXPECT_EQ(value["h"], "yes");  // YAML 1.1's booleans are text in 1.2
  EXPECT_EQ(value["i"], 31);
  EXPECT_EQ(value["j"], "2024-01-01");
}

}  // namespace
}  // namespace svcdiff::testing
