#include "repo/tree_diff.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "repo/git_handles.hpp"

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

// The order git sorts tree entries in (base_name_compare): by name bytes, with
// a tree compared as if its name ended in '/'. So a file `a` and a directory
// `a` never compare equal, which makes a file<->directory swap a delete plus
// an add, as in git.
int compare_entries(const git_tree_entry* a, const git_tree_entry* b) {
  const std::string_view name_a = git_tree_entry_name(a);
  const std::string_view name_b = git_tree_entry_name(b);
  const size_t common = std::min(name_a.size(), name_b.size());
  if (const int c = std::memcmp(name_a.data(), name_b.data(), common); c != 0) return c;
  const auto next = [common](std::string_view name, const git_tree_entry* entry) -> int {
    if (name.size() > common) return static_cast<unsigned char>(name[common]);
    return is_tree(git_tree_entry_filemode(entry)) ? '/' : 0;
  };
  return next(name_a, a) - next(name_b, b);
}

class TreeWalk {
 public:
  TreeWalk(git_repository* repo, std::vector<ChangedPath>& out, WalkLimit* limit)
      : repo_(repo), out_(out), limit_(limit) {}

  bool left_out() const { return left_out_; }

  // Merge-joins the entries of two trees (null = empty) below `prefix_`.
  void compare(const git_tree* base, const git_tree* head) {
    const size_t base_count = base != nullptr ? git_tree_entrycount(base) : 0;
    const size_t head_count = head != nullptr ? git_tree_entrycount(head) : 0;
    size_t i = 0;
    size_t j = 0;
    while ((i < base_count || j < head_count) && !stopped_) {
      const git_tree_entry* old_entry = i < base_count ? git_tree_entry_byindex(base, i) : nullptr;
      const git_tree_entry* new_entry = j < head_count ? git_tree_entry_byindex(head, j) : nullptr;
      int order = 0;
      if (old_entry == nullptr) {
        order = 1;
      } else if (new_entry == nullptr) {
        order = -1;
      } else {
        order = compare_entries(old_entry, new_entry);
      }
      if (order < 0) {
        one_side(old_entry, ChangeKind::deleted);
        ++i;
      } else if (order > 0) {
        one_side(new_entry, ChangeKind::added);
        ++j;
      } else {
        both_sides(old_entry, new_entry);
        ++i;
        ++j;
      }
    }
  }

 private:
  // An entry present on one side only; a tree reports every path below it.
  void one_side(const git_tree_entry* entry, ChangeKind kind) {
    const git_filemode_t mode = git_tree_entry_filemode(entry);
    if (!is_tree(mode)) {
      report({prefix_ + git_tree_entry_name(entry), kind, is_submodule(mode)});
      return;
    }
    if (!enters(entry)) return;
    const TreePtr tree = lookup(entry);
    descend(entry, kind == ChangeKind::deleted ? tree.get() : nullptr,
            kind == ChangeKind::added ? tree.get() : nullptr);
  }

  // The same name on both sides, both trees or both not trees.
  void both_sides(const git_tree_entry* old_entry, const git_tree_entry* new_entry) {
    const git_filemode_t old_mode = git_tree_entry_filemode(old_entry);
    const git_filemode_t new_mode = git_tree_entry_filemode(new_entry);
    if (old_mode == new_mode &&
        git_oid_equal(git_tree_entry_id(old_entry), git_tree_entry_id(new_entry))) {
      return;  // equal subtree or unchanged file: never opened
    }
    if (is_tree(old_mode)) {
      if (!enters(old_entry)) return;
      const TreePtr old_tree = lookup(old_entry);
      const TreePtr new_tree = lookup(new_entry);
      descend(old_entry, old_tree.get(), new_tree.get());
      return;
    }
    const ChangeKind kind = entry_type(old_mode) == entry_type(new_mode) ? ChangeKind::modified
                                                                         : ChangeKind::type_changed;
    // A submodule on either side makes the path a directory for patterns.
    const bool is_dir = is_submodule(old_mode) || is_submodule(new_mode);
    report({prefix_ + git_tree_entry_name(new_entry), kind, is_dir});
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

  void descend(const git_tree_entry* entry, const git_tree* base, const git_tree* head) {
    const size_t saved = prefix_.size();
    prefix_ += git_tree_entry_name(entry);
    std::size_t limit = 0;
    if (limit_ != nullptr && !limited_ && head != nullptr) {
      limit = limit_->limit_below(std::string_view(prefix_));
    }
    prefix_ += '/';
    if (limit > 0) {
      limited_ = true;
      budget_ = limit;
    }
    compare(base, head);
    if (limit > 0) {
      limited_ = false;
      stopped_ = false;
    }
    prefix_.resize(saved);
  }

  bool enters(const git_tree_entry* entry) {
    if (limit_ == nullptr) return true;
    const std::size_t saved = prefix_.size();
    prefix_ += git_tree_entry_name(entry);
    const bool yes = limit_->enters(std::string_view(prefix_));
    prefix_.resize(saved);
    return yes;
  }

  TreePtr lookup(const git_tree_entry* entry) {
    git_tree* raw = nullptr;
    const int rc = git_tree_lookup(&raw, repo_, git_tree_entry_id(entry));
    TreePtr tree(raw);
    if (rc < 0) {
      throw git_failure("cannot read the tree of `" + prefix_ + git_tree_entry_name(entry) + "` (" +
                        format_oid(*git_tree_entry_id(entry)) +
                        "); the repository may be incomplete, try `git fsck`");
    }
    return tree;
  }

  git_repository* repo_;
  std::vector<ChangedPath>& out_;
  std::string prefix_;  // the directory being compared, "" or ending in '/'
  WalkLimit* limit_;
  bool limited_ = false;    // inside a directory limit_ limits
  std::size_t budget_ = 0;  // counted paths it may still report
  bool stopped_ = false;    // the limited directory has reported enough
  bool left_out_ = false;
};

}  // namespace

bool append_tree_changes(git_repository* repo, const git_tree* base, const git_tree* head,
                         std::vector<ChangedPath>& out, WalkLimit* limit) {
  TreeWalk walk(repo, out, limit);
  walk.compare(base, head);
  return walk.left_out();
}

}  // namespace svcdiff::repo
