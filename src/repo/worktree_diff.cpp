#include "repo/worktree_diff.hpp"

#include <map>
#include <optional>
#include <string_view>
#include <utility>

#include "repo/git_handles.hpp"

namespace svcdiff::repo {
namespace {

struct PathChange {
  ChangeKind kind = ChangeKind::modified;
  bool is_dir = false;
};
using PathChanges = std::map<std::string, PathChange>;

void record(PathChanges& changes, const git_diff_file& file, ChangeKind kind, bool is_dir) {
  std::string path = file.path != nullptr ? file.path : "";
  // An untracked nested repository comes as one entry, "dir/".
  if (!path.empty() && path.back() == '/') {
    path.pop_back();
    is_dir = true;
  }
  if (path.empty()) return;
  const auto [it, inserted] = changes.try_emplace(std::move(path), PathChange{kind, is_dir});
  if (!inserted) {  // a delete and an add of one path in one diff
    if (it->second.kind != kind) it->second.kind = ChangeKind::type_changed;
    it->second.is_dir = it->second.is_dir || is_dir;
  }
}

PathChanges paths_of(const git_diff* diff) {
  PathChanges changes;
  const size_t count = git_diff_num_deltas(diff);
  for (size_t i = 0; i < count; ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff, i);
    const bool is_dir =
        delta->old_file.mode == GIT_FILEMODE_COMMIT || delta->new_file.mode == GIT_FILEMODE_COMMIT;
    switch (delta->status) {
      case GIT_DELTA_UNMODIFIED:
      case GIT_DELTA_IGNORED:
        break;
      case GIT_DELTA_ADDED:
      case GIT_DELTA_UNTRACKED:
        record(changes, delta->new_file, ChangeKind::added, is_dir);
        break;
      case GIT_DELTA_DELETED:
        record(changes, delta->old_file, ChangeKind::deleted, is_dir);
        break;
      case GIT_DELTA_TYPECHANGE:
        record(changes, delta->new_file, ChangeKind::type_changed, is_dir);
        break;
      case GIT_DELTA_RENAMED:
      case GIT_DELTA_COPIED:
        // Not produced without rename detection; both paths count if they are.
        record(changes, delta->old_file, ChangeKind::deleted, is_dir);
        record(changes, delta->new_file, ChangeKind::added, is_dir);
        break;
      default:  // modified, conflicted, unreadable
        record(changes, delta->old_file, ChangeKind::modified, is_dir);
        if (std::string_view(delta->old_file.path) != delta->new_file.path) {
          record(changes, delta->new_file, ChangeKind::modified, is_dir);
        }
        break;
    }
  }
  return changes;
}

// The kind of a path changed both in the index and in the work tree, seen
// from head to the work tree.
ChangeKind combined_kind(ChangeKind staged, ChangeKind unstaged) {
  const bool in_head = staged != ChangeKind::added;
  const bool on_disk = unstaged != ChangeKind::deleted;
  if (!in_head) return ChangeKind::added;  // also when only the index holds it
  if (!on_disk) return ChangeKind::deleted;
  if (staged == ChangeKind::type_changed || unstaged == ChangeKind::type_changed) {
    return ChangeKind::type_changed;
  }
  return ChangeKind::modified;
}

git_diff_options diff_options(uint32_t flags, const std::string& what) {
  git_diff_options options;
  if (git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION) < 0) {
    throw git_failure("cannot set up the diff of " + what);
  }
  options.flags = flags;
  return options;
}

[[noreturn]] void throw_diff_failure(int rc, const std::string& what) {
  if (rc == GIT_EOWNER) {  // a submodule of another user
    throw runtime_error("cannot compare " + what + ": " + last_git_error() +
                        "; pass --trust-repo-owner to read it anyway");
  }
  throw git_failure("cannot compare " + what);
}

}  // namespace

std::vector<ChangedPath> worktree_status(git_repository* repo, git_tree* head_tree,
                                         const std::string& what) {
  git_index* raw_index = nullptr;
  const int index_rc = git_repository_index(&raw_index, repo);
  const IndexPtr index(raw_index);
  if (index_rc < 0) throw git_failure("cannot open the index of " + what);
  if (git_index_read(index.get(), 0) < 0) throw git_failure("cannot read the index of " + what);

  const git_diff_options staged_options = diff_options(GIT_DIFF_INCLUDE_TYPECHANGE, what);
  git_diff* raw_staged = nullptr;
  const int staged_rc =
      git_diff_tree_to_index(&raw_staged, repo, head_tree, index.get(), &staged_options);
  const DiffPtr staged(raw_staged);
  if (staged_rc < 0) throw_diff_failure(staged_rc, what);

  const git_diff_options unstaged_options = diff_options(
      GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS | GIT_DIFF_INCLUDE_TYPECHANGE,
      what);
  git_diff* raw_unstaged = nullptr;
  const int unstaged_rc =
      git_diff_index_to_workdir(&raw_unstaged, repo, index.get(), &unstaged_options);
  const DiffPtr unstaged(raw_unstaged);
  if (unstaged_rc < 0) throw_diff_failure(unstaged_rc, what);

  PathChanges changes = paths_of(staged.get());
  for (auto& [path, change] : paths_of(unstaged.get())) {
    const auto [it, inserted] = changes.try_emplace(path, change);
    if (!inserted) {
      it->second.kind = combined_kind(it->second.kind, change.kind);
      it->second.is_dir = it->second.is_dir || change.is_dir;
    }
  }
  std::vector<ChangedPath> out;
  out.reserve(changes.size());
  for (auto& [path, change] : changes) out.push_back({path, change.kind, change.is_dir});
  return out;  // std::map keeps byte order
}

}  // namespace svcdiff::repo
