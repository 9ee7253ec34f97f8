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

// Where `path`'s file name comes in `names`; names.size() when not there.
std::size_t name_index(std::string_view path, const std::vector<std::string>& names) {
  const std::string_view name = path.substr(path.rfind('/') + 1);
  return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

// Whether discovery's list `files` (grouped by name in `names`' order, each
// group sorted) holds `path`: two bisections, no set of the whole list.
bool listed(const PathList& files, std::string_view path, const std::vector<std::string>& names) {
  const std::size_t group = name_index(path, names);
  const auto first = std::ranges::partition_point(
      files, [&](std::string_view p) { return name_index(p, names) < group; });
  const auto last = std::ranges::partition_point(
      files, [&](std::string_view p) { return name_index(p, names) <= group; });
  return std::ranges::binary_search(first, last, path);
}

// `path` and every directory above it but the root.
void add_with_parents(std::unordered_set<std::string>& into, std::string path) {
  while (!path.empty() && into.insert(path).second) path = parent(path);
}

}  // namespace

std::vector<const ChangedPath*> discovery_candidates(const std::vector<ChangedPath>& changes,
                                                     const std::vector<std::string>& names) {
  std::vector<const ChangedPath*> candidates;
  for (const auto& change : changes) {
    // A view, no copy: a long range asks this of thousands of paths.
    if (name_index(change.path, names) != names.size()) candidates.push_back(&change);
  }
  return candidates;
}

std::optional<bool> file_at_head(const ChangedPath& change) {
  switch (change.kind) {
    case ChangeKind::deleted:
      return false;
    case ChangeKind::added:
    case ChangeKind::modified:
      return !change.is_dir;  // a submodule is no file
    case ChangeKind::type_changed:
      // File and symlink are both files; with a submodule on either side,
      // is_dir is set and the side is unknown.
      if (change.is_dir) return std::nullopt;
      return true;
  }
  return std::nullopt;
}

std::optional<PathList> updated_discovery(const PathList& files,
                                          const std::vector<std::string>& candidates,
                                          const std::vector<std::string>& present,
                                          const std::vector<std::string>& names) {
  // Most candidates of a long range were changed in place, or looked up and
  // found as listed: making the list again costs as much as the list is long.
  const std::unordered_set<std::string_view> at_head(present.begin(), present.end());
  const auto same = [&](const std::string& path) {
    return listed(files, path, names) == (at_head.count(path) != 0);
  };
  if (std::all_of(candidates.begin(), candidates.end(), same)) return std::nullopt;
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
