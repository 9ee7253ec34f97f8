#include "cache/linked_services.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_set>
#include <utility>

namespace svcdiff::cache {

std::vector<std::string> linked_services(const InferredEdges& edges,
                                         const std::vector<std::string>& names, bool dependencies) {
  // Few services are linked to a change, and edges come sorted by service
  // (edges_of): rescanning the edges for dependents, and bisecting them for
  // dependencies, costs far less than indexing every edge both ways.
  std::unordered_set<std::string_view> linked(names.begin(), names.end());
  for (bool grew = true; grew;) {
    grew = false;
    for (std::size_t k = 0; k < edges.size(); ++k) {
      const InferredEdgeView edge = edges[k];
      if (linked.count(edge.dependency) != 0 && linked.insert(edge.service).second) grew = true;
    }
  }
  std::vector<std::string_view> stack;
  if (dependencies) stack.assign(linked.begin(), linked.end());
  while (!stack.empty()) {
    const std::string_view service = stack.back();
    stack.pop_back();
    const auto [first, last] =
        edges.run(service).value_or(std::pair<std::size_t, std::size_t>{0, edges.size()});
    for (std::size_t k = first; k < last; ++k) {
      const InferredEdgeView edge = edges[k];
      if (edge.service == service && linked.insert(edge.dependency).second) {
        stack.push_back(edge.dependency);
      }
    }
  }
  // `linked` views `names` too: a new list.
  std::vector<std::string> result(linked.begin(), linked.end());
  std::sort(result.begin(), result.end());
  return result;
}

}  // namespace svcdiff::cache
