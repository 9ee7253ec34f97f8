#include "match/uniform_below.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <string>
#include <vector>

namespace svcdiff::match {
namespace {

UniformBelow of(std::initializer_list<const char*> sources) {
  std::vector<Pattern> patterns;
  for (const char* source : sources) patterns.push_back(Pattern::compile(source));
  return UniformBelow(std::move(patterns));
}

TEST(UniformBelow, APatternThatMatchesTheDirectoryOrAnAncestorCoversIt) {
  const UniformBelow uniform = of({"services/a/", "libs/**"});
  EXPECT_TRUE(uniform.uniform("services/a"));
  EXPECT_TRUE(uniform.uniform("services/a/src"));
  EXPECT_TRUE(uniform.uniform("libs/x/y"));
}

TEST(UniformBelow, APatternThatMatchesNothingBelowIsAlike) {
  const UniformBelow uniform = of({"services/a/", "site/*.html"});
  EXPECT_TRUE(uniform.uniform("services/b"));
  EXPECT_TRUE(uniform.uniform("site/docs"));
  EXPECT_TRUE(uniform.uniform("other"));
}

TEST(UniformBelow, APatternBelowTheDirectoryMatchesSomePathsNotAll) {
  const UniformBelow uniform = of({"services/a/src/generated/"});
  EXPECT_FALSE(uniform.uniform("services"));
  EXPECT_FALSE(uniform.uniform("services/a"));
  EXPECT_FALSE(uniform.uniform("services/a/src"));
  EXPECT_TRUE(uniform.uniform("services/a/src/generated"));
  EXPECT_TRUE(uniform.uniform("services/a/src/main"));
  // A longer name is not a directory below.
  EXPECT_TRUE(uniform.uniform("services/a/src/gen"));
}

TEST(UniformBelow, WildcardsBelowTheDirectoryMakeItMixed) {
  EXPECT_FALSE(of({"site/docs/**/*.html"}).uniform("site/docs/p1"));
  EXPECT_FALSE(of({"site/*.html"}).uniform("site"));
  EXPECT_FALSE(of({"*.log"}).uniform("services/a"));  // a name at any depth
  EXPECT_FALSE(of({"**/build/"}).uniform("services/a"));
  EXPECT_TRUE(of({"*/a/"}).uniform("services/a/src"));
  EXPECT_FALSE(of({"*/a/*.py"}).uniform("services/a"));
}

TEST(UniformBelow, MixedListsThePatternsThatCutThroughTheDirectory) {
  const UniformBelow excludes = of({"services/a/", "services/a/gen/", "**/*.pb.go", "/other/"});
  std::vector<std::string> sources;
  for (const Pattern* pattern : excludes.mixed("services/a")) sources.push_back(pattern->source());
  std::sort(sources.begin(), sources.end());
  EXPECT_EQ(sources, (std::vector<std::string>{"**/*.pb.go", "services/a/gen/"}));
  EXPECT_EQ(excludes.mixed("services/a/gen").size(), 1U);  // **/*.pb.go
}

TEST(UniformBelow, NoPatternsIsUniform) { EXPECT_TRUE(of({}).uniform("a/b")); }

}  // namespace
}  // namespace svcdiff::match
