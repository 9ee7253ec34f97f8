#pragma once

#include <string>
#include <vector>

#include "config/discovery.hpp"
#include "config/model.hpp"
#include "graph/dependency_graph.hpp"
#include "plan/selection.hpp"

namespace svcdiff::output {

// What `explain` prints about: the services (indices into `services`, in the
// order asked) and the discovered services whose directory is gone at head.
struct ExplainInput {
  const std::vector<config::Service>& services;
  const plan::Selection& selection;
  const graph::DependencyGraph& graph;  // same indices as `services`; names inferred edges
  std::vector<std::size_t> wanted;
  std::vector<config::DiscoveredDirectory> gone;
};

// Why each service is (not) selected, one paragraph per service. Built only
// from the selection, so it cannot disagree with `changed`.
std::string explain_text(const ExplainInput& input);

}  // namespace svcdiff::output
