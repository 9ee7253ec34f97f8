#include "cache/staleness.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "config/infer.hpp"

namespace svcdiff::cache {
namespace {

std::string last_segment(const std::string& path) { return path.substr(path.rfind('/') + 1); }

std::string parent(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

// `path` and every directory above it but the root.
void add_with_parents(std::unordered_set<std::string>& into, std::string path) {
  while (!path.empty() && into.insert(path).second) path = parent(path);
}

}  // namespace

std::vector<std::string> discovery_candidates(const std::vector<ChangedPath>& changes,
                                              const std::vector<std::string>& names) {
  std::vector<std::string> candidates;
  for (const auto& change : changes) {
    if (std::find(names.begin(), names.end(), last_segment(change.path)) != names.end()) {
      candidates.push_back(change.path);
    }
  }
  return candidates;
}

PathList updated_discovery(const PathList& files, const std::vector<std::string>& candidates,
                           const std::vector<std::string>& present,
                           const std::vector<std::string>& names) {
  const std::unordered_set<std::string_view> gone(candidates.begin(), candidates.end());
  std::vector<std::vector<std::string_view>> by_name(names.size());
  auto add = [&](std::string_view path) {
    const auto name = std::find(names.begin(), names.end(), path.substr(path.rfind('/') + 1));
    if (name != names.end())
      by_name[static_cast<std::size_t>(name - names.begin())].push_back(path);
  };
  for (const auto path : files) {
    if (gone.count(path) == 0) add(path);
  }
  for (const auto& path : present) add(path);
  PathList out;
  for (auto& group : by_name) {
    std::sort(group.begin(), group.end());
    for (const auto path : group) out.push_back(path);
  }
  return out;
}

std::optional<std::string> alters_inference(const std::vector<ChangedPath>& changes,
                                            const InferRecord& record) {
  // Whatever lies at or above a read path or a listed directory decides what
  // the read or the listing returns.
  std::unordered_set<std::string> looked_at;
  for (const auto& path : record.reads) add_with_parents(looked_at, path);
  for (const auto& dir : record.lists) add_with_parents(looked_at, dir);
  const std::unordered_set<std::string> listed(record.lists.begin(), record.lists.end());
  for (const auto& change : changes) {
    if (config::is_manifest_name(last_segment(change.path)) || looked_at.count(change.path) != 0 ||
        listed.count(parent(change.path)) != 0) {
      return change.path;
    }
  }
  return std::nullopt;
}

}  // namespace svcdiff::cache
