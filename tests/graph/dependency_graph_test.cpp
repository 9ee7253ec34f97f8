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

// What a state machine must wait for: the nearest selected services below,
// looking through libraries and unselected services, never past a selected one.
TEST(DependencyGraph, NearestSelectedDependenciesLookThroughTheUnselected) {
  auto g = make({{"base", {}, true, {}},
                 {"lib", {"base"}, false, {}},
                 {"mid", {"base"}, true, {}},
                 {"a", {"lib", "mid"}, true, {}},
                 {"b", {"a", "lib"}, true, {}},
                 {"lone", {}, true, {}}});
  auto nearest = g.nearest_selected_dependencies(only(g, {"base", "mid", "a", "b", "lone"}));
  auto names = [&](const char* node) {
    std::vector<std::string> out;
    for (std::size_t i : nearest[g.find(node)]) out.push_back(g.node(i).name);
    return out;
  };
  EXPECT_EQ(names("a"), (std::vector<std::string>{"base", "mid"}));  // base through lib
  EXPECT_EQ(names("b"), (std::vector<std::string>{"base", "a"}));    // not mid: a stands between
  EXPECT_TRUE(names("base").empty());
  EXPECT_TRUE(names("lone").empty());
  EXPECT_TRUE(names("lib").empty());  // not selected
  // With mid unselected, a waits for base alone (through both paths).
  nearest = g.nearest_selected_dependencies(only(g, {"base", "a"}));
  EXPECT_EQ(names("a"), (std::vector<std::string>{"base"}));
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
  nodes.reserve(5000);
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

// A node whose edges come from manifests (`infer`).
NodeSpec inferred(const std::string& name, std::vector<InferredEdge> edges,
                  std::vector<std::string> depends_on = {}) {
  NodeSpec node{name, std::move(depends_on), true, {"svcdiff.yml:1:1"}};
  node.inferred = std::move(edges);
  return node;
}

TEST(DependencyGraph, InferredEdgesJoinAndKeepTheirSource) {
  auto g = make({{"common", {}, false, {}},
                 inferred("web", {{"common", "web/package.json: \"common\": \"*\""}}),
                 inferred("api", {{"common", "api/package.json: x"}}, {"common"})});
  EXPECT_EQ(g.edge_source(g.find("web"), g.find("common")), "web/package.json: \"common\": \"*\"");
  // An explicit entry wins over the same inferred edge.
  EXPECT_EQ(g.edge_source(g.find("api"), g.find("common")), "");
  EXPECT_EQ(g.dependencies(g.find("api")).size(), 1u);
  auto closure = g.dependents_closure(only(g, {"common"}));
  EXPECT_TRUE(closure.reached[g.find("web")]);
  EXPECT_TRUE(g.warnings().empty());
}

// find() and edge_source() read an index built once; a moved graph keeps it.
TEST(DependencyGraph, FindsEveryNodeAndEdgeSourceAfterAMove) {
  std::vector<NodeSpec> nodes;
  for (int i = 0; i < 300; ++i) {
    NodeSpec node{"svc_" + std::to_string(i), {}, true, {}, {}, {}};
    // Long names too: the index must not depend on short-string storage.
    if (i % 2 == 1) node.name += std::string(40, 'x');
    if (i > 0) node.inferred.push_back({nodes[i / 2].name, "p" + std::to_string(i)});
    if (i > 2) node.depends_on.push_back(nodes[i / 3].name);
    nodes.push_back(std::move(node));
  }
  const std::vector<NodeSpec> specs = nodes;
  DependencyGraph moved_from(std::move(nodes));
  const DependencyGraph g(std::move(moved_from));
  for (std::size_t i = 0; i < specs.size(); ++i) {
    ASSERT_EQ(g.find(specs[i].name), i);
    if (i == 0) continue;
    const std::size_t half = g.find(specs[i / 2].name);
    const bool explicit_too = i > 2 && i / 3 == i / 2;
    EXPECT_EQ(g.edge_source(i, half), explicit_too ? "" : "p" + std::to_string(i));
  }
  EXPECT_EQ(g.find("svc_1"), DependencyGraph::npos);
  EXPECT_EQ(g.find("nope"), DependencyGraph::npos);
}

TEST(DependencyGraph, CycleThroughAnInferredEdgeWarnsAndSharesOneWave) {
  // babel's shape: core and its test runner depend on each other (devDependencies).
  auto g = make({{"base", {}, true, {}},
                 inferred("core", {{"runner", "core/package.json: \"runner\": \"*\""}}, {"base"}),
                 inferred("runner", {{"core", "runner/package.json: \"core\": \"*\""}}),
                 {"app", {"runner"}, true, {}}});
  ASSERT_EQ(g.warnings().size(), 1u);
  EXPECT_EQ(g.warnings()[0],
            "services core, runner depend on each other through dependencies inferred from their "
            "manifests (core/package.json: \"runner\": \"*\"; runner/package.json: \"core\": "
            "\"*\"); they share one wave");
  auto waves = g.waves(std::vector<bool>(g.size(), true));
  EXPECT_EQ(waves[g.find("base")], 0);
  EXPECT_EQ(waves[g.find("core")], 1);
  EXPECT_EQ(waves[g.find("runner")], 1);
  EXPECT_EQ(waves[g.find("app")], 2);
  auto closure = g.dependents_closure(only(g, {"runner"}));
  EXPECT_TRUE(closure.reached[g.find("core")]);
  EXPECT_TRUE(closure.reached[g.find("app")]);
  EXPECT_FALSE(closure.reached[g.find("base")]);
}

// babel's cycle holds 97 services and some 600 edges: the warning names the
// first ten services (by name) and six edges, and counts the rest.
TEST(DependencyGraph, ALargeCycleWarnsInOneShortLine) {
  std::vector<NodeSpec> specs;
  for (int i = 0; i < 25; ++i) {
    const std::string name = "s" + std::to_string(100 + i);
    const std::string next = "s" + std::to_string(100 + (i + 1) % 25);
    const std::string after = "s" + std::to_string(100 + (i + 2) % 25);
    specs.push_back(
        inferred(name, {{next, name + "/package.json: n"}, {after, name + "/package.json: a"}}));
  }
  auto g = make(specs);
  ASSERT_EQ(g.warnings().size(), 1u);
  EXPECT_EQ(
      g.warnings()[0],
      "services s100, s101, s102, s103, s104, s105, s106, s107, s108, s109 and 15 more depend "
      "on each other through dependencies inferred from their manifests (s100/package.json: "
      "n; s100/package.json: a; s101/package.json: n; s101/package.json: a; "
      "s102/package.json: n; s102/package.json: a; and 44 more, which `svcdiff graph` and "
      "`svcdiff list --json` show); they share one wave");
}

TEST(DependencyGraph, ExplicitCycleStaysAnErrorWhateverIsInferred) {
  try {
    make({inferred("a", {{"c", "a/package.json: x"}}, {"b"}),
          {"b", {"a"}, true, {"svcdiff.yml:4:3"}},
          {"c", {}, true, {}}});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::config);
    EXPECT_NE(std::string(error.what()).find("dependency cycle"), std::string::npos);
  }
}

}  // namespace
}  // namespace svcdiff::graph
