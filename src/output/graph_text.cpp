#include "output/graph_text.hpp"

#include <algorithm>
#include <sstream>

#include "core/path_text.hpp"

namespace svcdiff::output {
namespace {

// A manifest entry on one line (a mermaid comment ends at the newline).
std::string one_line(const std::string& text) {
  std::string out = json_safe(text);
  std::replace(out.begin(), out.end(), '\n', ' ');
  std::replace(out.begin(), out.end(), '\r', ' ');
  return out;
}

std::string dot_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// Names are valid CodeBuild project names ([A-Za-z0-9_-]): quoted, they are
// safe in both languages. Mermaid ids are not quoted, and a name such as
// `end` or `a--b` breaks its parser, so nodes there are s0, s1, ...
bool any_marked(const std::vector<NodeMark>& marks) {
  return std::any_of(marks.begin(), marks.end(),
                     [](NodeMark mark) { return mark != NodeMark::none; });
}

std::string mermaid(const graph::DependencyGraph& graph, const std::vector<NodeMark>& marks) {
  std::ostringstream out;
  auto id = [](std::size_t i) { return "s" + std::to_string(i); };
  out << "graph TD\n";
  for (std::size_t i = 0; i < graph.size(); ++i) {
    const auto& node = graph.node(i);
    out << "  " << id(i) << (node.build ? "[\"" : "[(\"") << node.name
        << (node.build ? "\"]" : "\")]") << "\n";
  }
  for (std::size_t i = 0; i < graph.size(); ++i) {
    for (std::size_t dep : graph.dependencies(i)) {
      const std::string& source = graph.edge_source(i, dep);
      if (source.empty()) {
        out << "  " << id(i) << " --> " << id(dep) << "\n";
      } else {
        // Dashed: inferred from a manifest, which the comment names.
        out << "  %% inferred from " << one_line(source) << "\n";
        out << "  " << id(i) << " -.-> " << id(dep) << "\n";
      }
    }
  }
  if (!any_marked(marks)) return out.str();
  std::string changed = "legend_changed";
  std::string dependent = "legend_dependent";
  for (std::size_t i = 0; i < graph.size(); ++i) {
    if (marks[i] == NodeMark::changed) changed += "," + id(i);
    if (marks[i] == NodeMark::dependent) dependent += "," + id(i);
  }
  out << "  subgraph legend [Legend]\n"
      << "    legend_changed[\"changed\"]\n"
      << "    legend_dependent[\"selected: a dependency changed\"]\n"
      << "  end\n";
  out << "  classDef changed fill:#f96,stroke:#333\n";
  out << "  classDef dependent fill:#fd8,stroke:#333,stroke-dasharray:4\n";
  out << "  class " << changed << " changed\n";
  out << "  class " << dependent << " dependent\n";
  return out.str();
}

std::string dot(const graph::DependencyGraph& graph, const std::vector<NodeMark>& marks) {
  std::ostringstream out;
  out << "digraph svcdiff {\n  rankdir=LR;\n";
  for (std::size_t i = 0; i < graph.size(); ++i) {
    const auto& node = graph.node(i);
    out << "  \"" << node.name << "\" [shape=" << (node.build ? "box" : "ellipse");
    if (marks[i] == NodeMark::changed) out << ", style=filled, fillcolor=orange";
    if (marks[i] == NodeMark::dependent) out << ", style=\"filled,dashed\", fillcolor=khaki";
    out << "];\n";
  }
  for (std::size_t i = 0; i < graph.size(); ++i) {
    for (std::size_t dep : graph.dependencies(i)) {
      out << "  \"" << graph.node(i).name << "\" -> \"" << graph.node(dep).name << "\"";
      const std::string& source = graph.edge_source(i, dep);
      if (!source.empty()) {
        out << " [style=dashed, tooltip=\"" << dot_escaped("inferred from " + one_line(source))
            << "\"]";
      }
      out << ";\n";
    }
  }
  if (any_marked(marks)) {
    out << "  subgraph cluster_legend {\n    label=\"Legend\";\n"
        << "    legend_changed [label=\"changed\", shape=box, style=filled, "
           "fillcolor=orange];\n"
        << "    legend_dependent [label=\"selected: a dependency changed\", shape=box, "
           "style=\"filled,dashed\", fillcolor=khaki];\n  }\n";
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

std::string graph_text(const graph::DependencyGraph& graph, const std::vector<NodeMark>& marks,
                       GraphFormat format) {
  return format == GraphFormat::mermaid ? mermaid(graph, marks) : dot(graph, marks);
}

}  // namespace svcdiff::output
