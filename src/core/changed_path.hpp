#pragma once

#include <string>

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

}  // namespace svcdiff
