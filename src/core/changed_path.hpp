#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace svcdiff {

enum class ChangeKind { added, deleted, modified, type_changed };

// One path that differs between base and head (or in the work tree). A move
// is a delete plus an add, so both paths appear. Paths are raw bytes,
// repository-relative, '/'-separated.
struct ChangedPath {
  std::string path;
  ChangeKind kind = ChangeKind::modified;
  // The path is a directory for patterns: a submodule whose pointer moved.
  bool is_dir = false;

  friend bool operator==(const ChangedPath&, const ChangedPath&) = default;
};

// A path as a user writes it (--files-from, owners, match): leading "./"
// and "/" dropped; a trailing "/" marks a directory and is dropped too.
inline ChangedPath given_path(std::string path) {
  // In any order: ".//./x" is "x" too (found by the files_from fuzzer).
  for (;;) {
    if (path.rfind("./", 0) == 0) {
      path.erase(0, 2);
    } else if (!path.empty() && path.front() == '/') {
      path.erase(0, 1);
    } else {
      break;
    }
  }
  bool is_dir = !path.empty() && path.back() == '/';
  while (!path.empty() && path.back() == '/') path.pop_back();
  return {std::move(path), ChangeKind::modified, is_dir};
}

// Sorts by path bytes and keeps the first of each path.
inline void sort_unique_by_path(std::vector<ChangedPath>& changes) {
  std::stable_sort(changes.begin(), changes.end(),
                   [](const ChangedPath& a, const ChangedPath& b) { return a.path < b.path; });
  changes.erase(
      std::unique(changes.begin(), changes.end(),
                  [](const ChangedPath& a, const ChangedPath& b) { return a.path == b.path; }),
      changes.end());
}

}  // namespace svcdiff
