#include "cli/files_from.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.hpp"

namespace svcdiff::cli {
namespace {

std::vector<std::string> paths(std::string_view text, bool nul = false) {
  std::vector<std::string> out;
  for (const auto& change : parse_files_from(text, nul, "/repo", "changes.txt")) {
    out.push_back(change.path);
  }
  return out;
}

TEST(FilesFrom, GitQuotingIsUndoneAndPathsAreSortedOnce) {
  EXPECT_EQ(paths("b/x\n\"dir/\\303\\274 n.txt\"\r\nb/x\n\n"),
            (std::vector<std::string>{"b/x", "dir/\xc3\xbc n.txt"}));
  EXPECT_EQ(paths(std::string_view("\"q\"\0a\0", 6), true),
            (std::vector<std::string>{"\"q\"", "a"}));  // -z: no quoting to undo
}

// "./" and "/" in any order at the start are dropped (found by the fuzzer:
// ".//./x" kept its "./").
TEST(FilesFrom, LeadingDotSlashesAndSlashesInAnyOrder) {
  EXPECT_EQ(paths(".//./x\n././y/\n"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(paths("a/..b/c...\n"), (std::vector<std::string>{"a/..b/c..."}));  // not `..` segments
}

TEST(FilesFrom, AbsolutePathsInsideTheRepositoryBecomeRelative) {
  EXPECT_EQ(paths("/repo/services/a/x\n"), (std::vector<std::string>{"services/a/x"}));
}

TEST(FilesFrom, WhatCannotBeARepositoryPathIsAUsageErrorAtItsLine) {
  for (const char* text : {"ok\n/etc/passwd\n", "ok\nM\tsrc/x\n", "ok\n\"unterminated\n",
                           "ok\na/../b/f\n", "ok\n../x\n", "ok\nx/..\n"}) {
    try {
      paths(text);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ExitCode::usage) << text;
      ASSERT_TRUE(error.location().has_value()) << text;
      EXPECT_EQ(error.location()->file, "changes.txt");
      EXPECT_EQ(error.location()->line, 2) << text;
    }
  }
}

}  // namespace
}  // namespace svcdiff::cli
