#include "cache/linked_services.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace svcdiff::cache {
namespace {

using Names = std::vector<std::string>;

// web -> mid -> lib; lib -> base; ping <-> pong; lone has no edge.
const InferredEdges kEdges = {
    {"lib", "base", "s"},  {"mid", "lib", "s"}, {"ping", "pong", "s"},
    {"pong", "ping", "s"}, {"web", "mid", "s"},
};

TEST(LinkedServices, DependentsAtEveryLevelAndTheirDependencies) {
  // lib's dependents two levels up, and what lib itself depends on.
  EXPECT_EQ(linked_services(kEdges, {"lib"}), (Names{"base", "lib", "mid", "web"}));
}

TEST(LinkedServices, DependenciesOfADependentAreNotFollowedUp) {
  // mid's dependencies are needed (lib, base), their other dependents not.
  const InferredEdges edges = {{"mid", "lib", "s"}, {"other", "lib", "s"}};
  EXPECT_EQ(linked_services(edges, {"mid"}), (Names{"lib", "mid"}));
}

TEST(LinkedServices, ACycleComesWhole) {
  EXPECT_EQ(linked_services(kEdges, {"pong"}), (Names{"ping", "pong"}));
}

TEST(LinkedServices, NamesWithoutEdgesStaySortedOnce) {
  EXPECT_EQ(linked_services(kEdges, {"lone", "gone", "lone"}), (Names{"gone", "lone"}));
  EXPECT_EQ(linked_services({}, {"b", "a"}), (Names{"a", "b"}));
}

}  // namespace
}  // namespace svcdiff::cache
