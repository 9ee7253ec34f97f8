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

// The dependency graph as Mermaid or Graphviz text, nodes with `marked[i]`
// highlighted (the changed services).
std::string graph_text(const graph::DependencyGraph& graph, const std::vector<bool>& marked,
                       GraphFormat format);

}  // namespace svcdiff::output
