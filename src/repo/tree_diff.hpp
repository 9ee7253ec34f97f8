#pragma once

#include <git2.h>

#include <string>
#include <vector>

#include "core/changed_path.hpp"
#include "repo/head_file_watch.hpp"
#include "repo/walk_limit.hpp"

namespace svcdiff::repo {

// Appends every path that differs between the trees of two commits (full
// ids), unsorted. Walks both trees in git's entry order and never opens a
// subtree whose id is equal on both sides, so the cost follows the size of the
// change, not of the repository. No rename detection: a move is a delete and
// an add. Throws svcdiff::Error when a subtree cannot be read.
// With `limit`, a limited directory reports its paths up to the limit and
// no more; the result is true when a path was left out. With `watch`, the
// directories it watches report which of its names they hold at head.
bool append_tree_changes(git_repository* repo, const std::string& base, const std::string& head,
                         std::vector<ChangedPath>& out, WalkLimit* limit = nullptr,
                         HeadFileWatch* watch = nullptr);

}  // namespace svcdiff::repo
