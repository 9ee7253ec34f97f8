#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/dependency_graph.hpp"

namespace svcdiff::output {

enum class GraphFormat { mermaid, dot };

// Parses a `graph --format` value; nullopt when unknown.
std::optional<GraphFormat> parse_graph_format(std::string_view name);
const std::vector<std::string>& graph_format_names();

// How a node is drawn: not selected, changed itself, or selected because
// something it depends on changed.
enum class NodeMark { none, changed, dependent };

// The dependency graph as Mermaid or Graphviz text, nodes drawn as `marks`
// says, with a legend when anything is marked.
std::string graph_text(const graph::DependencyGraph& graph, const std::vector<NodeMark>& marks,
                       GraphFormat format);

}  // namespace svcdiff::output
