#include "repo/tree_diff.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "repo/git_handles.hpp"
#include "repo/raw_tree.hpp"

namespace svcdiff::repo {
namespace {

bool is_tree(git_filemode_t mode) { return mode == GIT_FILEMODE_TREE; }
bool is_submodule(git_filemode_t mode) { return mode == GIT_FILEMODE_COMMIT; }

// What a non-tree entry is, for telling a content change from a type change.
enum class EntryType { file, symlink, submodule };

EntryType entry_type(git_filemode_t mode) {
  if (mode == GIT_FILEMODE_LINK) return EntryType::symlink;
  if (mode == GIT_FILEMODE_COMMIT) return EntryType::submodule;
  return EntryType::file;
}

class TreeWalk {
 public:
  TreeWalk(git_repository* repo, std::vector<ChangedPath>& out, WalkLimit* limit,
           HeadFileWatch* watch)
      : trees_(repo), out_(out), limit_(limit), watch_(watch) {}

  bool left_out() const { return left_out_; }

  // Read raw, not through git_commit_tree, which parses every entry first.
  RawTree read_root(const std::string& commit) { return trees_.read_commit_root(commit); }

  // Merge-joins the entries of two trees (empty ones for a missing side)
  // below `prefix_`. `kWatched`: the directory is watched, so each entry of
  // `head` is noted, those after a stop too (a separate copy of the loop
  // keeps the unwatched walk as it was).
  template <bool kWatched>
  void compare(RawTree base, RawTree head) {
    while ((!base.done() || !head.done()) && !stopped_) {
      int order = 0;
      if (base.done()) {
        order = 1;
      } else if (head.done()) {
        order = -1;
      } else {
        order = compare_in_tree_order(base.current(), head.current());
      }
      if (order < 0) {
        one_side(base.current(), ChangeKind::deleted);
        base.advance();
      } else if (order > 0) {
        if constexpr (kWatched) note(head.current());
        one_side(head.current(), ChangeKind::added);
        head.advance();
      } else {
        if constexpr (kWatched) note(head.current());
        both_sides(base.current(), head.current());
        base.advance();
        head.advance();
      }
    }
    if constexpr (kWatched) {
      for (; !head.done(); head.advance()) note(head.current());
    }
  }

 private:
  // An entry present on one side only; a tree reports every path below it.
  void one_side(const RawEntry& entry, ChangeKind kind) {
    if (!is_tree(entry.mode)) {
      report({path_of(entry), kind, is_submodule(entry.mode)});
      return;
    }
    if (!enters(entry) || spent()) return;
    RawTree tree = lookup(entry);
    if (kind == ChangeKind::deleted) {
      descend(entry, std::move(tree), {}, false);
    } else {
      descend(entry, {}, std::move(tree), true);
    }
  }

  // The same name on both sides, both trees or both not trees.
  void both_sides(const RawEntry& old_entry, const RawEntry& new_entry) {
    if (old_entry.mode == new_entry.mode && old_entry.same_id(new_entry)) {
      return;  // equal subtree or unchanged file: never opened
    }
    if (is_tree(old_entry.mode)) {
      if (!enters(old_entry, /*changed=*/true) || spent()) return;
      RawTree old_tree = lookup(old_entry);
      RawTree new_tree = lookup(new_entry);
      descend(old_entry, std::move(old_tree), std::move(new_tree), true);
      return;
    }
    const ChangeKind kind = entry_type(old_entry.mode) == entry_type(new_entry.mode)
                                ? ChangeKind::modified
                                : ChangeKind::type_changed;
    // A submodule on either side makes the path a directory for patterns.
    const bool is_dir = is_submodule(old_entry.mode) || is_submodule(new_entry.mode);
    report({path_of(new_entry), kind, is_dir});
  }

  std::string path_of(const RawEntry& entry) const {
    std::string path;
    path.reserve(prefix_.size() + entry.name.size());
    path.append(prefix_).append(entry.name);
    return path;
  }

  // Inside a limited directory, a path past the limit ends its walk.
  void report(ChangedPath change) {
    if (limited_) {
      if (budget_ == 0) {
        stopped_ = true;
        left_out_ = true;
        return;
      }
      if (limit_->counts(change.path, change.is_dir)) --budget_;
    }
    out_.push_back(std::move(change));
  }

  // Inside a limited directory that has reported all it may, a changed
  // subtree ends the walk there unread: it holds at least one changed path
  // (git stores no empty tree), the one report() would stop at.
  bool spent() {
    if (!limited_ || budget_ != 0) return false;
    stopped_ = true;
    left_out_ = true;
    return true;
  }

  // A head entry of a watched directory: a file of a watched name is held.
  void note(const RawEntry& entry) {
    if (is_tree(entry.mode) || is_submodule(entry.mode)) return;
    const auto& names = watch_->names();
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (entry.name == names[i]) held_ |= std::uint64_t{1} << i;
    }
  }

  // `at_head`: the directory exists at head (only there may a limit apply).
  void descend(const RawEntry& entry, RawTree base, RawTree head, bool at_head) {
    const size_t saved = prefix_.size();
    prefix_ += entry.name;
    const std::size_t dir_size = prefix_.size();
    const std::string_view dir(prefix_);
    std::size_t limit = 0;
    if (limit_ != nullptr && !limited_ && at_head) limit = limit_->limit_below(dir);
    const bool watched = watch_ != nullptr && watch_->watches(dir);
    prefix_ += '/';
    if (limit > 0) {
      limited_ = true;
      budget_ = limit;
    }
    if (watched) {
      // The directory's own names; the one above resumes after it.
      const std::uint64_t held_above = held_;
      held_ = 0;
      compare<true>(std::move(base), std::move(head));
      watch_->read_whole(std::string_view(prefix_).substr(0, dir_size), held_);
      held_ = held_above;
    } else {
      compare<false>(std::move(base), std::move(head));
    }
    if (limit > 0) {
      if (stopped_) limit_->left_out_in(std::string_view(prefix_).substr(0, dir_size));
      limited_ = false;
      stopped_ = false;
    }
    prefix_.resize(saved);
  }

  // `changed`: the directory is on both sides; else added or deleted whole.
  bool enters(const RawEntry& entry, bool changed = false) {
    if (limit_ == nullptr) return true;
    const std::size_t saved = prefix_.size();
    prefix_ += entry.name;
    const std::string_view dir(prefix_);
    const bool yes = changed ? limit_->enters_changed(dir) : limit_->enters(dir);
    prefix_.resize(saved);
    return yes;
  }

  RawTree lookup(const RawEntry& entry) { return trees_.read(entry.oid(), prefix_, entry.name); }

  RawTreeReader trees_;
  std::vector<ChangedPath>& out_;
  std::string prefix_;  // the directory being compared, "" or ending in '/'
  WalkLimit* limit_;
  HeadFileWatch* watch_;
  std::uint64_t held_ = 0;  // the watched names seen in the watched directory
  bool limited_ = false;    // inside a directory limit_ limits
  std::size_t budget_ = 0;  // counted paths it may still report
  bool stopped_ = false;    // the limited directory has reported enough
  bool left_out_ = false;
};

}  // namespace

bool append_tree_changes(git_repository* repo, const std::string& base, const std::string& head,
                         std::vector<ChangedPath>& out, WalkLimit* limit, HeadFileWatch* watch) {
  TreeWalk walk(repo, out, limit, watch);
  RawTree base_root = walk.read_root(base);  // the base first: its errors come first
  RawTree head_root = walk.read_root(head);
  walk.compare<false>(std::move(base_root), std::move(head_root));
  return walk.left_out();
}

}  // namespace svcdiff::repo
