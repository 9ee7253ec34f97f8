#include "output/graph_text.hpp"

#include <sstream>

namespace svcdiff::output {
namespace {

// Names are valid CodeBuild project names ([A-Za-z0-9_-]): quoted, they are
// safe in both languages. Mermaid ids are not quoted, and a name such as
// `end` or `a--b` breaks its parser, so nodes there are s0, s1, ...
std::string mermaid(const graph::DependencyGraph& graph, const std::vector<bool>& marked) {
  std::ostringstream out;
  auto id = [](std::size_t i) { return "s" + std::to_string(i); };
  out << "graph TD\n";
  for (std::size_t i = 0; i < graph.size(); ++i) {
    const auto& node = graph.node(i);
    out << "  " << id(i) << (node.build ? "[\"" : "[(\"") << node.name
        << (node.build ? "\"]" : "\")]") << "\n";
  }
  for (std::size_t i = 0; i < graph.size(); ++i) {
    for (std::size_t dep : graph.dependencies(i))
      out << "  " << id(i) << " --> " << id(dep) << "\n";
  }
  std::string changed;
  for (std::size_t i = 0; i < graph.size(); ++i) {
    if (marked[i]) changed += (changed.empty() ? "" : ",") + id(i);
  }
  if (!changed.empty()) {
    out << "  classDef changed fill:#f96,stroke:#333\n";
    out << "  class " << changed << " changed\n";
  }
  return out.str();
}

std::string dot(const graph::DependencyGraph& graph, const std::vector<bool>& marked) {
  std::ostringstream out;
  out << "digraph svcdiff {\n  rankdir=LR;\n";
  for (std::size_t i = 0; i < graph.size(); ++i) {
    const auto& node = graph.node(i);
    out << "  \"" << node.name << "\" [shape=" << (node.build ? "box" : "ellipse");
    if (marked[i]) out << ", style=filled, fillcolor=orange";
    out << "];\n";
  }
  for (std::size_t i = 0; i < graph.size(); ++i) {
    for (std::size_t dep : graph.dependencies(i)) {
      out << "  \"" << graph.node(i).name << "\" -> \"" << graph.node(dep).name << "\";\n";
    }
  }
  out << "}\n";
  return out.str();
}

}  // namespace

std::optional<GraphFormat> parse_graph_format(std::string_view name) {
  if (name == "mermaid") return GraphFormat::mermaid;
  if (name == "dot") return GraphFormat::dot;
  return std::nullopt;
}

const std::vector<std::string>& graph_format_names() {
  static const std::vector<std::string> names{"mermaid", "dot"};
  return names;
}

std::string graph_text(const graph::DependencyGraph& graph, const std::vector<bool>& marked,
                       GraphFormat format) {
  return format == GraphFormat::mermaid ? mermaid(graph, marked) : dot(graph, marked);
}

}  // namespace svcdiff::output
