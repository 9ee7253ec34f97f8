// The env and github formats end to end (SPEC §5): what a buildspec sources
// and what a GitHub Actions step appends to $GITHUB_OUTPUT.
#include <gtest/gtest.h>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

// Sources the file in $1 with `set -eu` and prints every variable of the env
// format, joined by `|`.
const char* const kSourceEnvScript =
    "set -eu; source \"$1\"; printf '%s|%s|%s|%s|%s|%s\\n' "
    "\"$SVCDIFF_SERVICES\" \"$SVCDIFF_COUNT\" \"$SVCDIFF_BASE\" "
    "\"$SVCDIFF_HEAD\" \"$SVCDIFF_BASE_RULE\" \"$SVCDIFF_ALL\"";

CommandResult source_env_file(const std::string& file) {
  return run_command({"bash", "-c", kSourceEnvScript, "bash", file}, "/");
}

TEST(OutputFormats, EnvFileSourcesInBash) {
  TempRepo repo;
  add_services(repo, {"service_A", "service_B", "service_C"});
  repo.write("services/service_A/app.py", "changed\n");
  repo.write("services/service_C/app.py", "changed\n");
  repo.commit("A and C");
  auto result = run_svcdiff(repo.path(), {"--base", "HEAD~1", "--format", "env", "-o", "ci.env"});
  ASSERT_EQ(result.status, 0) << result.err;
  const std::string base = repo.rev_parse("HEAD~1");
  const std::string head = repo.rev_parse("HEAD");
  EXPECT_EQ(read_file(repo.at("ci.env")),
            "SVCDIFF_SERVICES='service_A service_C'\nSVCDIFF_COUNT='2'\nSVCDIFF_BASE='" + base +
                "'\nSVCDIFF_HEAD='" + head + "'\nSVCDIFF_BASE_RULE='flag'\nSVCDIFF_ALL='false'\n");
  auto sourced = source_env_file(repo.at("ci.env"));
  ASSERT_EQ(sourced.status, 0) << sourced.err;
  EXPECT_EQ(sourced.out, "service_A service_C|2|" + base + "|" + head + "|flag|false\n");
}

TEST(OutputFormats, EnvFileWithEmptyBaseAndHeadSourcesInBash) {
  // --files-from without a repository: no base, no head.
  TempRepo::Options no_git{false};
  TempRepo plain(no_git);
  plain.write("services/service_A/buildspec.yml", "version: 0.2\n");
  auto result = run_svcdiff(plain.path(), {"--files-from", "-", "--format", "env", "-o", "ci.env"},
                            {}, std::string("README.md\n"));
  ASSERT_EQ(result.status, 0) << result.err;
  auto sourced = source_env_file(plain.at("ci.env"));
  ASSERT_EQ(sourced.status, 0) << sourced.err;
  EXPECT_EQ(sourced.out, "|0|||files-from|false\n");
}

TEST(OutputFormats, GithubLinesForGithubOutput) {
  TempRepo repo;
  add_services(repo, {"service_A", "service_B"});
  repo.write("services/service_B/app.py", "changed\n");
  repo.commit("B");
  auto result = run_svcdiff(repo.path(), {"--base", "HEAD~1", "--format", "github", "-o", "-"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out,
            "services=[\"service_B\"]\ncount=1\nany=true\nbase=" + repo.rev_parse("HEAD~1") +
                "\nhead=" + repo.rev_parse("HEAD") + "\nall=false\n");

  result = run_svcdiff(repo.path(), {"--base", "HEAD", "--format", "github", "-o", "-"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out.rfind("services=[]\ncount=0\nany=false\n", 0), 0u) << result.out;
}

TEST(OutputFormats, TextFormatIsOneServiceALine) {
  TempRepo repo;
  add_services(repo, {"service_A", "service_B"});
  auto result = run_svcdiff(repo.path(), {"--all", "--format", "text", "-o", "-"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "service_A\nservice_B\n");
  result = run_svcdiff(repo.path(), {"--base", "HEAD", "--format", "text", "-o", "-"});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "");
}

}  // namespace
}  // namespace svcdiff::testing
