#include "match/pattern.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "match/wildmatch.hpp"

namespace svcdiff::match {
namespace {

bool matches(std::string_view pattern, std::string_view path, bool is_dir = false) {
  return Pattern::compile(pattern).matches(path, is_dir);
}

// The message of the config error that compiling `pattern` throws.
std::string compile_error(std::string_view pattern) {
  try {
    Pattern::compile(pattern);
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::config);
    return error.what();
  }
  ADD_FAILURE() << "no error for `" << pattern << "`";
  return {};
}

TEST(Pattern, LeadingSlashAnchorsAtRoot) {
  EXPECT_TRUE(matches("/build", "build"));
  EXPECT_TRUE(matches("/build", "build/out.o"));
  EXPECT_FALSE(matches("/build", "src/build"));
  EXPECT_FALSE(matches("/build", "buildx"));
}

TEST(Pattern, InnerSlashAnchorsAtRoot) {
  EXPECT_TRUE(matches("services/a", "services/a/main.py"));
  EXPECT_FALSE(matches("services/a", "x/services/a/main.py"));
  EXPECT_TRUE(matches("docs/*.md", "docs/intro.md"));
  EXPECT_FALSE(matches("docs/*.md", "sub/docs/intro.md"));
}

TEST(Pattern, NameWithoutSlashMatchesAtAnyDepth) {
  EXPECT_TRUE(matches("Makefile", "Makefile"));
  EXPECT_TRUE(matches("Makefile", "a/b/Makefile"));
  EXPECT_FALSE(matches("Makefile", "a/b/Makefile.in"));
  EXPECT_TRUE(matches("*.md", "README.md"));
  EXPECT_TRUE(matches("*.md", "services/a/docs/guide.md"));
  EXPECT_FALSE(matches("*.md", "services/a/guide.mdx"));
  EXPECT_TRUE(matches("t?st", "a/test/b"));
}

TEST(Pattern, NameMatchesAncestorDirectories) {
  // `node_modules` names a directory somewhere above the file.
  EXPECT_TRUE(matches("node_modules", "web/node_modules/left-pad/index.js"));
  EXPECT_TRUE(matches("*.egg-info", "py/pkg.egg-info/PKG-INFO"));
  EXPECT_FALSE(matches("node_modules", "web/node_modules_old/x.js"));
}

TEST(Pattern, TrailingSlashMatchesDirectoriesOnly) {
  EXPECT_TRUE(matches("docs/", "docs/a.md"));
  EXPECT_TRUE(matches("docs/", "x/docs/a.md"));
  EXPECT_FALSE(matches("docs/", "docs"));  // a file named docs
  EXPECT_TRUE(matches("docs/", "docs", true));
  EXPECT_FALSE(matches("docs/", "x/docs"));
  EXPECT_TRUE(matches("services/a/", "services/a/app.py"));
  EXPECT_FALSE(matches("services/a/", "services/a"));
  EXPECT_FALSE(matches("build*/", "out/build-log"));
  EXPECT_TRUE(matches("build*/", "out/build-1/log"));
}

TEST(Pattern, TrailingSlashMatchesSubmoduleGivenAsDirectory) {
  // A submodule's pointer change is a single path that counts as a directory.
  EXPECT_TRUE(matches("vendor/lib/", "vendor/lib", true));
  EXPECT_FALSE(matches("vendor/lib/", "vendor/lib", false));
  EXPECT_TRUE(matches("vendor/", "vendor/lib", false));
  EXPECT_TRUE(matches("lib/", "vendor/lib", true));
}

TEST(Pattern, DirectorySelectsEverythingBelow) {
  EXPECT_TRUE(matches("libs/common", "libs/common/src/deep/x.cpp"));
  EXPECT_TRUE(matches("libs/*", "libs/common/src/deep/x.cpp"));
  EXPECT_TRUE(matches("libs/c?mmon", "libs/common/a"));
  EXPECT_FALSE(matches("libs/common", "libs/commonplace/a"));
  EXPECT_FALSE(matches("libs/common", "libs"));
}

TEST(Pattern, DoubleStarSpansDirectories) {
  EXPECT_TRUE(matches("**/foo", "foo"));
  EXPECT_TRUE(matches("**/foo", "a/b/foo"));
  EXPECT_TRUE(matches("**/foo", "a/b/foo/c"));
  EXPECT_TRUE(matches("a/**/b", "a/b"));
  EXPECT_TRUE(matches("a/**/b", "a/x/y/b"));
  EXPECT_FALSE(matches("a/**/b", "x/a/b"));
  EXPECT_TRUE(matches("a/**", "a/x"));
  EXPECT_TRUE(matches("a/**", "a/x/y"));
  EXPECT_FALSE(matches("a/**", "a"));
  EXPECT_FALSE(matches("a/**", "a", true));
  EXPECT_TRUE(matches("**", "anything/at/all"));
  EXPECT_TRUE(matches("**/*.md", "README.md"));
  EXPECT_TRUE(matches("**/*.md", "a/b/c.md"));
  EXPECT_TRUE(matches("services/**/test/", "services/a/b/test/x.py"));
  EXPECT_FALSE(matches("services/**/test/", "services/a/b/test"));
}

TEST(Pattern, DoubleStarInsideSegmentIsSingleStar) {
  EXPECT_TRUE(matches("a/**b", "a/xb"));
  EXPECT_FALSE(matches("a/**b", "a/x/b"));
  EXPECT_TRUE(matches("a**", "x/abc"));  // no slash: a name at any depth
  EXPECT_FALSE(matches("a/b**/c", "a/b/x/c"));
}

TEST(Pattern, BracketsAndEscapes) {
  EXPECT_TRUE(matches("svc-[ab]/", "svc-a/x"));
  EXPECT_FALSE(matches("svc-[!ab]/", "svc-a/x"));
  EXPECT_TRUE(matches("svc-[[:digit:]]", "svc-7"));
  EXPECT_TRUE(matches("\\*.txt", "*.txt"));
  EXPECT_FALSE(matches("\\*.txt", "a.txt"));
  EXPECT_FALSE(matches("a[/]b", "a/b"));
}

TEST(Pattern, PathsAreRawBytes) {
  const std::string latin1 = "services/caf\xe9/menu.txt";  // not UTF-8
  EXPECT_TRUE(matches("services/caf\xe9/", latin1));
  EXPECT_TRUE(matches("services/*/", latin1));
  EXPECT_TRUE(matches("caf?", latin1));
  EXPECT_TRUE(matches("*.txt", "odd\nname.txt"));
  EXPECT_TRUE(matches("docs/", "docs/line\nbreak/x"));
  EXPECT_TRUE(matches("a\nb", "x/a\nb"));
  EXPECT_FALSE(matches("a?b", "a/b"));
}

TEST(Pattern, LeadingBangIsLiteral) {
  // Pattern leaves `!` to the caller, so compile keeps it as a byte.
  EXPECT_TRUE(matches("!important", "!important"));
  EXPECT_FALSE(matches("!important", "other"));
}

TEST(Pattern, KeepsSource) { EXPECT_EQ(Pattern::compile("/services/a/").source(), "/services/a/"); }

TEST(Pattern, EmptyIsAnError) {
  EXPECT_NE(compile_error("").find("empty pattern"), std::string::npos);
  EXPECT_NE(compile_error("/").find("names no path"), std::string::npos);
  EXPECT_NE(compile_error("//").find("`**`"), std::string::npos);
}

TEST(Pattern, DotSegmentsAreErrors) {
  const std::string dot = compile_error("./services/a/");
  EXPECT_NE(dot.find("`.` segment"), std::string::npos) << dot;
  EXPECT_NE(dot.find("`services/a/`"), std::string::npos) << dot;
  // The suggestion stays anchored like the original.
  EXPECT_NE(compile_error("./Makefile").find("`/Makefile`"), std::string::npos);
  EXPECT_NE(compile_error(".").find("`**`"), std::string::npos);
  EXPECT_NE(compile_error("a/./b").find("`.` segment"), std::string::npos);
  EXPECT_NE(compile_error("a/.").find("`.` segment"), std::string::npos);
  EXPECT_NE(compile_error("a/\\./b").find("`.` segment"), std::string::npos);
  const std::string dot_dot = compile_error("../other");
  EXPECT_NE(dot_dot.find("`..` segment"), std::string::npos) << dot_dot;
  EXPECT_NE(compile_error("a/../b/").find("`..` segment"), std::string::npos);
  EXPECT_NE(compile_error("..").find("`..` segment"), std::string::npos);
}

TEST(Pattern, AGlobThatCanNeverMatchIsAnError) {
  for (const std::string bad : {"a[", "s/a[/", "[[:foo:]]", "x/[!]", "ci\\", "**/[a-"}) {
    EXPECT_NE(compile_error(bad).find("can never match"), std::string::npos) << bad;
  }
  for (const std::string fine : {"a\\[", "[[]", "[]]", "a[b]c", "[[:alpha:]]", "a[:b]"}) {
    EXPECT_NO_THROW(Pattern::compile(fine)) << fine;
  }
}

TEST(Pattern, DotsInsideNamesAreFine) {
  EXPECT_TRUE(matches(".github/", ".github/workflows/ci.yml"));
  EXPECT_TRUE(matches("...", "a/..."));
  EXPECT_TRUE(matches(".*", "a/.env"));
  EXPECT_TRUE(matches("a/.b", "a/.b"));
}

TEST(Pattern, LengthLimit) {
  EXPECT_NO_THROW(Pattern::compile(std::string(Pattern::kMaxLength, 'a')));
  const std::string message = compile_error(std::string(Pattern::kMaxLength + 1, 'a'));
  EXPECT_NE(message.find("4097 bytes"), std::string::npos) << message;
  EXPECT_NE(message.find("4,096"), std::string::npos) << message;
  EXPECT_LT(message.size(), 300U);  // the pattern itself is shown cut short
}

TEST(Pattern, ErrorShowsControlBytesEscaped) {
  const std::string message = compile_error("a\n/../b");
  EXPECT_NE(message.find("`a\\x0a/../b`"), std::string::npos) << message;
}

TEST(Pattern, MatchesDirectoryIgnoresParents) {
  const Pattern docs = Pattern::compile("docs/");
  EXPECT_TRUE(docs.matches_directory("docs"));
  EXPECT_TRUE(docs.matches_directory("a/docs"));
  EXPECT_FALSE(docs.matches_directory("docs/sub"));  // only through its parent
  const Pattern anchored = Pattern::compile("services/*");
  EXPECT_TRUE(anchored.matches_directory("services/a"));
  EXPECT_FALSE(anchored.matches_directory("services"));
  EXPECT_FALSE(anchored.matches_directory("services/a/b"));
  EXPECT_FALSE(anchored.matches_directory(""));
}

TEST(Pattern, MayMatchBelowPrunesOnlyImpossibleSubtrees) {
  const Pattern literal = Pattern::compile("services/a/src/");
  EXPECT_TRUE(literal.may_match_below(""));
  EXPECT_TRUE(literal.may_match_below("services"));
  EXPECT_TRUE(literal.may_match_below("services/a"));
  EXPECT_TRUE(literal.may_match_below("services/a/src"));
  EXPECT_TRUE(literal.may_match_below("services/a/src/deep"));
  EXPECT_FALSE(literal.may_match_below("services/b"));
  EXPECT_FALSE(literal.may_match_below("serv"));
  EXPECT_FALSE(literal.may_match_below("libs"));

  const Pattern wild = Pattern::compile("services/*/test/**");
  EXPECT_TRUE(wild.may_match_below("services"));
  EXPECT_TRUE(wild.may_match_below("services/x"));
  EXPECT_TRUE(wild.may_match_below("services/x/test"));
  EXPECT_TRUE(wild.may_match_below("services/x/test/a/b"));
  EXPECT_FALSE(wild.may_match_below("services/x/src"));
  EXPECT_FALSE(wild.may_match_below("libs"));

  const Pattern spanning = Pattern::compile("**/test/");
  EXPECT_TRUE(spanning.may_match_below("anything/at/all"));

  const Pattern name = Pattern::compile("*.md");
  EXPECT_TRUE(name.may_match_below("any/dir"));
}

// A name pattern refuses a name without its literal tail before the glob
// runs; the answers are the glob's, escapes and ancestors included.
TEST(Pattern, NamePatternsMatchOnlyNamesEndingWithTheirTail) {
  const Pattern md = Pattern::compile("*.md");
  EXPECT_TRUE(md.matches("README.md"));
  EXPECT_TRUE(md.matches("docs/guide.md/image.png"));
  EXPECT_FALSE(md.matches("notes.mdx"));
  EXPECT_FALSE(md.matches("a.md.txt"));
  const Pattern star = Pattern::compile("*\\*");
  EXPECT_TRUE(star.matches("dir/a*"));
  EXPECT_FALSE(star.matches("dir/ab"));
  const Pattern mixed = Pattern::compile("a?c.txt");
  EXPECT_TRUE(mixed.matches("x/abc.txt"));
  EXPECT_FALSE(mixed.matches("x/abd.txt"));
  EXPECT_FALSE(mixed.matches("x/zbc.txt"));
  for (const Pattern& pattern : {md, star, mixed}) {
    for (const char* path : {"README.md", "a/b.md", "a*", "abc.txt", "dir/x.md/y", "x.txt"}) {
      bool expected = false;
      std::string_view rest = path;
      while (!rest.empty()) {
        const std::size_t slash = rest.find('/');
        expected = expected || wildmatch(pattern.source(), rest.substr(0, slash));
        rest = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
      }
      EXPECT_EQ(pattern.matches(path), expected) << pattern.source() << " " << path;
    }
  }
}

// A pattern that begins with `**/` answers once for every directory: below
// any of them, `dir/x` matches when `x` does.
TEST(Pattern, MayMatchBelowOfALeadingDoubleStarIsTheSameForEveryDirectory) {
  for (const char* source : {"**/*.md", "**/test/", "**/a/b*", "**/docs/**", "/**/x"}) {
    const Pattern pattern = Pattern::compile(source);
    for (const char* dir : {"", "a", "a/b", "docs", "x/y/z/test", "deep/er/still/x"}) {
      EXPECT_TRUE(pattern.may_match_below(dir)) << source << " below " << dir;
    }
  }
}

TEST(Pattern, LiteralPrefixForIndexing) {
  EXPECT_EQ(Pattern::compile("/services/a/").literal_prefix(), "services/a");
  EXPECT_EQ(Pattern::compile("services/a/**/*.py").literal_prefix(), "services/a");
  EXPECT_EQ(Pattern::compile("services/a*/x").literal_prefix(), "services");
  EXPECT_EQ(Pattern::compile("services/\\*/x").literal_prefix(), "services");
  EXPECT_EQ(Pattern::compile("*/x").literal_prefix(), "");
  // Empty segments: the prefix ends at a segment's end, never at a trailing '/'.
  EXPECT_EQ(Pattern::compile("a//").literal_prefix(), "a");
  EXPECT_EQ(Pattern::compile("a///").literal_prefix(), "a/");
  EXPECT_EQ(Pattern::compile("a//*").literal_prefix(), "a/");
  EXPECT_EQ(Pattern::compile("//a").literal_prefix(), "/a");
  EXPECT_EQ(Pattern::compile("Makefile").literal_prefix(), "");
  EXPECT_EQ(Pattern::compile("Makefile").literal_name(), "Makefile");
  EXPECT_EQ(Pattern::compile("docs/").literal_name(), "docs");
  EXPECT_EQ(Pattern::compile("*.md").literal_name(), "");
  EXPECT_EQ(Pattern::compile("a/b").literal_name(), "");
}

TEST(Pattern, LiteralSuffixForIndexing) {
  EXPECT_EQ(Pattern::compile("*.md").literal_suffix(), ".md");
  EXPECT_EQ(Pattern::compile("**/*.md").literal_suffix(), ".md");
  EXPECT_EQ(Pattern::compile("*.d/").literal_suffix(), ".d");
  EXPECT_EQ(Pattern::compile("src/**/*_test.go").literal_suffix(), "_test.go");
  EXPECT_EQ(Pattern::compile("*/x").literal_suffix(), "x");
  EXPECT_EQ(Pattern::compile("*\\.md").literal_suffix(), ".md");
  EXPECT_EQ(Pattern::compile("*[.]md").literal_suffix(), "md");
  EXPECT_EQ(Pattern::compile("a*").literal_suffix(), "");
  EXPECT_EQ(Pattern::compile("**").literal_suffix(), "");
  EXPECT_EQ(Pattern::compile("a/*").literal_suffix(), "");
  EXPECT_EQ(Pattern::compile("*.m?").literal_suffix(), "");
  EXPECT_EQ(Pattern::compile("Makefile").literal_suffix(), "");  // a literal name instead
  EXPECT_THROW(Pattern::compile("[a"), svcdiff::Error);          // malformed: an error
  // `**/name` matches what `name` does, so it is filed like it.
  EXPECT_EQ(Pattern::compile("**/Makefile").literal_name(), "Makefile");
  EXPECT_EQ(Pattern::compile("**/a/Makefile").literal_name(), "");
}

// `**/x`, for one segment `x`, is compiled as `x`. It must match as git reads
// the whole glob against the path and each ancestor, and as `**/**/x`, which
// means the same and keeps the whole glob.
TEST(Pattern, LeadingDoubleStarNameMatchesLikeTheWholeGlob) {
  const std::vector<std::string> names = {"*.md",      "Makefile", "a?",     "[ab]*",
                                          "*_test.go", "x*y",      "\\*.md", "*",
                                          "**.md",     "a\\\\",    "[!a]",   "*b*"};
  const std::vector<std::string> paths = {
      "a",          "b",          "x.md",  "a/x.md",         "x.md/a", "a/b/x.md",  "Makefile",
      "a/Makefile", "Makefile/a", "ab",    "a/ab/c",         "bz",     "a_test.go", "q/a_test.go",
      "xy",         "x/y",        "xay/b", "*.md",           "a/*.md", "a\\",       "b/a",
      "a//b",       "a/b/",       "ab.md", "c/ab.md/d/e.md", "abc/d",  "x.mdx",     "a/b/c/d",
      "/a",         "/x.md"};
  for (const std::string& name : names) {
    for (const std::string& ending : {std::string(), std::string("/")}) {
      const std::string text = "**/" + name + ending;
      const Pattern pattern = Pattern::compile(text);
      const Pattern whole = Pattern::compile("**/**/" + name + ending);
      for (const std::string& path : paths) {
        for (const bool is_dir : {false, true}) {
          SCOPED_TRACE(text + " on `" + path + "`" + (is_dir ? " (dir)" : ""));
          // git: the glob against the path and against each ancestor.
          bool expected = (is_dir || ending.empty()) && wildmatch("**/" + name, path);
          for (std::size_t slash = path.find('/'); slash != std::string::npos;
               slash = path.find('/', slash + 1)) {
            expected = expected || (slash > 0 && wildmatch("**/" + name, path.substr(0, slash)));
          }
          EXPECT_EQ(pattern.matches(path, is_dir), expected);
          EXPECT_EQ(pattern.matches(path, is_dir), whole.matches(path, is_dir));
        }
        EXPECT_EQ(pattern.matches_directory(path), whole.matches_directory(path)) << text << path;
        EXPECT_EQ(pattern.may_match_below(path), whole.may_match_below(path)) << text << path;
      }
    }
  }
}

// A literal pattern compares bytes and never runs its Glob; the same pattern
// with one byte written as a class or an escape runs the Glob. Both must
// answer alike for every path, tricky ones included.
TEST(Pattern, LiteralPatternsAgreeWithTheirGlob) {
  const std::vector<std::pair<std::string, std::string>> pairs = {{"services/a/", "[s]ervices/a/"},
                                                                  {"/services/a", "/[s]ervices/a"},
                                                                  {"services/a", "services/\\a"},
                                                                  {"docs/", "[d]ocs/"},
                                                                  {"Makefile", "[M]akefile"},
                                                                  {"a/b/c", "a/b/[c]"},
                                                                  {"/top", "/\\top"},
                                                                  {"x.y/z", "x\\.y/z"},
                                                                  {"foo.txt", "foo\\.txt"},
                                                                  {"svc_0001/", "svc_000[1]/"}};
  const std::vector<std::string> paths = {"",
                                          "services",
                                          "services/a",
                                          "services/a/",
                                          "services/a/b",
                                          "services/ab",
                                          "services/a/b/c",
                                          "Services/a",
                                          "services/A",
                                          "x/services/a",
                                          "services//a",
                                          "services/a//b",
                                          "docs",
                                          "a/docs",
                                          "a/docs/x",
                                          "docs.md",
                                          "Makefile",
                                          "src/Makefile",
                                          "makefile",
                                          "a/b/c",
                                          "a/b/c/d",
                                          "a/b",
                                          "a/b/cd",
                                          "top",
                                          "x/top",
                                          "top/x",
                                          "x.y/z",
                                          "xzy/z",
                                          "x.y/z/w",
                                          "foo.txt",
                                          "d/foo.txt",
                                          "fooxtxt",
                                          "svc_0001",
                                          "s/svc_0001/f",
                                          "svc_00011"};
  for (const auto& [literal_text, glob_text] : pairs) {
    const Pattern literal = Pattern::compile(literal_text);
    const Pattern glob = Pattern::compile(glob_text);
    for (const std::string& path : paths) {
      SCOPED_TRACE(literal_text + " / " + glob_text + " on `" + path + "`");
      EXPECT_EQ(literal.matches(path, false), glob.matches(path, false));
      EXPECT_EQ(literal.matches(path, true), glob.matches(path, true));
      EXPECT_EQ(literal.matches_directory(path), glob.matches_directory(path));
      EXPECT_EQ(literal.may_match_below(path), glob.may_match_below(path));
    }
  }
  // And the pairs do match something, so agreement is not vacuous.
  EXPECT_TRUE(Pattern::compile("services/a/").matches("services/a/b"));
  EXPECT_TRUE(Pattern::compile("foo\\.txt").matches("d/foo.txt"));
}

TEST(Pattern, CopiesMatchLikeTheOriginal) {
  Pattern original = Pattern::compile("services/a/**/x");
  const Pattern copy = original;
  const Pattern moved = std::move(original);
  EXPECT_TRUE(copy.matches("services/a/b/x"));
  EXPECT_TRUE(moved.matches("services/a/b/x"));
  EXPECT_EQ(copy.literal_prefix(), "services/a");
}

}  // namespace
}  // namespace svcdiff::match
