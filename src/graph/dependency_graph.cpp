#include "graph/dependency_graph.hpp"

#include <algorithm>
#include <deque>
#include <functional>
#include <unordered_map>

#include "core/error.hpp"
#include "core/suggest.hpp"

namespace svcdiff::graph {
DependencyGraph::DependencyGraph(std::vector<NodeSpec> nodes)
    : nodes_(std::move(nodes)), deps_(nodes_.size()), rdeps_(nodes_.size()) {
  std::unordered_map<std::string, std::size_t> index;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    index.emplace(nodes_[i].name, i);
    names.push_back(nodes_[i].name);
  }
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    for (std::size_t k = 0; k < nodes_[i].depends_on.size(); ++k) {
      const std::string& dep = nodes_[i].depends_on[k];
      // Point at the entry itself when its position is known.
      const auto& entries = nodes_[i].depends_on_where;
      const Location& at = k < entries.size() && entries[k].known() ? entries[k] : nodes_[i].where;
      auto it = index.find(dep);
      if (it == index.end()) {
        throw config_error_at(
            at, "service `" + nodes_[i].name + "` depends on unknown service `" + dep + "`" +
                    did_you_mean(dep, names,
                                 "; define it under `services` or remove it from `depends_on`"));
      }
      if (it->second == i) {
        throw config_error_at(
            at, "service `" + dep + "` depends on itself; remove it from its `depends_on`");
      }
      if (std::find(deps_[i].begin(), deps_[i].end(), it->second) == deps_[i].end()) {
        deps_[i].push_back(it->second);
        rdeps_[it->second].push_back(i);
      }
    }
  }

  // Cycle check by iterative DFS with colours; on a back edge, print the path.
  enum class Colour { white, grey, black };
  std::vector<Colour> colour(nodes_.size(), Colour::white);
  for (std::size_t start = 0; start < nodes_.size(); ++start) {
    if (colour[start] != Colour::white) continue;
    std::vector<std::pair<std::size_t, std::size_t>> stack{{start, 0}};
    colour[start] = Colour::grey;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next == deps_[node].size()) {
        colour[node] = Colour::black;
        stack.pop_back();
        continue;
      }
      std::size_t dep = deps_[node][next++];
      if (colour[dep] == Colour::grey) {
        std::string cycle;
        bool in_cycle = false;
        for (const auto& frame : stack) {
          if (frame.first == dep) in_cycle = true;
          if (in_cycle) cycle += nodes_[frame.first].name + " -> ";
        }
        cycle += nodes_[dep].name;
        throw config_error_at(nodes_[dep].where, "dependency cycle: " + cycle +
                                                     "; remove one of these `depends_on` entries");
      }
      if (colour[dep] == Colour::white) {
        colour[dep] = Colour::grey;
        stack.emplace_back(dep, 0);
      }
    }
  }
}

std::size_t DependencyGraph::find(const std::string& name) const {
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].name == name) return i;
  }
  return npos;
}

DependencyGraph::Closure DependencyGraph::dependents_closure(const std::vector<bool>& seeds) const {
  Closure closure{std::vector<bool>(nodes_.size(), false),
                  std::vector<std::size_t>(nodes_.size(), npos)};
  std::deque<std::size_t> queue;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (i < seeds.size() && seeds[i]) {
      closure.reached[i] = true;
      queue.push_back(i);
    }
  }
  // Breadth first, so `via` names the shortest chain back to a seed.
  while (!queue.empty()) {
    std::size_t node = queue.front();
    queue.pop_front();
    for (std::size_t dependent : rdeps_[node]) {
      if (closure.reached[dependent]) continue;
      closure.reached[dependent] = true;
      closure.via[dependent] = node;
      queue.push_back(dependent);
    }
  }
  return closure;
}

std::vector<int> DependencyGraph::waves(const std::vector<bool>& selected) const {
  // below[i]: the number of selected nodes on the longest chain strictly below i.
  std::vector<int> below(nodes_.size(), -1);
  std::function<int(std::size_t)> level = [&](std::size_t i) -> int {
    if (below[i] >= 0) return below[i];
    int best = 0;
    for (std::size_t dep : deps_[i]) {
      best = std::max(best, level(dep) + (selected[dep] ? 1 : 0));
    }
    return below[i] = best;
  };
  std::vector<int> result(nodes_.size(), -1);
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (selected[i]) result[i] = level(i);
  }
  return result;
}

}  // namespace svcdiff::graph
