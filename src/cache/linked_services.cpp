#include "cache/linked_services.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <unordered_map>

namespace svcdiff::cache {
namespace {

// Marks every node reachable from the marked ones along `next`.
void mark_reachable(const std::vector<std::vector<std::uint32_t>>& next,
                    std::vector<bool>& marked) {
  std::vector<std::uint32_t> stack;
  for (std::uint32_t i = 0; i < marked.size(); ++i) {
    if (marked[i]) stack.push_back(i);
  }
  while (!stack.empty()) {
    const std::uint32_t node = stack.back();
    stack.pop_back();
    for (std::uint32_t other : next[node]) {
      if (marked[other]) continue;
      marked[other] = true;
      stack.push_back(other);
    }
  }
}

}  // namespace

std::vector<std::string> linked_services(const std::vector<InferredEdge>& edges,
                                         std::vector<std::string> names) {
  // Names to small numbers once, then the walks run on numbers.
  std::unordered_map<std::string_view, std::uint32_t> id;
  std::vector<std::string_view> name_of;
  auto number = [&](std::string_view name) {
    auto [it, inserted] = id.try_emplace(name, static_cast<std::uint32_t>(name_of.size()));
    if (inserted) name_of.push_back(name);
    return it->second;
  };
  std::vector<std::vector<std::uint32_t>> dependencies;
  std::vector<std::vector<std::uint32_t>> dependents;
  for (const auto& edge : edges) {
    const std::uint32_t from = number(edge.service);
    const std::uint32_t to = number(edge.dependency);
    if (name_of.size() > dependencies.size()) {
      dependencies.resize(name_of.size());
      dependents.resize(name_of.size());
    }
    dependencies[from].push_back(to);
    dependents[to].push_back(from);
  }
  std::vector<bool> marked(name_of.size(), false);
  for (const auto& name : names) {
    if (auto it = id.find(name); it != id.end()) marked[it->second] = true;
  }
  mark_reachable(dependents, marked);
  mark_reachable(dependencies, marked);
  for (std::uint32_t i = 0; i < name_of.size(); ++i) {
    if (marked[i]) names.emplace_back(name_of[i]);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace svcdiff::cache
