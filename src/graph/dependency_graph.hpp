#pragma once

#include <cstdint>
#include <memory>
#include <memory_resource>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"

namespace svcdiff::graph {

// A dependency a package manifest declares (`infer`, SPEC §4).
struct InferredEdge {
  std::string to;
  std::string source;  // "services/web/package.json: \"@acme/common\": \"workspace:*\""
};

// One node as the config declares it. `depends_on` names other nodes.
struct NodeSpec {
  std::string name;
  std::vector<std::string> depends_on;
  bool build = true;                       // false: a library, never listed itself
  Location where;                          // for messages; may be unknown
  std::vector<Location> depends_on_where;  // the same for each depends_on entry, if known
  std::vector<InferredEdge> inferred;      // joins depends_on; an explicit edge wins
};

// The dependency graph of all services and libraries. Construction checks
// that every dependency exists ("did you mean") and that explicit edges form
// no cycle (the message prints the cycle); both throw svcdiff::Error
// (config). A cycle that needs an inferred edge is a warning instead: its
// services form one component and share one wave.
class DependencyGraph {
 public:
  explicit DependencyGraph(std::vector<NodeSpec> nodes);
  // Not copyable: index_ views the names held in nodes_ (a move keeps them).
  // Not assignable: index_'s nodes live in the graph's own arena.
  DependencyGraph(const DependencyGraph&) = delete;
  DependencyGraph& operator=(const DependencyGraph&) = delete;
  DependencyGraph(DependencyGraph&&) = default;
  DependencyGraph& operator=(DependencyGraph&&) = delete;

  std::size_t size() const { return nodes_.size(); }
  const NodeSpec& node(std::size_t i) const { return nodes_[i]; }
  // Index of `name`, or npos.
  std::size_t find(const std::string& name) const;
  const std::vector<std::size_t>& dependencies(std::size_t i) const { return deps_[i]; }
  const std::vector<std::size_t>& dependents(std::size_t i) const { return rdeps_[i]; }
  // Where the edge i -> dep comes from: empty for an explicit `depends_on`,
  // else the manifest entry that declares it.
  const std::string& edge_source(std::size_t i, std::size_t dep) const;
  // One line per cycle through inferred edges, naming its services and files.
  const std::vector<std::string>& warnings() const { return warnings_; }
  // The strongly connected component of node i. Nodes share one exactly when
  // they depend on each other (a cycle, which needs an inferred edge); every
  // edge leads to a component of the same or a lower number.
  std::size_t component(std::size_t i) const { return component_[i]; }
  std::size_t component_count() const { return component_count_; }

  // For every node, the dependency through which it was reached from `seeds`
  // (npos for a seed itself or a node not reached). reached[i] says whether
  // node i is a seed or depends, directly or not, on one.
  struct Closure {
    std::vector<bool> reached;
    std::vector<std::size_t> via;
  };
  Closure dependents_closure(const std::vector<bool>& seeds) const;

  // Wave of each node among `selected`: 0 when nothing selected lies below
  // it, else one more than the highest selected node it depends on (through
  // unselected nodes too). Unselected nodes get -1.
  std::vector<int> waves(const std::vector<bool>& selected) const;

  // For each node among `selected`, the selected nodes it depends on with no
  // selected node between (the walk goes through unselected ones), sorted by
  // index; empty for unselected nodes. A build that waits on one of these is
  // exactly a build that must not start when one of them failed.
  std::vector<std::vector<std::size_t>> nearest_selected_dependencies(
      const std::vector<bool>& selected) const;

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

 private:
  std::vector<NodeSpec> nodes_;
  std::vector<std::vector<std::size_t>> deps_;
  std::vector<std::vector<std::size_t>> rdeps_;
  // Parallel to deps_: the edge's index in nodes_[i].inferred, or kExplicitEdge.
  std::vector<std::vector<std::uint32_t>> sources_;
  static constexpr std::uint32_t kExplicitEdge = static_cast<std::uint32_t>(-1);
  // name -> node. Its nodes (one a service, thousands) come from one arena,
  // on the heap so that a move keeps it in place.
  std::unique_ptr<std::pmr::monotonic_buffer_resource> arena_ =
      std::make_unique<std::pmr::monotonic_buffer_resource>();
  std::pmr::unordered_map<std::string_view, std::size_t> index_{arena_.get()};
  // Strongly connected components, numbered so that every edge leads to a
  // component of the same or a lower number (dependencies first).
  std::vector<std::size_t> component_;
  std::size_t component_count_ = 0;
  std::vector<std::string> warnings_;

  std::vector<std::string> names() const;  // for "did you mean"
  void check_explicit_cycles() const;
  void find_components();
  void warn_cycle(std::vector<std::size_t> members);
};

}  // namespace svcdiff::graph
