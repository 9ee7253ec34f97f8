#include "core/suggest.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace svcdiff {
namespace {

const std::vector<std::string> kServiceKeys = {"paths",     "exclude", "depends_on", "project",
                                               "buildspec", "vars",    "build"};
const std::vector<std::string> kCommands = {"changed", "explain",    "list", "owners",
                                            "match",   "graph",      "asl",  "validate",
                                            "schema",  "fingerprint"};

TEST(Suggest, FindsAMissingLetter) {
  EXPECT_EQ(nearest("depend_on", kServiceKeys), "depends_on");
  EXPECT_EQ(nearest("bild", kServiceKeys), "build");
}

TEST(Suggest, FindsSwappedLetters) {
  EXPECT_EQ(nearest("pahts", kServiceKeys), "paths");
  EXPECT_EQ(nearest("chagned", kCommands), "changed");
}

TEST(Suggest, FindsAnExtraOrWrongLetter) {
  EXPECT_EQ(nearest("projects", kServiceKeys), "project");
  EXPECT_EQ(nearest("validste", kCommands), "validate");
}

TEST(Suggest, IgnoresCase) { EXPECT_EQ(nearest("Paths", kServiceKeys), "paths"); }

TEST(Suggest, AllowsMoreEditsForLongerWords) {
  EXPECT_EQ(nearest("depends", kServiceKeys), "depends_on");
  EXPECT_EQ(nearest("fingerprnt", kCommands), "fingerprint");
}

TEST(Suggest, SuggestsNothingForUnrelatedWords) {
  EXPECT_EQ(nearest("docker", kServiceKeys), std::nullopt);
  EXPECT_EQ(nearest("deploy", kCommands), std::nullopt);
  EXPECT_EQ(nearest("x", {"y"}), std::nullopt);
  EXPECT_EQ(nearest("ab", {"cd"}), std::nullopt);
}

TEST(Suggest, SuggestsNothingForEmptyInput) {
  EXPECT_EQ(nearest("", kServiceKeys), std::nullopt);
  EXPECT_EQ(nearest("paths", {}), std::nullopt);
}

TEST(Suggest, PrefersTheClosestThenTheFirstCandidate) {
  EXPECT_EQ(nearest("servce_b", {"service_a", "service_b"}), "service_b");
  EXPECT_EQ(nearest("service_c", {"service_a", "service_b"}), "service_a");
}

TEST(Suggest, ExactMatchIsItsOwnNearest) { EXPECT_EQ(nearest("vars", kServiceKeys), "vars"); }

TEST(Suggest, StaysFastOnLongWordsAndManyCandidates) {
  std::vector<std::string> names;
  names.reserve(20000);
  for (int i = 0; i < 20000; ++i)
    names.push_back("service_" + std::to_string(i) + std::string(200, 'x'));
  EXPECT_EQ(nearest(std::string(4000, 'y'), names), std::nullopt);
  EXPECT_EQ(nearest("servise_123" + std::string(200, 'x'), names),
            "service_123" + std::string(200, 'x'));
}

}  // namespace
}  // namespace svcdiff
