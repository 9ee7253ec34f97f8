#include "match/wildmatch.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "support/build_paths.hpp"

namespace svcdiff::match {
namespace {

// git's vectors live in the repository (tests/testdata/wildmatch/README.md
// says where they come from and under which licence).
const std::string kVectors = testing::source_dir() + "/tests/testdata/wildmatch/wildmatch.tsv";

// Splits on every '\t' and keeps empty fields: the vectors hold empty and
// single-space patterns and texts, so nothing may be trimmed.
std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    if (tab == std::string::npos) {
      fields.push_back(line.substr(start));
      return fields;
    }
    fields.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
}

// git's own test vectors (t/t3070-wildmatch.sh), column `pathname`: the
// WM_PATHNAME mode that svcdiff's patterns use.
TEST(Wildmatch, ConformsToGitVectors) {
  const std::string& path = kVectors;
  std::ifstream file(path, std::ios::binary);
  ASSERT_TRUE(file) << "cannot read " << path << " (git's wildmatch vectors)";
  std::stringstream contents;
  contents << file.rdbuf();
  std::istringstream lines(contents.str());

  std::string header;
  ASSERT_TRUE(std::getline(lines, header)) << path << " is empty";
  const std::vector<std::string> columns = split_tabs(header);
  int pathname = -1, text = -1, pattern = -1;
  for (int i = 0; i < static_cast<int>(columns.size()); ++i) {
    if (columns[i] == "pathname") pathname = i;
    if (columns[i] == "text") text = i;
    if (columns[i] == "pattern") pattern = i;
  }
  ASSERT_TRUE(pathname >= 0 && text >= 0 && pattern >= 0)
      << path << ": header lacks pathname, text or pattern: " << header;

  int rows = 0;
  int line_number = 1;
  std::string line;
  while (std::getline(lines, line)) {
    ++line_number;
    if (line.empty()) continue;  // only the final newline can leave one
    const std::vector<std::string> fields = split_tabs(line);
    ASSERT_EQ(fields.size(), columns.size()) << path << ":" << line_number << ": wrong field count";
    const std::string& expected = fields[pathname];
    ASSERT_TRUE(expected == "0" || expected == "1")
        << path << ":" << line_number << ": pathname is `" << expected << "`";
    EXPECT_EQ(wildmatch(fields[pattern], fields[text]), expected == "1")
        << path << ":" << line_number << ": pattern `" << fields[pattern] << "` text `"
        << fields[text] << "`";
    ++rows;
  }
  EXPECT_GT(rows, 0) << path << " holds no vectors";
}

TEST(Wildmatch, EmptyPatternMatchesOnlyEmptyText) {
  EXPECT_TRUE(wildmatch("", ""));
  EXPECT_FALSE(wildmatch("", "a"));
}

TEST(Wildmatch, MalformedPatternsMatchNothing) {
  EXPECT_FALSE(wildmatch("a[", "a["));
  EXPECT_FALSE(wildmatch("a\\", "a\\"));
  EXPECT_FALSE(wildmatch("[[:nope:]]", "a"));
  EXPECT_FALSE(wildmatch("*[", "abc"));
}

TEST(Wildmatch, StarsNeverCrossSlashesOutsideWholeSegments) {
  EXPECT_FALSE(wildmatch("a*b", "a/b"));
  EXPECT_FALSE(wildmatch("a/**b", "a/x/b"));
  EXPECT_TRUE(wildmatch("a/**b", "a/xb"));
  EXPECT_TRUE(wildmatch("a/***/b", "a/x/y/b"));
  EXPECT_TRUE(wildmatch("a/**", "a/x/y"));
  EXPECT_FALSE(wildmatch("a/**", "a"));
}

TEST(Wildmatch, DoubleStarSlashSkipsOnlyWholeDirectories) {
  // `**/` matches no directory only where it starts, never after reading bytes.
  EXPECT_FALSE(wildmatch("**/[ab]", "[a"));
  EXPECT_FALSE(wildmatch("**/foo", "xfoo"));
  EXPECT_FALSE(wildmatch("a/**/b", "a/xb"));
  EXPECT_TRUE(wildmatch("a/**/b", "a/b"));
  EXPECT_TRUE(wildmatch("a/**/**/b", "a/x/b"));
  EXPECT_FALSE(wildmatch("**//ab", "x/ab"));
  EXPECT_TRUE(wildmatch("**//ab", "x//ab"));
}

TEST(Wildmatch, RawBytesWithoutCaseFolding) {
  EXPECT_TRUE(wildmatch("\xff*", "\xff\xfe"));
  EXPECT_TRUE(wildmatch("?", "\x80"));
  EXPECT_TRUE(wildmatch("[\x80-\xff]", "\xc3"));
  EXPECT_FALSE(wildmatch("[[:alpha:]]", "\xc3"));
  EXPECT_FALSE(wildmatch("A", "a"));
  EXPECT_TRUE(wildmatch("a*b", "a\nb"));
  EXPECT_TRUE(wildmatch(std::string_view("a?b", 3), std::string_view("a\0b", 3)));
}

TEST(Wildmatch, EscapedSlashAfterDoubleStarSpansDirectories) {
  // git treats `**\/` like `**/` for spanning, without the zero-directory
  // shortcut.
  EXPECT_TRUE(wildmatch("a/**\\/b", "a/x/y/b"));
  EXPECT_FALSE(wildmatch("a/**\\/b", "a/b"));
}

// Patterns that make a backtracking matcher exponential; these would hang the
// test rather than fail it if matching were not polynomial.
TEST(Wildmatch, AdversarialPatternsStayPolynomial) {
  const std::string stars(60, '*');
  std::string many_stars;
  for (int i = 0; i < 40; ++i) many_stars += "a*";
  EXPECT_FALSE(wildmatch(many_stars + "b", std::string(200, 'a')));

  std::string globstars;
  for (int i = 0; i < 40; ++i) globstars += "**/";
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "a/";
  EXPECT_FALSE(wildmatch(globstars + "b", deep + "c"));
  EXPECT_TRUE(wildmatch(globstars + "c", deep + "c"));

  std::string mixed;
  for (int i = 0; i < 30; ++i) mixed += "*a**/";
  EXPECT_FALSE(wildmatch(mixed + "z", deep + "y"));
}

TEST(Glob, LongPatternsUseMoreThanInlineStates) {
  std::string pattern;
  std::string text;
  for (int i = 0; i < 400; ++i) {
    pattern += "x?*/";
    text += "xyz/";
  }
  EXPECT_TRUE(Glob(pattern + "end").matches(text + "end"));
  EXPECT_FALSE(Glob(pattern + "end").matches(text + "ends"));
}

// Exact bytes and stars that end their segment match without the NFA; the
// same glob with its first byte as a class runs the NFA. Both must agree.
TEST(Glob, StarsEndingSegmentsAgreeWithTheNfa) {
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"services/*", "[s]ervices/*"}, {"a*", "[a]*"},           {"svc-*", "[s]vc-*"},
      {"x/y/*", "[x]/y/*"},           {"a**", "[a]**"},         {"a\\*b*", "[a]\\*b*"},
      {"a/**b*", "[a]/**b*"},         {"\\[x*", "[[]x*"},       {"services/*/*", "[s]ervices/*/*"},
      {"x/*/z", "[x]/*/z"},           {"a/*-b/*", "[a]/*-b/*"}, {"svc-*/x", "[s]vc-*/x"},
      {"x/*\\/z", "[x]/*\\/z"},       {"x/*a", "[x]/*a"}};
  const std::vector<std::string> texts = {"",
                                          "services",
                                          "services/",
                                          "services/a",
                                          "services/a/",
                                          "services/a/b",
                                          "servicesx",
                                          "Services/a",
                                          "services//",
                                          "x/services/a",
                                          "a",
                                          "ab",
                                          "a/b",
                                          "A",
                                          "svc-",
                                          "svc-x",
                                          "svc-/x",
                                          "x/y",
                                          "x/y/",
                                          "x/y/z",
                                          "x/y/z/w",
                                          "a*b",
                                          "a*bc",
                                          "a*b/c",
                                          "a/bc",
                                          "a/xbc",
                                          "[x",
                                          "[xy",
                                          "[x/",
                                          "services/\xff",
                                          "services/a/b/c",
                                          "services//b",
                                          "x//z",
                                          "x/y/z/",
                                          "x/ab/z",
                                          "a/-b/c",
                                          "a/x-b/c",
                                          "a/x-b/",
                                          "a/x-b",
                                          "a/x-b/c/d",
                                          "svc-1/x",
                                          "svc-1/y",
                                          "svc-1/x/y",
                                          "x/ya",
                                          "x/a",
                                          "x/y/a"};
  for (const auto& [fast, nfa] : pairs) {
    for (const std::string& text : texts) {
      SCOPED_TRACE(fast + " / " + nfa + " on `" + text + "`");
      EXPECT_EQ(Glob(fast).matches(text), Glob(nfa).matches(text));
      EXPECT_EQ(Glob(fast).matches(text), wildmatch(nfa, text));
      EXPECT_EQ(Glob(fast).may_match_text_starting_with(text),
                Glob(nfa).may_match_text_starting_with(text));
    }
  }
  EXPECT_TRUE(Glob("services/*").matches("services/"));
  EXPECT_TRUE(Glob("services/*").matches("services/a"));
  EXPECT_FALSE(Glob("services/*").matches("services/a/b"));
  EXPECT_TRUE(Glob("*").matches(""));
  EXPECT_TRUE(Glob("*").matches("abc"));
  EXPECT_FALSE(Glob("*").matches("a/b"));
  EXPECT_FALSE(Glob("a[*").matches("a[x"));  // malformed: matches nothing
  EXPECT_TRUE(Glob("*/*").may_match_text_starting_with("a/"));
  EXPECT_TRUE(Glob("*/*").may_match_text_starting_with("a/b"));
  EXPECT_FALSE(Glob("*/*").may_match_text_starting_with("a/b/"));
  EXPECT_FALSE(Glob("*").may_match_text_starting_with("a/"));
  EXPECT_FALSE(Glob("a[*").may_match_text_starting_with(""));
}

TEST(Glob, DefaultIsTheEmptyPattern) {
  const Glob empty;
  const Glob compiled("");
  for (const std::string_view text : {"", "a", "/", "a/b"}) {
    EXPECT_EQ(empty.matches(text), compiled.matches(text)) << text;
    EXPECT_EQ(empty.matches_self_or_ancestor(text, true),
              compiled.matches_self_or_ancestor(text, true))
        << text;
    EXPECT_EQ(empty.may_match_text_starting_with(text), compiled.may_match_text_starting_with(text))
        << text;
  }
  EXPECT_TRUE(empty.matches(""));
}

TEST(Glob, MatchesSelfOrAncestor) {
  const Glob glob("a/*");
  EXPECT_TRUE(glob.matches_self_or_ancestor("a/b/c", false));
  EXPECT_FALSE(glob.matches_self_or_ancestor("a/b", false));
  EXPECT_TRUE(glob.matches_self_or_ancestor("a/b", true));
  EXPECT_FALSE(glob.matches_self_or_ancestor("b/a/c", true));
}

TEST(Glob, MayMatchTextStartingWith) {
  const Glob glob("src/*/test/**");
  EXPECT_TRUE(glob.may_match_text_starting_with(""));
  EXPECT_TRUE(glob.may_match_text_starting_with("src/"));
  EXPECT_TRUE(glob.may_match_text_starting_with("src/x/"));
  EXPECT_TRUE(glob.may_match_text_starting_with("src/x/test/a/b/"));
  EXPECT_FALSE(glob.may_match_text_starting_with("lib/"));
  EXPECT_FALSE(glob.may_match_text_starting_with("src/x/y/"));
  EXPECT_FALSE(Glob("a[").may_match_text_starting_with(""));
}

}  // namespace
}  // namespace svcdiff::match
