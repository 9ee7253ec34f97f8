#include "graph/dependency_graph.hpp"

#include <algorithm>
#include <deque>
#include <unordered_map>

#include "core/error.hpp"
#include "core/suggest.hpp"

namespace svcdiff::graph {
DependencyGraph::DependencyGraph(std::vector<NodeSpec> nodes)
    : nodes_(std::move(nodes)),
      deps_(nodes_.size()),
      rdeps_(nodes_.size()),
      sources_(nodes_.size()) {
  index_.reserve(nodes_.size());
  for (std::size_t i = 0; i < nodes_.size(); ++i) index_.emplace(nodes_[i].name, i);
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    for (std::size_t k = 0; k < nodes_[i].depends_on.size(); ++k) {
      const std::string& dep = nodes_[i].depends_on[k];
      // Point at the entry itself when its position is known.
      const auto& entries = nodes_[i].depends_on_where;
      const Location& at = k < entries.size() && entries[k].known() ? entries[k] : nodes_[i].where;
      auto it = index_.find(dep);
      if (it == index_.end()) {
        throw config_error_at(
            at, "service `" + nodes_[i].name + "` depends on unknown service `" + dep + "`" +
                    did_you_mean(dep, names(),
                                 "; define it under `services` or remove it from `depends_on`"));
      }
      if (it->second == i) {
        throw config_error_at(
            at, "service `" + dep + "` depends on itself; remove it from its `depends_on`");
      }
      if (std::find(deps_[i].begin(), deps_[i].end(), it->second) == deps_[i].end()) {
        deps_[i].push_back(it->second);
        rdeps_[it->second].push_back(i);
        sources_[i].push_back(kExplicitEdge);
      }
    }
  }
  check_explicit_cycles();
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    for (std::size_t k = 0; k < nodes_[i].inferred.size(); ++k) {
      const InferredEdge& edge = nodes_[i].inferred[k];
      auto it = index_.find(edge.to);
      if (it == index_.end()) {
        throw config_error_at(nodes_[i].where, "service `" + nodes_[i].name + "`: " + edge.source +
                                                   " names unknown service `" + edge.to + "`");
      }
      if (it->second == i ||
          std::find(deps_[i].begin(), deps_[i].end(), it->second) != deps_[i].end()) {
        continue;
      }
      deps_[i].push_back(it->second);
      rdeps_[it->second].push_back(i);
      sources_[i].push_back(static_cast<std::uint32_t>(k));
    }
  }
  find_components();
}

const std::string& DependencyGraph::edge_source(std::size_t i, std::size_t dep) const {
  static const std::string kExplicit;
  for (std::size_t k = 0; k < deps_[i].size(); ++k) {
    if (deps_[i][k] != dep) continue;
    if (sources_[i][k] == kExplicitEdge) return kExplicit;
    return nodes_[i].inferred[sources_[i][k]].source;
  }
  return kExplicit;
}

std::vector<std::string> DependencyGraph::names() const {
  std::vector<std::string> names;
  names.reserve(nodes_.size());
  for (const auto& node : nodes_) names.push_back(node.name);
  return names;
}

void DependencyGraph::check_explicit_cycles() const {
  // Cycle check by iterative DFS with colours; on a back edge, print the path.
  enum class Colour { white, grey, black };
  std::vector<Colour> colour(nodes_.size(), Colour::white);
  // One stack for every start: most services start a walk of their own.
  std::vector<std::pair<std::size_t, std::size_t>> stack;
  for (std::size_t start = 0; start < nodes_.size(); ++start) {
    if (colour[start] != Colour::white) continue;
    stack.assign(1, {start, 0});
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

void DependencyGraph::find_components() {
  // Tarjan's algorithm, iterative: a component is complete once everything
  // it reaches is, so numbering them in completion order puts dependencies first.
  const std::size_t n = nodes_.size();
  std::vector<std::size_t> order(n, npos);
  std::vector<std::size_t> low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<std::size_t> stack;
  std::size_t counter = 0;
  component_.assign(n, npos);
  // Reused for every start and component: most services are both of their own.
  std::vector<std::pair<std::size_t, std::size_t>> calls;
  std::vector<std::size_t> members;
  for (std::size_t start = 0; start < n; ++start) {
    if (order[start] != npos) continue;
    calls.assign(1, {start, 0});
    order[start] = low[start] = counter++;
    stack.push_back(start);
    on_stack[start] = true;
    while (!calls.empty()) {
      const std::size_t node = calls.back().first;
      std::size_t& next = calls.back().second;
      if (next < deps_[node].size()) {
        std::size_t dep = deps_[node][next++];
        if (order[dep] == npos) {
          order[dep] = low[dep] = counter++;
          stack.push_back(dep);
          on_stack[dep] = true;
          calls.emplace_back(dep, 0);
        } else if (on_stack[dep]) {
          low[node] = std::min(low[node], order[dep]);
        }
        continue;
      }
      if (low[node] == order[node]) {
        members.clear();
        std::size_t member = npos;
        do {
          member = stack.back();
          stack.pop_back();
          on_stack[member] = false;
          component_[member] = component_count_;
          members.push_back(member);
        } while (member != node);
        ++component_count_;
        if (members.size() > 1) warn_cycle(members);
      }
      calls.pop_back();
      if (!calls.empty()) low[calls.back().first] = std::min(low[calls.back().first], low[node]);
    }
  }
}

// A real monorepo's cycle can hold a hundred services and six hundred
// edges (babel's): the warning names the first few of each and says how
// many more there are, so it stays a line a log can show.
constexpr std::size_t kCycleNamesShown = 10;
constexpr std::size_t kCycleEdgesShown = 6;

void DependencyGraph::warn_cycle(std::vector<std::size_t> members) {
  std::sort(members.begin(), members.end(),
            [&](std::size_t a, std::size_t b) { return nodes_[a].name < nodes_[b].name; });
  std::string names;
  std::string files;
  std::size_t edges = 0;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const std::size_t member = members[i];
    if (i < kCycleNamesShown) names += (names.empty() ? "" : ", ") + nodes_[member].name;
    for (std::size_t k = 0; k < deps_[member].size(); ++k) {
      const std::string& source = edge_source(member, deps_[member][k]);
      if (component_[deps_[member][k]] != component_[member] || source.empty()) continue;
      if (++edges <= kCycleEdgesShown) files += (files.empty() ? "" : "; ") + source;
    }
  }
  if (members.size() > kCycleNamesShown) {
    names += " and " + std::to_string(members.size() - kCycleNamesShown) + " more";
  }
  if (edges > kCycleEdgesShown) {
    files += "; and " + std::to_string(edges - kCycleEdgesShown) +
             " more, which `svcdiff graph` and `svcdiff list --json` show";
  }
  warnings_.push_back("services " + names +
                      " depend on each other through dependencies inferred from their manifests (" +
                      files + "); they share one wave");
}

std::size_t DependencyGraph::find(const std::string& name) const {
  const auto it = index_.find(name);
  return it == index_.end() ? npos : it->second;
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
  // Per component (a cycle through inferred edges is one): below[c] is the
  // number of components with a selected node on the longest chain strictly
  // below c. Components are numbered dependencies first, so one pass works.
  std::vector<std::vector<std::size_t>> members(component_count_);
  std::vector<bool> any_selected(component_count_, false);
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    members[component_[i]].push_back(i);
    if (selected[i]) any_selected[component_[i]] = true;
  }
  std::vector<int> below(component_count_, 0);
  for (std::size_t c = 0; c < component_count_; ++c) {
    for (std::size_t node : members[c]) {
      for (std::size_t dep : deps_[node]) {
        std::size_t d = component_[dep];
        if (d != c) below[c] = std::max(below[c], below[d] + (any_selected[d] ? 1 : 0));
      }
    }
  }
  std::vector<int> result(nodes_.size(), -1);
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (selected[i]) result[i] = below[component_[i]];
  }
  return result;
}

std::vector<std::vector<std::size_t>> DependencyGraph::nearest_selected_dependencies(
    const std::vector<bool>& selected) const {
  std::vector<std::vector<std::size_t>> result(nodes_.size());
  std::vector<std::size_t> visited_by(nodes_.size(), npos);  // the walk that last saw a node
  for (std::size_t start = 0; start < nodes_.size(); ++start) {
    if (!selected[start]) continue;
    std::vector<std::size_t> stack(deps_[start].begin(), deps_[start].end());
    while (!stack.empty()) {
      std::size_t node = stack.back();
      stack.pop_back();
      if (visited_by[node] == start) continue;
      visited_by[node] = start;
      if (selected[node]) {
        result[start].push_back(node);
      } else {
        stack.insert(stack.end(), deps_[node].begin(), deps_[node].end());
      }
    }
    std::sort(result[start].begin(), result[start].end());
  }
  return result;
}

}  // namespace svcdiff::graph
