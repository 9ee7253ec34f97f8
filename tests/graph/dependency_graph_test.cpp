#include "graph/dependency_graph.hpp"

#include <gtest/gtest.h>

#include "cli/run.hpp"
#include "core/error.hpp"

namespace svcdiff::graph {
namespace {

DependencyGraph make(std::vector<NodeSpec> nodes) { return DependencyGraph(std::move(nodes)); }

std::vector<bool> only(const DependencyGraph& g, std::initializer_list<const char*> names) {
  std::vector<bool> set(g.size(), false);
  for (const char* name : names) set[g.find(name)] = true;
  return set;
}

TEST(DependencyGraph, DependentsClosureIsTransitive) {
  auto g = make({{"common", {}, false, {}},
                 {"a", {"common"}, true, {}},
                 {"b", {"common"}, true, {}},
                 {"c", {"a"}, true, {}},
                 {"d", {}, true, {}}});
  auto closure = g.dependents_closure(only(g, {"common"}));
  EXPECT_TRUE(closure.reached[g.find("common")]);
  EXPECT_TRUE(closure.reached[g.find("a")]);
  EXPECT_TRUE(closure.reached[g.find("b")]);
  EXPECT_TRUE(closure.reached[g.find("c")]);
  EXPECT_FALSE(closure.reached[g.find("d")]);
  EXPECT_EQ(closure.via[g.find("c")], g.find("a"));
  EXPECT_EQ(closure.via[g.find("a")], g.find("common"));
  EXPECT_EQ(closure.via[g.find("common")], DependencyGraph::npos);
}

TEST(DependencyGraph, WavesCountOnlySelectedServices) {
  // c -> a -> lib -> b : with lib unselected, a still waits for b.
  auto g = make({{"b", {}, true, {}},
                 {"lib", {"b"}, false, {}},
                 {"a", {"lib"}, true, {}},
                 {"c", {"a"}, true, {}}});
  auto waves = g.waves(only(g, {"a", "b", "c"}));
  EXPECT_EQ(waves[g.find("b")], 0);
  EXPECT_EQ(waves[g.find("a")], 1);
  EXPECT_EQ(waves[g.find("c")], 2);
  EXPECT_EQ(waves[g.find("lib")], -1);
  auto partial = g.waves(only(g, {"a", "c"}));
  EXPECT_EQ(partial[g.find("a")], 0);
  EXPECT_EQ(partial[g.find("c")], 1);
}

TEST(DependencyGraph, DiamondWaveIsLongestChain) {
  auto g = make(
      {{"base", {}, true, {}}, {"mid", {"base"}, true, {}}, {"top", {"base", "mid"}, true, {}}});
  auto waves = g.waves(only(g, {"base", "mid", "top"}));
  EXPECT_EQ(waves[g.find("top")], 2);
}

TEST(DependencyGraph, CycleErrorNamesEveryMember) {
  try {
    make({{"a", {"b"}, true, {"svcdiff.yml", 3, 3}},
          {"b", {"c"}, true, {}},
          {"c", {"a"}, true, {}},
          {"d", {}, true, {}}});
    FAIL() << "expected a cycle error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::config);
    std::string message = error.what();
    EXPECT_NE(message.find("dependency cycle: a -> b -> c -> a"), std::string::npos) << message;
    EXPECT_EQ(message.find("-> d"), std::string::npos) << message;
  }
}

TEST(DependencyGraph, UnknownDependencySuggestsNearestName) {
  try {
    make({{"service_A", {"comon"}, true, {"svcdiff.yml", 5, 3}}, {"common", {}, false, {}}});
    FAIL() << "expected an unknown-name error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::config);
    std::string message = cli::error_line(error);
    EXPECT_EQ(message.rfind("svcdiff.yml:5:3: error:", 0), 0u) << message;
    EXPECT_NE(message.find("did you mean `common`?"), std::string::npos) << message;
  }
}

TEST(DependencyGraph, SelfDependencyIsAnError) {
  EXPECT_THROW(make({{"a", {"a"}, true, {}}}), Error);
}

TEST(DependencyGraph, LongChainDoesNotOverflow) {
  std::vector<NodeSpec> nodes;
  for (int i = 0; i < 5000; ++i) {
    nodes.push_back(
        {"s" + std::to_string(i),
         i ? std::vector<std::string>{"s" + std::to_string(i - 1)} : std::vector<std::string>{},
         true,
         {}});
  }
  auto g = make(std::move(nodes));
  auto waves = g.waves(std::vector<bool>(g.size(), true));
  EXPECT_EQ(waves[g.find("s4999")], 4999);
}

}  // namespace
}  // namespace svcdiff::graph
