#include "config/loader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "cli/run.hpp"
#include "core/error.hpp"

namespace svcdiff::config {
namespace {

// The message of the configuration error that parse_config throws for `text`.
std::string error_of(std::string_view text) {
  try {
    parse_config(text, "svcdiff.yml");
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::config);
    EXPECT_TRUE(e.location().has_value());
    std::string message = cli::error_line(e);
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    return message;
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return "";
}

bool starts_with(const std::string& text, std::string_view prefix) {
  return text.rfind(prefix, 0) == 0;
}
bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

#define EXPECT_ERROR_AT(text, prefix)                       \
  do {                                                      \
    const std::string message_ = error_of(text);            \
    EXPECT_TRUE(starts_with(message_, prefix)) << message_; \
  } while (false)

constexpr std::string_view kSpecExample = R"(version: 1
defaults: {base: origin/main, on_unknown_base: all, output: ABC.json, format: services}
ignore: ["**/*.md", "docs/"]          # changes here never select anything
global: ["/svcdiff.yml", "buildspecs/"] # a change here selects every service
discover:                              # matching directories holding `require`; name = basename
  - {glob: "services/*", require: buildspec.yml}
services:
  service_A:
    paths: ["services/service_A/"]     # default for a discovered service: its directory
    exclude: ["services/service_A/README.md"]
    depends_on: [common]               # a change selecting `common` selects service_A too
    project: service-a-build           # CodeBuild project; default: the service name
    buildspec: services/service_A/buildspec.yml
    vars: {STAGE: prod}                # passed through to the items format
  common:
    paths: ["libs/common/"]
    build: false                       # a library: selects its dependents, never listed itself
)";

TEST(ConfigLoader, SpecExampleParsesToTheModel) {
  const Config config = parse_config(kSpecExample, "svcdiff.yml");
  EXPECT_EQ(config.file, "svcdiff.yml");
  EXPECT_TRUE(config.from_file);
  EXPECT_EQ(config.version, 1);
  EXPECT_EQ(config.defaults.base, "origin/main");
  EXPECT_EQ(config.defaults.on_unknown_base, OnUnknownBase::all);
  EXPECT_EQ(config.defaults.output, "ABC.json");
  EXPECT_EQ(config.defaults.format, "services");

  ASSERT_EQ(config.ignore.size(), 2u);
  EXPECT_EQ(config.ignore[0].text, "**/*.md");
  EXPECT_EQ(config.ignore[0].pos.line, 3);
  EXPECT_EQ(config.ignore[0].pos.column, 10);
  EXPECT_EQ(config.ignore[1].text, "docs/");
  ASSERT_EQ(config.global.size(), 2u);
  EXPECT_EQ(config.global[0].text, "/svcdiff.yml");
  EXPECT_EQ(config.global[1].text, "buildspecs/");

  ASSERT_EQ(config.discover.size(), 1u);
  EXPECT_EQ(config.discover[0].glob, "services/*");
  EXPECT_EQ(config.discover[0].require, "buildspec.yml");
  EXPECT_EQ(config.discover[0].pos.line, 6);
  EXPECT_EQ(config.discover[0].pos.column, 12);

  ASSERT_EQ(config.services.size(), 2u);
  const Service& a = config.services[0];
  EXPECT_EQ(a.name, "service_A");
  EXPECT_EQ(a.pos.line, 8);
  EXPECT_EQ(a.pos.column, 3);
  ASSERT_EQ(a.paths.size(), 1u);
  EXPECT_EQ(a.paths[0].text, "services/service_A/");
  EXPECT_EQ(a.paths[0].pos.line, 9);
  EXPECT_EQ(a.paths[0].pos.column, 13);
  ASSERT_EQ(a.exclude.size(), 1u);
  EXPECT_EQ(a.exclude[0].text, "services/service_A/README.md");
  EXPECT_EQ(a.depends_on, std::vector<std::string>{"common"});
  ASSERT_EQ(a.depends_on_pos.size(), 1u);
  EXPECT_EQ(a.depends_on_pos[0].line, 11);
  EXPECT_EQ(a.depends_on_pos[0].column, 18);
  EXPECT_EQ(a.project, "service-a-build");
  EXPECT_EQ(a.buildspec, "services/service_A/buildspec.yml");
  EXPECT_TRUE(a.build);
  EXPECT_EQ(a.vars, (std::map<std::string, std::string>{{"STAGE", "prod"}}));
  EXPECT_FALSE(a.discovered);
  EXPECT_EQ(a.directory, "");

  const Service& common = config.services[1];
  EXPECT_EQ(common.name, "common");
  EXPECT_EQ(common.project, "common");
  EXPECT_FALSE(common.build);
  EXPECT_EQ(common.buildspec, "");
  EXPECT_TRUE(common.depends_on.empty());
  EXPECT_TRUE(common.vars.empty());
}

TEST(ConfigLoader, MinimalConfigHasEmptyLists) {
  const Config config = parse_config("version: 1\n", "svcdiff.yml");
  EXPECT_FALSE(config.defaults.base);
  EXPECT_FALSE(config.defaults.on_unknown_base);
  EXPECT_TRUE(config.ignore.empty());
  EXPECT_TRUE(config.discover.empty());
  EXPECT_TRUE(config.services.empty());
}

TEST(ConfigLoader, EmptyServiceEntriesTakeDefaults) {
  const Config config =
      parse_config("version: 1\nservices:\n  service_X: {}\n  service_Y:\n", "svcdiff.yml");
  ASSERT_EQ(config.services.size(), 2u);
  EXPECT_EQ(config.services[0].name, "service_X");
  EXPECT_EQ(config.services[0].project, "service_X");
  EXPECT_TRUE(config.services[0].paths.empty());
  EXPECT_EQ(config.services[1].name, "service_Y");
  EXPECT_EQ(config.services[1].project, "service_Y");
  EXPECT_EQ(config.services[1].pos.line, 4);
  EXPECT_TRUE(config.services[1].build);
}

TEST(ConfigLoader, EmptyValuesOfListsAndMappingsAreEmpty) {
  const Config config = parse_config(
      "version: 1\nignore:\ndefaults:\nservices:\n  app:\n    paths:\n    vars:\n", "svcdiff.yml");
  EXPECT_TRUE(config.ignore.empty());
  ASSERT_EQ(config.services.size(), 1u);
  EXPECT_TRUE(config.services[0].paths.empty());
}

TEST(ConfigLoader, VarsValuesAreKeptAsWritten) {
  const Config config = parse_config(
      "version: 1\nservices:\n  app:\n    vars: {PORT: 0080, DEBUG: true, NAME: \"a b\", EMPTY: "
      "\"\", _X1: 1.50}\n",
      "svcdiff.yml");
  EXPECT_EQ(
      config.services[0].vars,
      (std::map<std::string, std::string>{
          {"PORT", "0080"}, {"DEBUG", "true"}, {"NAME", "a b"}, {"EMPTY", ""}, {"_X1", "1.50"}}));
}

TEST(ConfigLoader, BooleansAcceptTheYamlSpellings) {
  const Config config = parse_config(
      "version: 1\nservices:\n  aa: {build: False}\n  bb: {build: TRUE}\n", "svcdiff.yml");
  EXPECT_FALSE(config.services[0].build);
  EXPECT_TRUE(config.services[1].build);
}

TEST(ConfigLoader, BuildspecMayUseDotDotInside) {
  const Config config = parse_config(
      "version: 1\nservices:\n  app: {buildspec: services/app/../app/./buildspec.yml}\n",
      "svcdiff.yml");
  EXPECT_EQ(config.services[0].buildspec, "services/app/../app/./buildspec.yml");
}

TEST(ConfigLoader, DiscoverRequireDefaultsToBuildspec) {
  const Config config = parse_config(
      "version: 1\ndiscover:\n  - glob: apps/*\n  - {glob: libs/*, require: package.json}\n",
      "svcdiff.yml");
  ASSERT_EQ(config.discover.size(), 2u);
  EXPECT_EQ(config.discover[0].require, "buildspec.yml");
  EXPECT_EQ(config.discover[0].pos.line, 3);
  EXPECT_EQ(config.discover[0].pos.column, 11);
  EXPECT_EQ(config.discover[1].require, "package.json");
}

TEST(ConfigLoader, QuotedKeysAndBomAreFine) {
  const Config config =
      parse_config("\xEF\xBB\xBFversion: 1\n\"services\":\n  'app': {}\n", "svcdiff.yml");
  ASSERT_EQ(config.services.size(), 1u);
  EXPECT_EQ(config.services[0].name, "app");
}

// --- version -------------------------------------------------------------

TEST(ConfigLoader, EmptyFileIsMissingVersion) {
  EXPECT_EQ(error_of(""), "svcdiff.yml:1:1: error: missing `version: 1`; add it as the first line");
  EXPECT_ERROR_AT("# only a comment\n", "svcdiff.yml:1:1: error: missing `version: 1`");
  EXPECT_ERROR_AT("---\n", "svcdiff.yml:1:1: error: missing `version: 1`");
}

TEST(ConfigLoader, MissingVersionIsAnError) {
  EXPECT_ERROR_AT("services: {}\n", "svcdiff.yml:1:1: error: missing `version: 1`");
}

TEST(ConfigLoader, UnsupportedVersionIsAnError) {
  EXPECT_EQ(error_of("services: {}\nversion: 2\n"),
            "svcdiff.yml:2:10: error: unsupported `version: 2`; this svcdiff reads `version: 1` "
            "(without quotes)");
  EXPECT_ERROR_AT("version: \"1\"\n",
                  "svcdiff.yml:1:10: error: `version: \"1\"`: the quotes make it the string");
  EXPECT_ERROR_AT("version: [1]\n", "svcdiff.yml:1:10: error: `version`: expected 1, found a list");
  EXPECT_ERROR_AT("version:\n", "svcdiff.yml:1:1: error: `version`: expected 1, found nothing");
}

TEST(ConfigLoader, UnsupportedVersionComesBeforeUnknownKeys) {
  EXPECT_ERROR_AT("future: x\nversion: 2\n", "svcdiff.yml:2:10: error: unsupported");
}

TEST(ConfigLoader, TopLevelMustBeAMapping) {
  EXPECT_ERROR_AT("- version: 1\n",
                  "svcdiff.yml:1:1: error: expected a mapping of settings (`version: 1`, "
                  "`services:`, ...) at the top level, found a list");
}

// --- unknown keys ----------------------------------------------------------

TEST(ConfigLoader, UnknownTopLevelKeySuggestsTheNearest) {
  EXPECT_EQ(error_of("version: 1\nservics: {}\n"),
            "svcdiff.yml:2:1: error: unknown key `servics` at the top level; did you mean "
            "`services`?");
}

TEST(ConfigLoader, UnknownServiceKeySuggestsDependsOn) {
  EXPECT_EQ(error_of("version: 1\nservices:\n  service_A:\n    depend_on: [common]\n"),
            "svcdiff.yml:4:5: error: unknown key `depend_on` in service `service_A`; did you "
            "mean `depends_on`?");
}

TEST(ConfigLoader, UnknownKeyWithoutANearOneListsTheKnownKeys) {
  EXPECT_EQ(error_of("version: 1\nservices:\n  app:\n    docker: x\n"),
            "svcdiff.yml:4:5: error: unknown key `docker` in service `app`; expected one of "
            "`paths`, `exclude`, `depends_on`, `project`, `buildspec`, `vars`, `build`");
}

TEST(ConfigLoader, UnknownKeysInDefaultsAndDiscover) {
  EXPECT_ERROR_AT(
      "version: 1\ndefaults: {bsae: main}\n",
      "svcdiff.yml:2:12: error: unknown key `bsae` in `defaults`; did you mean `base`?");
  EXPECT_ERROR_AT("version: 1\ndiscover: [{glob: a/*, requires: x}]\n",
                  "svcdiff.yml:2:24: error: unknown key `requires` in `discover[0]`; did you mean "
                  "`require`?");
}

TEST(ConfigLoader, UnknownChoicesSuggestTheNearest) {
  EXPECT_EQ(error_of("version: 1\ndefaults:\n  on_unknown_base: fial\n"),
            "svcdiff.yml:3:20: error: `defaults.on_unknown_base` cannot be `fial`; did you mean "
            "`fail`?");
  EXPECT_EQ(error_of("version: 1\ndefaults: {format: itmes}\n"),
            "svcdiff.yml:2:20: error: `defaults.format` cannot be `itmes`; did you mean `items`?");
  EXPECT_EQ(error_of("version: 1\ndefaults: {format: yaml}\n"),
            "svcdiff.yml:2:20: error: `defaults.format` cannot be `yaml`; use one of `services`, "
            "`items`, `env`, `github`, `text`");
}

// --- duplicates --------------------------------------------------------------

TEST(ConfigLoader, DuplicateKeyIsAnError) {
  EXPECT_EQ(error_of("version: 1\nignore: [a]\nversion: 1\n"),
            "svcdiff.yml:3:1: error: duplicate key `version` (first at line 1, column 1); keep "
            "only one of them");
}

TEST(ConfigLoader, DuplicateServiceIsAnError) {
  EXPECT_ERROR_AT("version: 1\nservices:\n  app: {}\n  lib: {}\n  app:\n",
                  "svcdiff.yml:5:3: error: duplicate key `app` (first at line 3, column 3)");
}

TEST(ConfigLoader, DuplicateKeyInsideAServiceOrVarsIsAnError) {
  EXPECT_ERROR_AT("version: 1\nservices:\n  app:\n    paths: [a/]\n    paths: [b/]\n",
                  "svcdiff.yml:5:5: error: duplicate key `paths`");
  EXPECT_ERROR_AT("version: 1\nservices:\n  app: {vars: {A: 1, A: 2}}\n",
                  "svcdiff.yml:3:22: error: duplicate key `A` (first at line 3, column 16)");
}

// --- names -------------------------------------------------------------------

TEST(ConfigLoader, ServiceNameMustBeACodeBuildName) {
  EXPECT_EQ(error_of("version: 1\nservices:\n  my.service: {}\n"),
            "svcdiff.yml:3:3: error: service name `my.service` is not a valid CodeBuild project "
            "name: use 2 to 255 letters, digits, `-` or `_`, starting with a letter or digit");
  EXPECT_ERROR_AT("version: 1\nservices:\n  _app: {}\n", "svcdiff.yml:3:3: error: service name");
  EXPECT_ERROR_AT("version: 1\nservices:\n  a: {}\n", "svcdiff.yml:3:3: error: service name");
  EXPECT_ERROR_AT("version: 1\nservices:\n  " + std::string(256, 'a') + ": {}\n",
                  "svcdiff.yml:3:3: error: service name");
  EXPECT_NO_THROW(
      parse_config("version: 1\nservices:\n  " + std::string(255, 'a') + ": {}\n", "svcdiff.yml"));
}

TEST(ConfigLoader, ProjectMustBeACodeBuildName) {
  EXPECT_ERROR_AT("version: 1\nservices:\n  app:\n    project: my project\n",
                  "svcdiff.yml:4:14: error: `services.app.project` `my project` is not a valid "
                  "CodeBuild project name");
}

TEST(ConfigLoader, VarNamesMustBeEnvironmentNames) {
  EXPECT_EQ(error_of("version: 1\nservices:\n  app:\n    vars: {STAGE-1: x}\n"),
            "svcdiff.yml:4:12: error: `STAGE-1` in `services.app.vars` is not a valid "
            "environment variable name: use letters, digits and `_`, not starting with a digit");
  EXPECT_ERROR_AT("version: 1\nservices:\n  app:\n    vars: {1X: x}\n",
                  "svcdiff.yml:4:12: error: `1X`");
}

// --- patterns and paths --------------------------------------------------------

TEST(ConfigLoader, InvalidPatternIsReportedAtThePattern) {
  EXPECT_ERROR_AT("version: 1\nservices:\n  app:\n    paths:\n      - ok/\n      - a/../b\n",
                  "svcdiff.yml:6:9: error: ");
  EXPECT_ERROR_AT("version: 1\nignore: [\"x\", \"./y\"]\n", "svcdiff.yml:2:15: error: ");
  EXPECT_ERROR_AT("version: 1\nglobal: [\"\"]\n",
                  "svcdiff.yml:2:10: error: `global[0]` is empty; expected a pattern string");
  EXPECT_ERROR_AT("version: 1\ndiscover: [{glob: \"services/../*\"}]\n",
                  "svcdiff.yml:2:19: error: ");
}

// git matches nothing with a malformed glob; in svcdiff.yml it would be a
// service, an ignore or a discovery rule that silently never applies.
TEST(ConfigLoader, AGlobThatCanNeverMatchIsReportedAtThePattern) {
  EXPECT_ERROR_AT("version: 1\nservices:\n  app:\n    paths: [\"s/a[/\"]\n",
                  "svcdiff.yml:4:13: error: pattern `s/a[/` can never match: it has an unclosed");
  EXPECT_ERROR_AT("version: 1\nignore: [\"[[:foo:]]/x\"]\n", "svcdiff.yml:2:10: error: pattern");
  EXPECT_ERROR_AT("version: 1\nglobal: [\"ci\\\\\"]\n", "svcdiff.yml:2:10: error: pattern");
  EXPECT_ERROR_AT("version: 1\ndiscover: [{glob: \"services/[\"}]\n",
                  "svcdiff.yml:2:19: error: pattern");
  // Escaped, the same bytes are a literal: fine.
  EXPECT_NO_THROW(
      parse_config("version: 1\nservices:\n  app: {paths: [\"s/a\\\\[/\"]}\n", "svcdiff.yml"));
}

TEST(ConfigLoader, NegatedPathPointsToExclude) {
  EXPECT_EQ(error_of("version: 1\nservices:\n  app:\n    paths: [app/, \"!app/docs/\"]\n"),
            "svcdiff.yml:4:19: error: `!app/docs/` in `services.app.paths`: `paths` cannot hold "
            "`!` patterns; list `app/docs/` under `exclude` instead");
}

TEST(ConfigLoader, NegatedPatternElsewhereIsAnError) {
  EXPECT_ERROR_AT("version: 1\nignore: [\"!keep.md\"]\n",
                  "svcdiff.yml:2:10: error: `!keep.md` in `ignore`: patterns starting with `!` "
                  "are not supported here; to match a name that starts with `!`, write "
                  "`\\!keep.md`");
}

TEST(ConfigLoader, BuildspecMustStayInTheRepository) {
  EXPECT_EQ(error_of("version: 1\nservices:\n  app: {buildspec: /etc/buildspec.yml}\n"),
            "svcdiff.yml:3:20: error: `services.app.buildspec` `/etc/buildspec.yml` is absolute; "
            "write it relative to the repository root");
  EXPECT_EQ(error_of("version: 1\nservices:\n  app: {buildspec: \"app/../../x.yml\"}\n"),
            "svcdiff.yml:3:20: error: `services.app.buildspec` `app/../../x.yml` leaves the "
            "repository root; write a path inside it");
}

TEST(ConfigLoader, DiscoverNeedsAGlobAndARequireInside) {
  EXPECT_EQ(error_of("version: 1\ndiscover:\n  - require: x.yml\n"),
            "svcdiff.yml:3:5: error: `discover[0]` has no `glob`; add one, e.g. `glob: "
            "\"services/*\"`");
  EXPECT_ERROR_AT("version: 1\ndiscover:\n  - {glob: a/*, require: ../x.yml}\n",
                  "svcdiff.yml:3:26: error: `discover[0].require` `../x.yml` leaves the discovered "
                  "directory");
  EXPECT_ERROR_AT("version: 1\ndiscover:\n  - services/*\n",
                  "svcdiff.yml:3:5: error: `discover[0]`: expected a mapping like");
}

// --- types ---------------------------------------------------------------------

TEST(ConfigLoader, ListExpectedWhereAValueStands) {
  EXPECT_EQ(error_of("version: 1\nservices:\n  app:\n    paths: services/app/\n"),
            "svcdiff.yml:4:12: error: `services.app.paths`: expected a list of pattern strings, "
            "found a single value; write it as a list: `[\"services/app/\"]`");
  EXPECT_ERROR_AT("version: 1\nservices:\n  app:\n    depends_on: {lib: 1}\n",
                  "svcdiff.yml:4:17: error: `services.app.depends_on`: expected a list of service "
                  "names, found a mapping");
}

TEST(ConfigLoader, StringExpectedInAList) {
  EXPECT_ERROR_AT("version: 1\nignore: [a, [b]]\n",
                  "svcdiff.yml:2:13: error: `ignore[1]`: expected a pattern string, found a list");
  EXPECT_ERROR_AT("version: 1\nservices:\n  app: {depends_on: [lib, ~]}\n",
                  "svcdiff.yml:3:27: error: `services.app.depends_on[1]`: expected a string, found "
                  "nothing");
}

TEST(ConfigLoader, BuildExpectsTrueOrFalse) {
  EXPECT_EQ(error_of("version: 1\nservices:\n  app:\n    build: yes\n"),
            "svcdiff.yml:4:12: error: `services.app.build`: expected true or false, found `yes`");
  EXPECT_ERROR_AT("version: 1\nservices:\n  app:\n    build: \"false\"\n",
                  "svcdiff.yml:4:12: error: `services.app.build`: expected true or false, found "
                  "the quoted string \"false\" (remove the quotes)");
  EXPECT_ERROR_AT("version: 1\nservices:\n  app:\n    build:\n",
                  "svcdiff.yml:4:5: error: `services.app.build`: expected true or false, found "
                  "nothing");
}

TEST(ConfigLoader, ServiceEntryMustBeAMapping) {
  EXPECT_ERROR_AT("version: 1\nservices:\n  app: [app/]\n",
                  "svcdiff.yml:3:8: error: `services.app`: expected a mapping of settings, found "
                  "a list; put the patterns under `paths:`");
  EXPECT_ERROR_AT("version: 1\nservices:\n  app: app/\n",
                  "svcdiff.yml:3:8: error: `services.app`: expected a mapping like");
  EXPECT_ERROR_AT("version: 1\nservices: [app]\n",
                  "svcdiff.yml:2:11: error: `services`: expected a mapping like");
}

TEST(ConfigLoader, VarsValuesMustBeSingleValues) {
  EXPECT_EQ(error_of("version: 1\nservices:\n  app:\n    vars:\n      STAGE:\n"),
            "svcdiff.yml:5:7: error: `services.app.vars.STAGE` has no value; write `STAGE: \"\"` "
            "for an empty one");
  EXPECT_ERROR_AT("version: 1\nservices:\n  app:\n    vars: {A: [1]}\n",
                  "svcdiff.yml:4:15: error: `services.app.vars.A`: expected a single value (text, "
                  "number or true/false), {parameter-store: NAME} or {secrets-manager: ID}, found "
                  "a list");
}

TEST(ConfigLoader, VarsCanNameAParameterOrASecret) {
  Config config = parse_config(
      "version: 1\nservices:\n  app:\n    vars:\n      STAGE: prod\n"
      "      DB: {secrets-manager: \"prod/db:password\"}\n"
      "      KEY: {parameter-store: /prod/key}\n",
      "svcdiff.yml");
  const Service& app = config.services[0];
  EXPECT_EQ(app.vars, (std::map<std::string, std::string>{
                          {"DB", "prod/db:password"}, {"KEY", "/prod/key"}, {"STAGE", "prod"}}));
  EXPECT_EQ(app.var_types, (std::map<std::string, VarType>{{"DB", VarType::secrets_manager},
                                                           {"KEY", VarType::parameter_store}}));
  EXPECT_ERROR_AT("version: 1\nservices:\n  app:\n    vars: {A: {parameter-store: x, b: y}}\n",
                  "svcdiff.yml:4:15: error: `services.app.vars.A`: expected {parameter-store: "
                  "NAME} or {secrets-manager: ID}");
}

TEST(ConfigLoader, VarsStartingWithCodebuildAreReserved) {
  EXPECT_ERROR_AT("version: 1\nservices:\n  app:\n    vars: {CODEBUILD_SRC_DIR: x}\n",
                  "svcdiff.yml:4:12: error: `CODEBUILD_SRC_DIR` in `services.app.vars`: names "
                  "starting with CODEBUILD_ are reserved by CodeBuild; rename it");
}

TEST(ConfigLoader, StringValuesMustNotBeEmpty) {
  EXPECT_ERROR_AT("version: 1\ndefaults: {base: \"\"}\n",
                  "svcdiff.yml:2:18: error: `defaults.base` is empty; expected a string");
  EXPECT_ERROR_AT("version: 1\ndefaults:\n  output:\n",
                  "svcdiff.yml:3:3: error: `defaults.output`: expected a string, found nothing");
}

// --- YAML features and syntax ----------------------------------------------------

TEST(ConfigLoader, SyntaxErrorHasAPosition) {
  EXPECT_ERROR_AT("version: 1\nignore: [a, b\nservices: {}\n", "svcdiff.yml:3:");
  EXPECT_ERROR_AT("version: 1\nservices:\n\tapp: {}\n", "svcdiff.yml:3:");
  const std::string message = error_of("version: 1\nservices:\n  app: {}\n bad: 1\n");
  EXPECT_TRUE(starts_with(message, "svcdiff.yml:4:")) << message;
  EXPECT_TRUE(contains(message, "invalid YAML: ")) << message;
}

// yaml-cpp called a NUL "unknown escape character", or kept it in a string
// or comment; the error names the byte's position and says the file is not text.
TEST(ConfigLoader, ANulByteIsAnErrorAtItsPosition) {
  using namespace std::string_literals;
  EXPECT_ERROR_AT("version: 1\n\0\n"s,
                  "svcdiff.yml:2:1: error: a NUL byte: the config must be text");
  EXPECT_ERROR_AT("version: 1\nignore: [\"a\0b\"]\n"s, "svcdiff.yml:2:12: error: a NUL byte");
  EXPECT_ERROR_AT("version: 1\n# a\0\n"s, "svcdiff.yml:2:4: error: a NUL byte");
  EXPECT_ERROR_AT("\0v\0e\0r\0"s, "svcdiff.yml:1:1: error: a NUL byte");
}

TEST(ConfigLoader, AnchorsAndAliasesAreRejected) {
  EXPECT_EQ(error_of("version: 1\nignore: &common [a]\nglobal: *common\n"),
            "svcdiff.yml:2:9: error: anchors (`&name`) are not supported in svcdiff.yml; repeat "
            "the value instead");
  EXPECT_ERROR_AT("version: 1\nglobal: *nothing\n",
                  "svcdiff.yml:2:9: error: aliases (`*name`) are not supported");
}

TEST(ConfigLoader, BillionLaughsIsRejectedAtTheFirstAnchor) {
  std::string text = "version: 1\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    const char prev = static_cast<char>(c - 1);
    text += std::string(1, c) + ": &" + c + " [*" + prev + ",*" + prev + ",*" + prev + ",*" + prev +
            ",*" + prev + ",*" + prev + "]\n";
  }
  // Refused at the first anchor, before any alias could be expanded.
  EXPECT_ERROR_AT(text, "svcdiff.yml:2:4: error: anchors");
}

TEST(ConfigLoader, TagsAreRejected) {
  EXPECT_EQ(error_of("version: 1\ndefaults: {base: !!str main}\n"),
            "svcdiff.yml:2:18: error: YAML tags (`!!str`) are not supported in svcdiff.yml; "
            "quote the value instead");
  EXPECT_ERROR_AT("version: 1\nservices: !custom {}\n", "svcdiff.yml:2:11: error: YAML tags");
}

TEST(ConfigLoader, SecondDocumentIsRejected) {
  EXPECT_ERROR_AT("version: 1\n---\nversion: 1\n",
                  "svcdiff.yml:2:1: error: a second YAML document");
}

// yaml-cpp 0.7 starts document after document at a stray `,` without
// consuming it; the tree builder sees it stuck and says what it is.
TEST(ConfigLoader, StrayCommaIsASyntaxErrorNotASecondDocument) {
  // Its own advice, once: not also the generic one.
  EXPECT_EQ(error_of(",\n"),
            "svcdiff.yml:1:1: error: invalid YAML: a `,` outside `[...]` or `{...}`; quote the "
            "value it is in");
  EXPECT_ERROR_AT("version: 1\n,\n", "svcdiff.yml:2:1: error: invalid YAML: ");
}

TEST(ConfigLoader, ComplexKeysAreRejected) {
  EXPECT_ERROR_AT("version: 1\n? [a]\n: 1\n", "svcdiff.yml:2:3: error: a key must be a string");
}

TEST(ConfigLoader, MessagesStayOnOneLine) {
  EXPECT_EQ(error_of("version: 1\n\"bad\\nkey\": 1\n"),
            "svcdiff.yml:2:1: error: unknown key `bad\\x0akey` at the top level; expected one of "
            "`version`, `defaults`, `ignore`, `global`, `discover`, `infer`, `services`");
}

// --- limits ------------------------------------------------------------------

TEST(ConfigLoader, FileSizeIsLimited) {
  std::string text = "version: 1\n";
  text.resize(kMaxConfigBytes + 1, '#');
  EXPECT_EQ(error_of(text),
            "svcdiff.yml:1:1: error: the file is larger than 1 MiB (1,048,576 bytes), the limit "
            "for svcdiff.yml");
  text.resize(kMaxConfigBytes);
  EXPECT_NO_THROW(parse_config(text, "svcdiff.yml"));
}

TEST(ConfigLoader, NestingDepthIsLimited) {
  const std::string deep = "version: 1\nx: " + std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(error_of(deep),
            "svcdiff.yml:2:19: error: values nested deeper than 16 levels (the limit); "
            "svcdiff.yml never needs that many");
}

TEST(ConfigLoader, ServiceCountIsLimited) {
  std::string text = "version: 1\nservices:\n";
  for (std::size_t i = 0; i <= kMaxServices; ++i) text += "  s" + std::to_string(i) + ":\n";
  EXPECT_EQ(error_of(text),
            "svcdiff.yml:10003:3: error: more than 10,000 services, the limit; group what always "
            "builds together into one service");
}

TEST(ConfigLoader, PatternCountIsLimited) {
  std::string text = "version: 1\nignore:\n";
  for (std::size_t i = 0; i <= kMaxListEntries; ++i) text += "- p" + std::to_string(i) + "\n";
  EXPECT_ERROR_AT(text, "svcdiff.yml:10003:3: error: `ignore` has more than 10,000 entries");
}

TEST(ConfigLoader, StringLengthIsLimited) {
  const std::string text = "version: 1\ndefaults: {base: " + std::string(5000, 'b') + "}\n";
  EXPECT_EQ(error_of(text),
            "svcdiff.yml:2:18: error: `defaults.base` is 5,000 bytes long; the limit is 4,096 "
            "bytes");
}

TEST(ConfigLoader, PatternLengthIsLimited) {
  const std::string text = "version: 1\nignore: [a, " + std::string(4097, 'p') + "]\n";
  EXPECT_EQ(error_of(text),
            "svcdiff.yml:2:13: error: `ignore[1]` is 4,097 bytes long; the limit is 4,096 bytes");
}

TEST(ConfigLoader, VarsCountIsLimited) {
  std::string text = "version: 1\nservices:\n  app:\n    vars:\n";
  for (std::size_t i = 0; i <= kMaxListEntries; ++i)
    text += "      V" + std::to_string(i) + ": x\n";
  EXPECT_ERROR_AT(text,
                  "svcdiff.yml:10005:7: error: `services.app.vars` has more than 10,000 variables");
}

// How fast is bench/config_bench.cpp's question; here: nothing lost or
// shifted in a large file.
TEST(ConfigLoader, LargeConfigKeepsEveryServiceAndPosition) {
  std::string text = "version: 1\nservices:\n";
  for (int i = 0; i < 3000; ++i) {
    const std::string name = "service_" + std::to_string(i);
    text += "  " + name + ":\n";
    text += "    paths: [\"services/" + name + "/\"]\n";
    text += "    depends_on: [common]\n    vars: {STAGE: prod}\n";
  }
  const Config config = parse_config(text, "svcdiff.yml");
  ASSERT_EQ(config.services.size(), 3000u);
  const Service& last = config.services.back();  // file order
  EXPECT_EQ(last.name, "service_2999");
  EXPECT_EQ(last.pos.line, 3 + 2999 * 4);
  ASSERT_EQ(last.paths.size(), 1u);
  EXPECT_EQ(last.paths[0].text, "services/service_2999/");
  EXPECT_EQ(last.paths[0].pos.line, 4 + 2999 * 4);
  EXPECT_EQ(last.depends_on, std::vector<std::string>{"common"});
  EXPECT_EQ(last.vars.at("STAGE"), "prod");
}

// --- files ---------------------------------------------------------------------

TEST(ConfigLoader, LoadsAFileUnderItsShownName) {
  const auto path = std::filesystem::temp_directory_path() / "svcdiff_loader_test.yml";
  {
    std::ofstream out(path, std::ios::binary);
    out << "version: 1\nservics: {}\n";
  }
  try {
    load_config_file(path.string(), "conf/svcdiff.yml", ConfigFileKind::found);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::config);
    EXPECT_TRUE(starts_with(cli::error_line(e), "conf/svcdiff.yml:2:1: error: unknown key"))
        << cli::error_line(e);
  }
  {
    std::ofstream out(path, std::ios::binary);
    out << "version: 1\n";
  }
  EXPECT_EQ(load_config_file(path.string(), "svcdiff.yml", ConfigFileKind::found).file,
            "svcdiff.yml");
  std::filesystem::remove(path);
}

TEST(ConfigLoader, ReadsAFileWholeUpToOneBytePastTheLimit) {
  // Sizes around the 64 KiB chunks the file is read in, and around the limit.
  const auto path = std::filesystem::temp_directory_path() / "svcdiff_loader_read_test.yml";
  for (const std::size_t size :
       {std::size_t{0}, std::size_t{10}, std::size_t{65536}, std::size_t{65537}, kMaxConfigBytes,
        kMaxConfigBytes + 1, kMaxConfigBytes + 2, 3 * kMaxConfigBytes + 5}) {
    std::string content(size, ' ');
    for (std::size_t i = 0; i < size; ++i) content[i] = static_cast<char>('a' + i % 23);
    {
      std::ofstream out(path, std::ios::binary);
      out << content;
    }
    const std::string text = read_config_file(path.string(), "svcdiff.yml", ConfigFileKind::found);
    EXPECT_EQ(text.size(), std::min(size, kMaxConfigBytes + 1)) << size;
    EXPECT_TRUE(content.starts_with(text)) << size;
  }
  std::filesystem::remove(path);
}

TEST(ConfigLoader, UnreadableFileIsARuntimeError) {
  try {
    load_config_file("/nonexistent/svcdiff.yml", "svcdiff.yml", ConfigFileKind::found);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::runtime);
    EXPECT_EQ(std::string(e.what()),
              "cannot open svcdiff.yml: No such file or directory; check the path (-c is relative "
              "to the current directory) and that it can be read");
  }
  try {
    load_config_file(std::filesystem::temp_directory_path().string(), "svcdiff.yml",
                     ConfigFileKind::named);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::runtime);
  }
}

}  // namespace
}  // namespace svcdiff::config
