#include "core/path_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace svcdiff {
namespace {

TEST(PathText, FoldDotSegmentsStaysBelowTheStart) {
  EXPECT_EQ(fold_dot_segments("a/./b/../c"), "a/c");
  EXPECT_EQ(fold_dot_segments("./a//b/"), "a/b");
  EXPECT_EQ(fold_dot_segments("."), "");
  EXPECT_EQ(fold_dot_segments("a/.."), "");
  EXPECT_EQ(fold_dot_segments("a/../.."), std::nullopt);
  EXPECT_EQ(fold_dot_segments("../a"), std::nullopt);
}

TEST(PathText, UnquoteGitPathUndoesCoreQuotePath) {
  // What `git diff --name-only` prints for "dir/ü n.txt" and a tab.
  EXPECT_EQ(unquote_git_path(R"("dir/\303\274 n.txt")"), "dir/\xc3\xbc n.txt");
  EXPECT_EQ(unquote_git_path(R"("a\tb\\c\"d")"), "a\tb\\c\"d");
  EXPECT_EQ(unquote_git_path(R"("\001")"), std::string("\x01"));
  EXPECT_EQ(unquote_git_path("plain"), std::nullopt);
  EXPECT_EQ(unquote_git_path(R"("bad\q")"), std::nullopt);
  EXPECT_EQ(unquote_git_path(R"("\400")"), std::nullopt);
  EXPECT_EQ(unquote_git_path(R"("unterminated)"), std::nullopt);
  EXPECT_EQ(unquote_git_path(R"("a"b")"), std::nullopt);
}

TEST(PathText, JsonSafeAndMessageTextEscapeDifferentBytes) {
  EXPECT_EQ(json_safe("\xc3\xbc\xff"), "\xc3\xbc\\xff");
  EXPECT_EQ(message_text("a\tb"), "a\\x09b");
  EXPECT_EQ(message_text(std::string(100, 'x')), std::string(80, 'x') + "...");
}

TEST(MessageText, ControlBytesBecomeBackslashX) {
  EXPECT_EQ(message_text("unknown revision `main\nX=1\r`", kMaxMessageBytes),
            "unknown revision `main\\x0aX=1\\x0d`");
  EXPECT_EQ(message_text("\x1b[31mred\x7f"), "\\x1b[31mred\\x7f");
  // UTF-8 stays; a byte that is not UTF-8 is written as the log writes it.
  EXPECT_EQ(message_text("caf\xc3\xa9 \xff"), "caf\xc3\xa9 \\xff");
  EXPECT_EQ(message_text("caf\xe9/menu"), "caf\\xe9/menu");    // Latin-1
  EXPECT_EQ(message_text("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a surrogate is no UTF-8
}

TEST(MessageText, LongTextIsCutAtTheLimitOutsideAUtf8Sequence) {
  const std::string cut =
      message_text(std::string(kMaxMessageBytes - 1, 'a') + "\xc3\xa9" + "tail", kMaxMessageBytes);
  EXPECT_EQ(cut, std::string(kMaxMessageBytes - 1, 'a') + "...");
  EXPECT_EQ(message_text(std::string(kMaxMessageBytes, 'b'), kMaxMessageBytes),
            std::string(kMaxMessageBytes, 'b'));
  EXPECT_EQ(message_text(std::string(100, 'c')), std::string(80, 'c') + "...");
}

TEST(JsonPath, BackslashBecomesBackslashXSoEveryPathRoundTrips) {
  EXPECT_EQ(json_path("a\\x41\xff"), "a\\x5cx41\\xff");
  EXPECT_EQ(json_path("plain/caf\xc3\xa9"), "plain/caf\xc3\xa9");
  EXPECT_EQ(json_safe("a\\d"), "a\\d");  // not a path: backslashes stay
}

// Kept bytes go out in runs between the escapes: an escape first, last,
// twice in a row, and a multibyte character right before one.
TEST(TextPath, EscapesAtEitherEndAndBetweenRunsOfKeptBytes) {
  EXPECT_EQ(text_path("\x01"
                      "ab\tc\\"),
            "\\x01ab\\x09c\\x5c");
  EXPECT_EQ(text_path("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(text_path("caf\xc3\xa9\x7f/x"), "caf\xc3\xa9\\x7f/x");
  EXPECT_EQ(text_path(""), "");
  EXPECT_EQ(json_path("\xe2\x82"), "\\xe2\\x82");  // a cut sequence: each byte
}

}  // namespace
}  // namespace svcdiff
