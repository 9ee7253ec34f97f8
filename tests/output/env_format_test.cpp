// shell_quote and the env format through a real bash: every value comes back
// byte for byte, and nothing in it runs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "output/formats.hpp"
#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::output {
namespace {

using testing::CommandResult;
using testing::run_command;
using testing::TempRepo;

const std::vector<std::string> kHostile = {
    "$(rm -rf /)",
    "`touch pwned`",
    "$(touch pwned)",
    "it's",
    "'",
    "''",
    "\"double\" quotes",
    "new\nline",
    "trailing newline\n",
    "\r\ncarriage",
    "back\\slash\\",
    "${HOME} $HOME $0 $@",
    "!! history !$",
    "* ? [a-z] ~",
    "; echo pwned && touch pwned | cat",
    "tab\there",
    " leading and trailing ",
    "",
    "\x01\x1b[31mcontrol\x7f",
    "caf\xc3\xa9 \xe2\x9c\x93",
    "\xff\xfe not UTF-8",
};

// Runs `script` with bash in a fresh directory; a `pwned` file there means a
// value was executed.
CommandResult run_bash(const TempRepo& dir, const std::string& script) {
  dir.write("script.sh", script);
  CommandResult result = run_command({"bash", "script.sh"}, dir.path());
  EXPECT_FALSE(std::filesystem::exists(dir.at("pwned"))) << script;
  return result;
}

TEST(ShellQuote, HostileValuesSurviveBashByteForByte) {
  TempRepo::Options no_git{false};
  TempRepo dir(no_git);
  for (const auto& value : kHostile) {
    SCOPED_TRACE(value);
    // %s plus a sentinel, since $(...) would strip trailing newlines.
    auto result =
        run_bash(dir, "set -eu\nvalue=" + shell_quote(value) + "\nprintf '%s|' \"$value\"\n");
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(result.out, value + "|");
  }
}

TEST(RenderEnv, WholeFileSourcesCleanlyWithHostileBaseAndHead) {
  TempRepo::Options no_git{false};
  TempRepo dir(no_git);
  for (std::size_t i = 0; i + 1 < kHostile.size(); ++i) {
    SCOPED_TRACE(kHostile[i]);
    Artifact artifact;
    artifact.services = {"service_A", "service_B"};
    artifact.base = kHostile[i];
    artifact.head = kHostile[i + 1];
    artifact.base_rule = "flag";
    std::vector<std::string> notes;
    dir.write("svcdiff.env", render(artifact, Format::env, notes));
    auto result = run_bash(dir,
                           "set -eu\nsource ./svcdiff.env\n"
                           "printf '%s|%s|%s|%s|%s|%s|' \"$SVCDIFF_SERVICES\" \"$SVCDIFF_COUNT\" "
                           "\"$SVCDIFF_BASE\" \"$SVCDIFF_HEAD\" \"$SVCDIFF_BASE_RULE\" "
                           "\"$SVCDIFF_ALL\"\n");
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(result.out,
              "service_A service_B|2|" + kHostile[i] + "|" + kHostile[i + 1] + "|flag|false|");
    EXPECT_EQ(result.err, "");
  }
}

TEST(RenderEnv, EveryLineIsAnAssignment) {
  Artifact artifact;
  artifact.base = "a\nSVCDIFF_EVIL=1";
  std::vector<std::string> notes;
  const std::string text = render(artifact, Format::env, notes);
  EXPECT_EQ(
      text.rfind("SVCDIFF_SERVICES=''\nSVCDIFF_COUNT='0'\nSVCDIFF_BASE='a\nSVCDIFF_EVIL=1'\n", 0),
      0u)
      << text;
}

}  // namespace
}  // namespace svcdiff::output
