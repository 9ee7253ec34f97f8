#pragma once

#include <git2.h>

#include <string>
#include <vector>

#include "core/changed_path.hpp"

namespace svcdiff::repo {

// What `git status` reports against `head_tree`, as paths sorted by bytes: the
// staged changes (tree -> index) and the unstaged and untracked, not ignored,
// ones (index -> work tree), without rename detection. The two diffs are kept
// apart rather than merged by libgit2's tree-to-workdir-with-index diff, which
// drops a path staged in one direction and undone in the other (added to the
// index, then deleted from the disk) although git status shows it. A path in
// both gets its kind from head and work tree: added, deleted, or modified.
// Throws svcdiff::Error naming `what` ("the work tree `/src/`") on failure.
std::vector<ChangedPath> worktree_status(git_repository* repo, git_tree* head_tree,
                                         const std::string& what);

}  // namespace svcdiff::repo
