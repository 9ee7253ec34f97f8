// End-to-end: `svcdiff validate`, the real binary against real repositories
// (SPEC §6, §7): each buildspec problem on stdout as `file:line: message`,
// exit status 3 on any problem, 0 when every buildspec is fine.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

// A buildspec with one thing wrong, and where and what svcdiff says about it.
struct BrokenBuildspec {
  std::string service;
  std::string text;
  int line;
  std::string fragment;  // part of the message
};

const std::vector<BrokenBuildspec> kBroken = {
    {"old_version", "version: 0.1\nphases:\n  build:\n    commands:\n      - make\n", 1,
     "buildspec version 0.1 is not supported: use `version: 0.2`"},
    {"misspelt_phase", "version: 0.2\nphases:\n  biuld:\n    commands:\n      - make\n", 3,
     "unknown phase `biuld`; did you mean `build`?"},
    {"commands_string", "version: 0.2\nphases:\n  build:\n    commands: make test\n", 4,
     "`build.commands` must be a list of commands, not a string"},
    {"unquoted_colon",
     "version: 0.2\nphases:\n  build:\n    commands:\n      - make\n      - echo done: yes\n", 6,
     "command is a mapping, not a string"},
    {"duplicate_phase",
     "version: 0.2\nphases:\n  build:\n    commands:\n      - make\n  build:\n    commands:\n"
     "      - make test\n",
     6, "duplicate key `build` (first at line 3)"},
    {"bad_variable",
     "version: 0.2\nenv:\n  variables:\n    1STAGE: prod\nphases:\n  build:\n    commands:\n"
     "      - make\n",
     4, "`1STAGE` in `env.variables` is not a valid environment variable name"},
    {"artifact_files",
     "version: 0.2\nphases:\n  build:\n    commands:\n      - make\nartifacts:\n  files: dist\n", 7,
     "`artifacts.files` must be a list of files, not a string"},
    {"empty_file", "", 1, "the buildspec is empty"},
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class ValidateTest : public ::testing::Test {
 protected:
  CommandResult validate(const std::string& cwd = "") {
    return run_svcdiff(cwd.empty() ? repo_.path() : cwd, {"validate"});
  }

  TempRepo repo_;
};

TEST_F(ValidateTest, CleanRepositoryExitsZero) {
  add_services(repo_, {"service_A", "service_B", "service_C"});
  const CommandResult result = validate();
  EXPECT_EQ(result.status, 0) << result.out << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find("ok: 3 services, 3 buildspecs checked"), std::string::npos)
      << result.err;
}

TEST_F(ValidateTest, EachBrokenBuildspecIsReportedWithItsFileAndLine) {
  add_services(repo_, {"service_fine"});
  for (const BrokenBuildspec& broken : kBroken) {
    repo_.write("services/" + broken.service + "/buildspec.yml", broken.text);
  }
  repo_.commit("broken buildspecs");

  const CommandResult result = validate();
  EXPECT_EQ(result.status, 3) << result.out << result.err;
  const std::vector<std::string> lines = lines_of(result.out);
  EXPECT_EQ(lines.size(), kBroken.size()) << result.out;
  for (const BrokenBuildspec& broken : kBroken) {
    const std::string where =
        "services/" + broken.service + "/buildspec.yml:" + std::to_string(broken.line) + ": ";
    bool found = false;
    for (const std::string& line : lines) {
      found = found || (line.starts_with(where) && line.find(broken.fragment) != std::string::npos);
    }
    EXPECT_TRUE(found) << "no `" << where << "... " << broken.fragment << "` in:\n" << result.out;
  }
  EXPECT_EQ(result.out.find("service_fine"), std::string::npos) << result.out;
  EXPECT_NE(result.err.find(std::to_string(kBroken.size()) + " problems found"), std::string::npos)
      << result.err;
}

TEST_F(ValidateTest, ChecksTheWorkTreeBuildspecFromASubdirectory) {
  add_services(repo_, {"service_A"});
  repo_.write("services/service_A/buildspec.yml",
              "version: 0.3\nphases:\n  build:\n"
              "    commands:\n      - make\n");
  const CommandResult result = validate(repo_.at("services"));
  EXPECT_EQ(result.status, 3) << result.out << result.err;
  EXPECT_EQ(result.out, "services/service_A/buildspec.yml:1: `version` must be 0.2, not `0.3`\n");
}

TEST_F(ValidateTest, BuildspecPathThatDoesNotExistIsReportedAtTheService) {
  add_services(repo_, {"service_A", "service_B"});
  repo_.write("svcdiff.yml",
              "version: 1\n"
              "services:\n"
              "  service_A:\n"
              "    paths: [services/service_A/]\n"
              "    buildspec: services/service_A/ci/buildspec.yml\n"
              "  service_B:\n"
              "    paths: [services/service_B/]\n"
              "    buildspec: services/service_B/buildspec.yml\n");
  repo_.commit("config");
  const CommandResult result = validate();
  EXPECT_EQ(result.status, 3) << result.out << result.err;
  EXPECT_EQ(result.out,
            "svcdiff.yml:3: service `service_A`: buildspec services/service_A/ci/buildspec.yml "
            "does not exist; fix `buildspec` or add the file\n");
}

// A buildspec that is a symlink to nothing: "does not exist" sent users
// looking for a file that is there. In a bare repository, HEAD's link.
TEST_F(ValidateTest, ABuildspecLinkToNothingIsNamedAsALink) {
  add_services(repo_, {"service_A", "service_B"});
  repo_.symlink("../../nowhere.yml", "services/service_A/buildspec.yml");
  repo_.commit("link");
  CommandResult result = validate();
  EXPECT_EQ(result.status, 3) << result.out << result.err;
  EXPECT_EQ(result.out,
            "(discovered): service `service_A`: buildspec services/service_A/buildspec.yml is a "
            "symlink to `../../nowhere.yml`, which leads to no file; fix the link, or put the "
            "buildspec there\n");
  const std::string bare = repo_.root() + "/bare.git";
  run_git(repo_.root(), {"clone", "-q", "--bare", repo_.path(), bare});
  result = validate(bare);
  EXPECT_EQ(result.status, 3) << result.out << result.err;
  EXPECT_EQ(result.out,
            "(discovered): service `service_A`: buildspec services/service_A/buildspec.yml is a "
            "symlink that leads to no file at HEAD; fix the link, or put the buildspec there\n");
}

// A buildspec path that is a directory, or a link to one: "does not exist"
// sent users looking for a file that is there. A `require` link to a
// directory makes a service on disk as in a commit (validate found none in
// the work tree, though `list` did). In a bare repository, HEAD's.
TEST_F(ValidateTest, ABuildspecThatIsADirectoryIsNamedAsOne) {
  add_services(repo_, {"service_A", "service_B"});
  repo_.write("services/service_A/ci/buildspec.yml", "version: 0.2\n");
  repo_.git("rm", "-q", "services/service_B/buildspec.yml");
  repo_.write("services/service_B/real/buildspec.yml", "version: 0.2\n");
  repo_.symlink("real", "services/service_B/buildspec.yml");
  repo_.write("svcdiff.yml",
              "version: 1\n"
              "discover:\n  - {glob: \"services/*\"}\n"
              "services:\n"
              "  service_A:\n"
              "    buildspec: services/service_A/ci\n");
  repo_.commit("a directory and a link to one");
  CommandResult result = validate();
  EXPECT_EQ(result.status, 3) << result.out << result.err;
  EXPECT_EQ(
      result.out,
      "svcdiff.yml:5: service `service_A`: buildspec services/service_A/ci is a directory; "
      "point `buildspec` at the buildspec file in it (services/service_A/ci/buildspec.yml, "
      "say), or put the file in its place\n"
      "svcdiff.yml: service `service_B`: buildspec services/service_B/buildspec.yml is a "
      "symlink to `real`, which is a directory; point the link at the buildspec file in it\n");
  const std::string bare = repo_.root() + "/bare.git";
  run_git(repo_.root(), {"clone", "-q", "--bare", repo_.path(), bare});
  result = validate(bare);
  EXPECT_EQ(result.status, 3) << result.out << result.err;
  EXPECT_EQ(
      result.out,
      "svcdiff.yml@HEAD:5: service `service_A`: buildspec services/service_A/ci is a "
      "directory at HEAD; point `buildspec` at the buildspec file in it "
      "(services/service_A/ci/buildspec.yml, say), or put the file in its place\n"
      "svcdiff.yml@HEAD: service `service_B`: buildspec services/service_B/buildspec.yml is a "
      "symlink that leads to a directory at HEAD; point the link at the buildspec file in "
      "it\n");
}

// `changed` and `list` read no buildspec (validate checks them): a link named
// `require` counts as the file, as git stores it, whatever it leads to.
TEST_F(ValidateTest, ChangedAndListCountABuildspecLinkToNothing) {
  add_services(repo_, {"service_A", "service_B"});
  repo_.symlink("../../nowhere.yml", "services/service_A/buildspec.yml");
  repo_.commit("link");
  CommandResult result = run_svcdiff(repo_.path(), {"list"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "service_A\nservice_B\n");
  result = run_svcdiff(repo_.path(), {"changed", "--base", "HEAD~1", "-o", "-"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "{\"services\":[\"service_A\"]}\n");
}

// A path may hold any byte but a problem stays one line: a newline in the
// configured buildspec path is printed escaped.
TEST_F(ValidateTest, AMissingBuildspecWithANewlineInItsPathIsOneLine) {
  add_services(repo_, {"service_A"});
  repo_.write("svcdiff.yml",
              "version: 1\n"
              "services:\n"
              "  service_A:\n"
              "    paths: [services/service_A/]\n"
              "    buildspec: \"ci/x\\ny.yml\"\n");
  repo_.commit("config");
  const CommandResult result = validate();
  EXPECT_EQ(result.status, 3) << result.out << result.err;
  EXPECT_EQ(result.out,
            "svcdiff.yml:3: service `service_A`: buildspec ci/x\\x0ay.yml "
            "does not exist; fix `buildspec` or add the file\n");
}

TEST_F(ValidateTest, ConfigErrorExitsThreeWithFileLineAndColumn) {
  add_services(repo_, {"service_A", "service_B"});
  repo_.write("svcdiff.yml",
              "version: 1\n"
              "services:\n"
              "  service_A:\n"
              "    paths: [services/service_A/]\n"
              "    depend_on: [service_B]\n");
  repo_.commit("config with a typo");
  const CommandResult result = validate();
  EXPECT_EQ(result.status, 3) << result.out << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find("svcdiff.yml:5:5: error: unknown key `depend_on`"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("did you mean `depends_on`?"), std::string::npos) << result.err;
}

TEST_F(ValidateTest, DependencyCycleIsAConfigError) {
  add_services(repo_, {"service_A", "service_B"});
  repo_.write("svcdiff.yml",
              "version: 1\n"
              "services:\n"
              "  service_A:\n"
              "    paths: [services/service_A/]\n"
              "    depends_on: [service_B]\n"
              "  service_B:\n"
              "    paths: [services/service_B/]\n"
              "    depends_on: [service_A]\n");
  repo_.commit("cycle");
  const CommandResult result = validate();
  EXPECT_EQ(result.status, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("svcdiff.yml:3:3: error: dependency cycle: service_A -> service_B "
                            "-> service_A"),
            std::string::npos)
      << result.err;
}

// SPEC §4: a bump of a submodule changes its own path, which `vendor/lib/**`
// does not match, and git lists nothing inside it. A hint on stderr, not a
// problem: exit 0, nothing on stdout; none where a pattern of the same list
// matches the submodule, none under -q.
TEST_F(ValidateTest, APatternOnlyInsideASubmoduleGetsAHint) {
  TempRepo lib;
  lib.write("x.c", "x\n");
  lib.commit("lib");
  add_services(repo_, {"service_A"});
  repo_.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", lib.path(), "vendor/lib");
  repo_.write("svcdiff.yml",
              "version: 1\n"
              "ignore: [\"vendor/lib/docs/\", \"**/*.md\"]\n"
              "discover:\n  - {glob: \"services/*\"}\n"
              "services:\n"
              "  vend:\n"
              "    paths: [\"vendor/lib/**\", vendor/other/]\n"
              "    build: false\n"
              "  wrapped:\n"
              "    paths: [vendor/lib/, \"vendor/lib/*\"]\n"
              "    exclude: [vendor/lib]\n"
              "    build: false\n");
  repo_.commit("submodule");
  CommandResult result = validate();
  EXPECT_EQ(result.status, 0) << result.out << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find(
                "svcdiff: warning: svcdiff.yml:7:13: `services.vend.paths`: `vendor/lib/**` does "
                "not match `vendor/lib`, a submodule at HEAD: a bump of it changes that path "
                "itself, and git lists no path inside it; write `vendor/lib` instead, or add it "
                "beside the pattern\n"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(
                "svcdiff: warning: svcdiff.yml:2:10: `ignore`: `vendor/lib/docs/` lies inside "
                "`vendor/lib`, a submodule at HEAD, where git lists no path, so it matches "
                "nothing; a bump of the submodule changes `vendor/lib` itself: write `vendor/lib` "
                "if the pattern is meant for that\n"),
            std::string::npos)
      << result.err;
  // `vendor/lib/*` beside `vendor/lib/`, which matches the submodule: no hint.
  EXPECT_EQ(result.err.find("wrapped"), std::string::npos) << result.err;
  std::size_t hints = 0;
  for (std::size_t at = 0; (at = result.err.find("warning:", at)) != std::string::npos; ++at) {
    ++hints;
  }
  EXPECT_EQ(hints, 2u) << result.err;

  result = run_svcdiff(repo_.path(), {"-q", "validate"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.err, "");
}

}  // namespace
}  // namespace svcdiff::testing

namespace svcdiff::testing {
namespace {

TEST(ValidateWorkTree, ChecksAServiceNotCommittedYet) {
  TempRepo repo;
  add_services(repo, {"service_A"});
  repo.write("services/service_new/buildspec.yml",
             "version: 0.1\nphases:\n  build:\n    commands: [make]\n");
  auto result = run_svcdiff(repo.path(), {"validate"});
  EXPECT_EQ(result.status, 3) << result.out << result.err;
  EXPECT_NE(result.out.find("services/service_new/buildspec.yml:1:"), std::string::npos)
      << result.out;
}

}  // namespace
}  // namespace svcdiff::testing
