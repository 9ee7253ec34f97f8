#include "buildspec/validate.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "support/build_paths.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::buildspec {
namespace {

// Lets gtest print problems as the cli would.
std::string describe(const std::vector<Problem>& problems) {
  std::string text;
  for (const Problem& problem : problems) {
    text += "  buildspec.yml:" + std::to_string(problem.line) + ": " + problem.message + "\n";
  }
  return text.empty() ? "  (no problem)\n" : text;
}

// Expects exactly one problem, on `line`, whose message holds `fragment`.
void expect_one_problem(const std::string& text, int line, const std::string& fragment) {
  const std::vector<Problem> problems = validate(text);
  ASSERT_EQ(problems.size(), 1u) << describe(problems);
  EXPECT_EQ(problems[0].line, line) << describe(problems);
  EXPECT_NE(problems[0].message.find(fragment), std::string::npos) << describe(problems);
}

const char* const kMinimal =
    "version: 0.2\n"
    "phases:\n"
    "  build:\n"
    "    commands:\n"
    "      - make\n";

TEST(BuildspecValidate, MinimalBuildspecIsFine) { EXPECT_TRUE(validate(kMinimal).empty()); }

TEST(BuildspecValidate, FullReferenceBuildspecIsFine) {
  const std::string text = R"(version: 0.2
run-as: root
env:
  shell: bash
  variables:
    STAGE: prod
    EMPTY: ""
  parameter-store:
    BASE: /svcdiff/pipeline/last-good-commit
  exported-variables:
    - SVCDIFF_COUNT
    - _PRIVATE
  secrets-manager:
    TOKEN: arn:aws:secretsmanager:eu-west-1:123456789012:secret:token:token
  git-credential-helper: yes
proxy:
  upload-artifacts: no
  logs: yes
batch:
  fast-fail: false
  build-list:
    - identifier: one
phases:
  install:
    runtime-versions:
      python: 3.12
      nodejs: 20
  pre_build:
    on-failure: CONTINUE
    commands:
      - echo pre
  build:
    run-as: builder
    on-failure: RETRY-2
    commands:
      - "echo 'a: b'"
      - |
        for f in *; do
          echo "$f"
        done
    finally:
      - echo done
  post_build:
    commands:
      - make test
reports:
  unit-tests:
    files:
      - "**/*.xml"
    base-directory: build/test-results
    discard-paths: yes
    file-format: JUNITXML
artifacts:
  files:
    - ABC.json
  name: changed-$(date +%s)
  discard-paths: yes
  base-directory: out
  exclude-paths: "**/*.tmp"
  enable-symlinks: no
  s3-prefix: svcdiff
  secondary-artifacts:
    logs:
      files:
        - logs/*
cache:
  key: deps-$(cat lock)
  fallback-keys:
    - deps-
  action: restore
  paths:
    - /root/.cache/**/*
)";
  EXPECT_TRUE(validate(text).empty()) << describe(validate(text));
}

TEST(BuildspecValidate, InstallWithOnlyRuntimeVersionsIsFine) {
  EXPECT_TRUE(validate("version: 0.2\nphases:\n  install:\n    runtime-versions:\n"
                       "      golang: 1.22\n")
                  .empty());
}

TEST(BuildspecValidate, QuotedVersionIsFine) {
  EXPECT_TRUE(validate("version: '0.2'\nphases:\n  build:\n    commands: [make]\n").empty());
}

TEST(BuildspecValidate, YamlSyntaxErrorGivesItsLine) {
  // yaml-cpp stops past the last line; the report names the last line there is.
  expect_one_problem("version: 0.2\nphases:\n  build:\n    commands: [make\n", 4,
                     "YAML syntax error");
}

// yaml-cpp puts the byte after a bad escape into its message raw: a control
// byte there is escaped, so the problem stays one line (found by the fuzzer).
TEST(BuildspecValidate, YamlErrorQuotingAControlByteStaysOneLine) {
  for (const char* text : {"version: \"\\\x01\"\n", "version: \"\\\r\"\n"}) {
    const auto problems = validate(text);
    ASSERT_EQ(problems.size(), 1U) << text;
    EXPECT_NE(problems[0].message.find("YAML syntax error"), std::string::npos);
    EXPECT_EQ(problems[0].message.find_first_of("\n\r\x01"), std::string::npos)
        << problems[0].message;
  }
}

// A problem quoting a value with a newline in it stays one line (found by
// the fuzzer: `version: "0.2\n"`).
TEST(BuildspecValidate, AQuotedValueWithANewlineStaysOneLine) {
  const auto problems = validate("version: \"0.2\\n\"\nphases: {build: {commands: [make]}}\n");
  ASSERT_FALSE(problems.empty());
  for (const auto& problem : problems) {
    EXPECT_EQ(problem.message.find('\n'), std::string::npos) << problem.message;
  }
}

// yaml-cpp 0.7's YAML::LoadAll never returns on these (it starts one empty
// document after another at the `,`, holding on to each): the validator reads
// events instead, and a document starting where the last one did is an error.
TEST(BuildspecValidate, StrayCommaIsASyntaxErrorNotAHang) {
  expect_one_problem(
      ",", 1, "YAML syntax error: a `,` outside `[...]` or `{...}`; quote the value it is in");
  expect_one_problem(",\n", 1, "YAML syntax error: a `,`");
  expect_one_problem("[a]\n,\n", 2, "YAML syntax error: a `,`");
  expect_one_problem("\"version\"\n,\n", 2, "YAML syntax error: a `,`");
}

// yaml-cpp read a NUL inside a command or a comment as text: the buildspec
// passed, as a NUL in svcdiff.yml did before it became a config error.
TEST(BuildspecValidate, NulByteIsAProblemAtItsLineAndColumn) {
  using std::string_literals::operator""s;
  expect_one_problem("version: 0.2\nphases:\n  build:\n    commands:\n      - echo a\0b\n"s, 5,
                     "a NUL byte at column 15: the buildspec must be text (UTF-8 YAML)");
  expect_one_problem("version: 0.2\n# c\0\nphases: {build: {commands: [make]}}\n"s, 2,
                     "a NUL byte at column 4");
  expect_one_problem("\0v\0e\0r\0"s, 1, "a NUL byte at column 1");
}

TEST(BuildspecValidate, AnchorsAndAliasesAreRead) {
  EXPECT_TRUE(validate("version: 0.2\nphases:\n  build:\n    commands: &make [make]\n"
                       "  post_build:\n    commands: *make\n")
                  .empty());
  // An alias of a wrong value is as wrong as the value.
  const auto problems = validate(
      "version: 0.2\nphases:\n  build:\n    commands: &make make\n  post_build:\n"
      "    commands: *make\n");
  ASSERT_EQ(problems.size(), 2U) << describe(problems);
  EXPECT_NE(problems[1].message.find("`post_build.commands` must be a list"), std::string::npos);
}

TEST(BuildspecValidate, TagsAreIgnored) {
  EXPECT_TRUE(validate("version: !!str 0.2\nphases: {build: {commands: [make]}}\n").empty());
}

// Each level nine times the one before: 9^8 values once expanded. The old
// validator walked every one of them; the tree stops counting at its limit.
TEST(BuildspecValidate, AliasesExpandingExponentiallyStopAtTheLimit) {
  std::string text = "version: 0.2\na: &a [x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'i'; ++c) {
    const std::string prev = std::string("*") + static_cast<char>(c - 1);
    text += std::string(1, c) + ": &" + c + " [" + prev;
    for (int i = 0; i < 8; ++i) text += ", " + prev;
    text += "]\n";
  }
  expect_one_problem(text, 6, "more than 100000 values once aliases (`*name`) are expanded");
}

TEST(BuildspecValidate, AnAliasInsideWhatItsAnchorNamesIsAProblem) {
  // The old validator recursed through the loop until the stack ran out.
  expect_one_problem("version: 0.2\nx: &x [*x]\n", 2, "inside the value its anchor names");
}

TEST(BuildspecValidate, DeepNestingIsAProblem) {
  expect_one_problem("version: 0.2\nx: " + std::string(200, '[') + std::string(200, ']') + "\n", 2,
                     "nested deeper than 64 levels");
}

TEST(BuildspecValidate, EmptyFileIsAProblem) {
  expect_one_problem("", 1, "empty");
  expect_one_problem("# only a comment\n", 1, "empty");
}

TEST(BuildspecValidate, TopLevelListIsAProblem) {
  expect_one_problem("- version: 0.2\n", 1, "mapping");
}

TEST(BuildspecValidate, SecondDocumentIsAProblem) {
  expect_one_problem(std::string(kMinimal) + "---\nversion: 0.2\n", 7, "one YAML document");
}

TEST(BuildspecValidate, MissingVersion) {
  expect_one_problem("phases:\n  build:\n    commands: [make]\n", 1, "missing `version: 0.2`");
}

TEST(BuildspecValidate, WrongVersion) {
  expect_one_problem("phases:\n  build:\n    commands: [make]\nversion: 0.3\n", 4,
                     "`version` must be 0.2, not `0.3`");
}

TEST(BuildspecValidate, VersionZeroOneIsRejectedWithAReason) {
  expect_one_problem("version: 0.1\nphases:\n  build:\n    commands: [make]\n", 1,
                     "use `version: 0.2`");
}

TEST(BuildspecValidate, UnknownTopLevelKeySuggestsTheNearest) {
  expect_one_problem(std::string(kMinimal) + "artifact:\n  files: [a]\n", 6,
                     "unknown top-level key `artifact`; did you mean `artifacts`?");
}

TEST(BuildspecValidate, UnknownTopLevelKeyFarFromAnyListsTheKnownOnes) {
  expect_one_problem(std::string(kMinimal) + "deploy: now\n", 6, "(known: `version`, `run-as`");
}

TEST(BuildspecValidate, MissingPhases) {
  expect_one_problem("version: 0.2\nartifacts:\n  files: [a]\n", 1, "missing `phases`");
}

TEST(BuildspecValidate, UnknownPhase) {
  expect_one_problem(
      "version: 0.2\nphases:\n  build:\n    commands: [make]\n  test:\n    commands: [x]\n", 5,
      "unknown phase `test`");
}

TEST(BuildspecValidate, MisspeltPhaseSuggestsTheNearest) {
  expect_one_problem("version: 0.2\nphases:\n  prebuild:\n    commands: [make]\n", 3,
                     "did you mean `pre_build`?");
}

TEST(BuildspecValidate, UnknownKeyInAPhase) {
  expect_one_problem(
      "version: 0.2\nphases:\n  build:\n    command:\n      - make\n    commands: [make]\n", 4,
      "unknown key `command` in phase `build`; did you mean `commands`?");
}

TEST(BuildspecValidate, RuntimeVersionsOutsideInstall) {
  expect_one_problem(
      "version: 0.2\nphases:\n  build:\n    runtime-versions:\n      python: 3\n"
      "    commands: [make]\n",
      4, "unknown key `runtime-versions` in phase `build`");
}

TEST(BuildspecValidate, PhaseWithoutCommands) {
  expect_one_problem("version: 0.2\nphases:\n  build:\n    run-as: root\n", 3,
                     "phase `build` has no `commands`");
}

TEST(BuildspecValidate, EmptyPhase) {
  expect_one_problem("version: 0.2\nphases:\n  build:\n", 3, "phase `build` is empty");
}

TEST(BuildspecValidate, CommandsNotAList) {
  expect_one_problem("version: 0.2\nphases:\n  build:\n    commands: make all\n", 4,
                     "`build.commands` must be a list of commands, not a string");
}

TEST(BuildspecValidate, CommandWithColonSpaceIsAMappingNotAString) {
  expect_one_problem(
      "version: 0.2\nphases:\n  build:\n    commands:\n      - make\n      - echo note: hi\n", 6,
      "command is a mapping, not a string");
}

TEST(BuildspecValidate, NestedListCommandIsNotAString) {
  expect_one_problem("version: 0.2\nphases:\n  build:\n    commands:\n      - [make, all]\n", 5,
                     "command is a list, not a string");
}

TEST(BuildspecValidate, EmptyCommand) {
  expect_one_problem("version: 0.2\nphases:\n  build:\n    commands:\n      - make\n      -\n", 6,
                     "command is empty");
}

TEST(BuildspecValidate, FinallyMustBeAListToo) {
  expect_one_problem(
      "version: 0.2\nphases:\n  build:\n    commands: [make]\n    finally: cleanup\n", 5,
      "`build.finally` must be a list of commands");
}

TEST(BuildspecValidate, BadOnFailure) {
  expect_one_problem(
      "version: 0.2\nphases:\n  build:\n    on-failure: IGNORE\n    commands: [make]\n", 4,
      "must be ABORT, CONTINUE or RETRY");
}

TEST(BuildspecValidate, ArtifactsWithoutFiles) {
  expect_one_problem(std::string(kMinimal) + "artifacts:\n  name: out\n", 6,
                     "`artifacts` has no `files`");
}

TEST(BuildspecValidate, ArtifactsFilesNotAList) {
  expect_one_problem(std::string(kMinimal) + "artifacts:\n  files: ABC.json\n", 7,
                     "`artifacts.files` must be a list of files, not a string");
}

TEST(BuildspecValidate, SecondaryArtifactWithoutFiles) {
  expect_one_problem(
      std::string(kMinimal) + "artifacts:\n  secondary-artifacts:\n    logs:\n      name: logs\n",
      8, "`artifacts.secondary-artifacts.logs` has no `files`");
}

TEST(BuildspecValidate, BadExportedVariableName) {
  expect_one_problem(std::string(kMinimal) +
                         "env:\n  exported-variables:\n    - SVCDIFF_COUNT\n    - SVCDIFF-HEAD\n",
                     9, "`SVCDIFF-HEAD` in `env.exported-variables` is not a valid");
}

TEST(BuildspecValidate, ExportedVariablesNotAList) {
  expect_one_problem(std::string(kMinimal) + "env:\n  exported-variables: SVCDIFF_COUNT\n", 7,
                     "`env.exported-variables` must be a list");
}

TEST(BuildspecValidate, BadVariableNameAndValue) {
  const std::vector<Problem> problems =
      validate(std::string(kMinimal) + "env:\n  variables:\n    2FAST: x\n    LIST: [a]\n");
  ASSERT_EQ(problems.size(), 2u) << describe(problems);
  EXPECT_EQ(problems[0].line, 8);
  EXPECT_NE(problems[0].message.find("`2FAST`"), std::string::npos);
  EXPECT_EQ(problems[1].line, 9);
  EXPECT_NE(problems[1].message.find("must have a string value, not a list"), std::string::npos);
}

TEST(BuildspecValidate, UnknownEnvKey) {
  expect_one_problem(std::string(kMinimal) + "env:\n  parameter_store:\n    A: /a\n", 7,
                     "did you mean `parameter-store`?");
}

TEST(BuildspecValidate, UnknownShell) {
  expect_one_problem(std::string(kMinimal) + "env:\n  shell: zsh\n", 7, "`env.shell` must be");
}

TEST(BuildspecValidate, YesNoSettingSaysYesOrNo) {
  expect_one_problem(std::string(kMinimal) + "env:\n  git-credential-helper: maybe\n", 7,
                     "must be yes or no, not `maybe`");
}

TEST(BuildspecValidate, UnknownReportFormat) {
  expect_one_problem(
      std::string(kMinimal) + "reports:\n  unit:\n    files: [a.xml]\n    file-format: XUNIT\n", 9,
      "`XUNIT` is not a report format");
}

TEST(BuildspecValidate, CachePathsNotAList) {
  expect_one_problem(std::string(kMinimal) + "cache:\n  paths: /root/.m2\n", 7,
                     "`cache.paths` must be a list of paths");
}

TEST(BuildspecValidate, BatchTakesOneKindOfBuildList) {
  expect_one_problem(std::string(kMinimal) + "batch:\n  build-list: []\n  build-graph: []\n", 8,
                     "`batch` takes one of");
}

TEST(BuildspecValidate, DuplicateTopLevelKey) {
  expect_one_problem(std::string(kMinimal) + "version: 0.2\n", 6,
                     "duplicate key `version` (first at line 1)");
}

TEST(BuildspecValidate, DuplicateKeyDeepInside) {
  expect_one_problem(
      "version: 0.2\nphases:\n  build:\n    commands: [make]\n    commands: [make test]\n", 5,
      "duplicate key `commands` (first at line 4)");
}

TEST(BuildspecValidate, DuplicatePhase) {
  expect_one_problem(std::string(kMinimal) + "  build:\n    commands: [again]\n", 6,
                     "duplicate key `build` (first at line 3)");
}

TEST(BuildspecValidate, ProblemsComeSortedByLine) {
  const std::vector<Problem> problems =
      validate("phases:\n  build:\n    commands: make\nversion: 0.1\nartifacts:\n  files: x\n");
  ASSERT_EQ(problems.size(), 3u) << describe(problems);
  EXPECT_EQ(problems[0].line, 3);
  EXPECT_EQ(problems[1].line, 4);
  EXPECT_EQ(problems[2].line, 6);
}

TEST(BuildspecValidateFile, MissingFileIsARuntimeError) {
  try {
    validate_file("/nonexistent/buildspec.yml");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::runtime);
  }
}

// A buildspec of `bytes` bytes: kMinimal padded with a comment line.
std::string padded_buildspec(std::size_t bytes) {
  std::string text = kMinimal;
  text += "#";
  text += std::string(bytes - text.size() - 1, 'x');
  text += "\n";
  return text;
}

TEST(BuildspecValidate, OneMebibyteIsReadAndOneByteMoreIsOneProblem) {
  const std::vector<Problem> at_limit = validate(padded_buildspec(kMaxBuildspecBytes));
  EXPECT_TRUE(at_limit.empty()) << describe(at_limit);
  expect_one_problem(padded_buildspec(kMaxBuildspecBytes + 1), 1, "larger than 1 MiB");
}

TEST(BuildspecValidateFile, AFileOverTheLimitIsOneProblem) {
  const testing::TempRepo dir{testing::TempRepo::Options{.init = false}};
  dir.write("buildspec.yml", padded_buildspec(kMaxBuildspecBytes + 4096));
  const std::vector<Problem> problems = validate_file(dir.at("buildspec.yml"));
  ASSERT_EQ(problems.size(), 1u) << describe(problems);
  EXPECT_EQ(problems[0].line, 1);
  EXPECT_NE(problems[0].message.find("larger than 1 MiB"), std::string::npos);
}

// Every ready buildspec in buildspecs/ passes the checks svcdiff asks of others.
TEST(ReadyBuildspecs, EveryFilePassesValidation) {
  const std::filesystem::path dir = std::filesystem::path(testing::source_dir()) / "buildspecs";
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yml" && entry.path().extension() != ".yaml") continue;
    const std::vector<Problem> problems = validate_file(entry.path());
    EXPECT_TRUE(problems.empty()) << entry.path() << ":\n" << describe(problems);
    ++checked;
  }
  EXPECT_GE(checked, 3) << "expected detect-changes, service-build and record-last-good in " << dir;
}

}  // namespace
}  // namespace svcdiff::buildspec
