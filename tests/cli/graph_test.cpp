// `svcdiff graph` end to end: mermaid whose edges name declared nodes, dot
// that Graphviz renders, and changed services marked when there is a base.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

using Edges = std::set<std::pair<std::string, std::string>>;

// Service names that would break mermaid if they were node ids.
constexpr const char* kConfig =
    "version: 1\n"
    "discover:\n"
    "  - {glob: \"services/*\"}\n"
    "services:\n"
    "  common:\n"
    "    paths: [libs/common/]\n"
    "    build: false\n"
    "  api:\n"
    "    depends_on: [common]\n"
    "  end:\n"
    "    depends_on: [common, api]\n"
    "  ops--x:\n"
    "    depends_on: [end]\n";

// A mermaid flowchart read back: node id -> label, edges as label pairs, and
// the labels of the nodes in class `changed`.
struct Mermaid {
  std::map<std::string, std::string> nodes;
  std::set<std::string> libraries;
  Edges edges;
  std::set<std::string> changed;
  std::set<std::string> dependent;
  bool legend = false;
  std::vector<std::string> problems;
};

Mermaid parse_mermaid(const std::string& text) {
  static const std::regex kNode(R"re(  (\w+)\["([^"]+)"\])re");
  static const std::regex kLibrary(R"re(  (\w+)\[\("([^"]+)"\)\])re");
  static const std::regex kEdge(R"re(  (\w+) --> (\w+))re");
  static const std::regex kClass(R"re(  class ([\w,]+) (changed|dependent))re");
  static const std::regex kLegend(R"re(    legend_\w+\["[^"]+"\])re");
  Mermaid graph;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  if (line != "graph TD") graph.problems.push_back("first line: " + line);
  std::vector<std::pair<std::string, std::string>> edge_ids;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, kNode)) {
      graph.nodes[m[1]] = m[2];
    } else if (std::regex_match(line, m, kLibrary)) {
      graph.nodes[m[1]] = m[2];
      graph.libraries.insert(m[2]);
    } else if (std::regex_match(line, m, kEdge)) {
      edge_ids.emplace_back(m[1], m[2]);
    } else if (std::regex_match(line, m, kClass)) {
      std::istringstream ids(m[1].str());
      std::string id;
      auto& marked = m[2] == "changed" ? graph.changed : graph.dependent;
      while (std::getline(ids, id, ',')) {
        if (id.rfind("legend_", 0) == 0) continue;
        if (graph.nodes.count(id) == 0) graph.problems.push_back("class of undeclared " + id);
        marked.insert(graph.nodes[id]);
      }
    } else if (line == "  subgraph legend [Legend]") {
      graph.legend = true;
    } else if (!std::regex_match(line, kLegend) && line != "  end" &&
               line != "  classDef changed fill:#f96,stroke:#333" &&
               line != "  classDef dependent fill:#fd8,stroke:#333,stroke-dasharray:4") {
      graph.problems.push_back("unexpected line: " + line);
    }
  }
  for (const auto& [from, to] : edge_ids) {
    if (graph.nodes.count(from) == 0 || graph.nodes.count(to) == 0) {
      graph.problems.push_back("edge to an undeclared node: " + from + " --> " + to);
      continue;
    }
    graph.edges.emplace(graph.nodes[from], graph.nodes[to]);
  }
  return graph;
}

class GraphTest : public ::testing::Test {
 protected:
  void SetUp() override {
    add_services(repo_, {"api", "end", "ops--x", "solo"});
    repo_.write("libs/common/util.py", "x\n");
    repo_.write("svcdiff.yml", kConfig);
    repo_.commit("monorepo");
    repo_.write("services/api/app.py", "changed\n");
    repo_.commit("api");
  }

  CommandResult graph(std::vector<std::string> args) {
    args.insert(args.begin(), "graph");
    auto result = run_svcdiff(repo_.path(), args);
    EXPECT_EQ(result.status, 0) << result.err;
    return result;
  }

  // Dependent -> dependency, by name.
  const Edges kEdges = {{"api", "common"}, {"end", "common"}, {"end", "api"}, {"ops--x", "end"}};
  TempRepo repo_;
};

TEST_F(GraphTest, MermaidEdgesReferToDeclaredNodes) {
  Mermaid mermaid = parse_mermaid(graph({}).out);
  EXPECT_EQ(mermaid.problems, std::vector<std::string>{});
  EXPECT_EQ(mermaid.nodes.size(), 5u);
  EXPECT_EQ(mermaid.edges, kEdges);
  EXPECT_EQ(mermaid.libraries, std::set<std::string>{"common"});
  EXPECT_TRUE(mermaid.changed.empty());  // no base: nothing marked
  // Names are labels only: `end` would close a mermaid block, `--` start an edge.
  for (const auto& [id, label] : mermaid.nodes) EXPECT_EQ(id.find('-'), std::string::npos) << id;
  EXPECT_EQ(mermaid.nodes.count("end"), 0u);
}

TEST_F(GraphTest, MermaidMarksSelectedServicesWhenGivenABase) {
  Mermaid mermaid = parse_mermaid(graph({"--base", "HEAD~1"}).out);
  EXPECT_EQ(mermaid.problems, std::vector<std::string>{});
  EXPECT_EQ(mermaid.changed, (std::set<std::string>{"api"}));
  EXPECT_EQ(mermaid.dependent, (std::set<std::string>{"end", "ops--x"}));
  EXPECT_TRUE(mermaid.legend);
}

TEST_F(GraphTest, DotRendersWithGraphviz) {
  const std::string dot = graph({"--format", "dot"}).out;
  for (const auto& [from, to] : kEdges) {
    EXPECT_NE(dot.find("  \"" + from + "\" -> \"" + to + "\";\n"), std::string::npos) << dot;
  }
  EXPECT_EQ(dot.find("filled"), std::string::npos) << dot;
  CommandResult svg;
  try {
    svg = run_command({"dot", "-Tsvg"}, repo_.path(), {}, dot);
  } catch (const std::exception& error) {
    FAIL() << "cannot run Graphviz's dot (scripts/install-deps.sh installs it): " << error.what();
  }
  EXPECT_EQ(svg.status, 0) << svg.err << dot;
  EXPECT_EQ(svg.err, "");
  EXPECT_NE(svg.out.find("<svg"), std::string::npos);
}

TEST_F(GraphTest, DotMarksSelectedServicesWhenGivenABase) {
  const std::string dot = graph({"--base", "HEAD~1", "--format", "dot"}).out;
  std::set<std::string> filled;
  static const std::regex kFilled(
      R"re(  "([^"]+)" \[shape=\w+, style=filled, fillcolor=orange\];)re");
  for (std::sregex_iterator it(dot.begin(), dot.end(), kFilled), end; it != end; ++it) {
    filled.insert((*it)[1]);
  }
  EXPECT_EQ(filled, (std::set<std::string>{"api"})) << dot;
  std::set<std::string> dashed;
  static const std::regex kDashed(
      R"re(  "([^"]+)" \[shape=\w+, style="filled,dashed", fillcolor=khaki\];)re");
  for (std::sregex_iterator it(dot.begin(), dot.end(), kDashed), end; it != end; ++it) {
    dashed.insert((*it)[1]);
  }
  EXPECT_EQ(dashed, (std::set<std::string>{"end", "ops--x"})) << dot;
  EXPECT_NE(dot.find("subgraph cluster_legend"), std::string::npos) << dot;
  auto svg = run_command({"dot", "-Tsvg"}, repo_.path(), {}, dot);
  EXPECT_EQ(svg.status, 0) << svg.err;
}

TEST_F(GraphTest, WithoutABaseLogsNoRule) {
  auto result = graph({});
  EXPECT_EQ(result.err.find("rule"), std::string::npos) << result.err;
}

TEST_F(GraphTest, UnknownFormatIsAUsageError) {
  auto result = run_svcdiff(repo_.path(), {"graph", "--format", "png"});
  EXPECT_EQ(result.status, 2);
  EXPECT_NE(result.err.find("use mermaid or dot"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace svcdiff::testing
