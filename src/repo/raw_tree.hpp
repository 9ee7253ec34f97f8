#pragma once

// Tree objects read raw from the object database, their entries parsed in
// place. The tree walk and discovery meet each entry once, in order, so
// libgit2's parsed git_tree (an allocated entry per name, its mode parsed
// through strtol, the object cache's lock) is a fifth of a long walk's
// instructions that git's own diff does not spend. Nothing outside src/repo
// includes this.

#include <git2.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "repo/git_handles.hpp"

namespace svcdiff::repo {

using OdbPtr = std::unique_ptr<git_odb, GitDeleter<git_odb, git_odb_free>>;
using OdbObjectPtr =
    std::unique_ptr<git_odb_object, GitDeleter<git_odb_object, git_odb_object_free>>;

inline constexpr std::size_t kRawIdSize = GIT_OID_SHA1_SIZE;

// The mode as libgit2's git_tree_entry_filemode gives it (and as git
// compares modes): a tree, else any execute bit makes an executable, else
// a submodule, a symlink or a plain file.
git_filemode_t normalized_mode(std::uint32_t mode);

// One entry of a tree object as stored: "<octal mode> <name>\0<raw id>".
struct RawEntry {
  std::string_view name;
  git_filemode_t mode = GIT_FILEMODE_UNREADABLE;
  const unsigned char* id = nullptr;  // kRawIdSize bytes inside the object

  bool same_id(const RawEntry& other) const { return std::memcmp(id, other.id, kRawIdSize) == 0; }
  git_oid oid() const {
    git_oid out;
    git_oid_fromraw(&out, id);
    return out;
  }
};

// The order git sorts tree entries in (base_name_compare): by name bytes, with
// a tree compared as if its name ended in '/'. So a file `a` and a directory
// `a` never compare equal, which makes a file<->directory swap a delete plus
// an add, as in git.
inline int compare_in_tree_order(const RawEntry& a, const RawEntry& b) {
  const std::size_t common = std::min(a.name.size(), b.name.size());
  if (const int c = std::memcmp(a.name.data(), b.name.data(), common); c != 0) return c;
  const auto next = [common](const RawEntry& entry) -> int {
    if (entry.name.size() > common) return static_cast<unsigned char>(entry.name[common]);
    return entry.mode == GIT_FILEMODE_TREE ? '/' : 0;
  };
  return next(a) - next(b);
}

// The entry named `name` among a tree's `entries` (in git's order), or null.
// A directory sorts as if its name ended in '/', so names such as `a-b` and
// `a.c` may lie between a file `a` and a directory `a`: both places are
// bisected.
inline const RawEntry* find_in_tree_order(const std::vector<RawEntry>& entries,
                                          std::string_view name) {
  for (const git_filemode_t kind : {GIT_FILEMODE_BLOB, GIT_FILEMODE_TREE}) {
    const RawEntry probe{name, kind, nullptr};
    const auto at = std::lower_bound(
        entries.begin(), entries.end(), probe,
        [](const RawEntry& a, const RawEntry& b) { return compare_in_tree_order(a, b) < 0; });
    if (at != entries.end() && at->name == name) return &*at;
  }
  return nullptr;
}

// A tree object and a cursor on its entries, in git's order.
class RawTree {
 public:
  RawTree() = default;  // the empty tree
  RawTree(OdbObjectPtr object, const git_oid& id) : object_(std::move(object)), id_(id) {
    next_ = static_cast<const char*>(git_odb_object_data(object_.get()));
    end_ = next_ + git_odb_object_size(object_.get());
    advance();
  }

  bool done() const { return !has_current_; }
  const git_oid& id() const { return id_; }
  // The size of the tree object in bytes (0 for the empty tree).
  std::size_t object_size() const { return object_ ? git_odb_object_size(object_.get()) : 0; }
  const RawEntry& current() const { return current_; }
  // Throws svcdiff::Error for an entry that cannot be parsed.
  void advance();

 private:
  [[noreturn]] void corrupt() const;

  OdbObjectPtr object_;
  git_oid id_{};
  const char* next_ = nullptr;
  const char* end_ = nullptr;
  RawEntry current_;
  bool has_current_ = false;
};

// Reads the trees of one repository.
class RawTreeReader {
 public:
  // `commit`, when not empty, is the commit every tree read belongs to, which
  // the errors name too.
  explicit RawTreeReader(git_repository* repo, std::string commit = {});

  // The tree `id`, of the directory `dir` + `name` ("" both for the root),
  // which the message names. Throws svcdiff::Error when it cannot be read.
  RawTree read(const git_oid& id, std::string_view dir, std::string_view name = {}) const;
  // The root tree of the commit `commit`, which the message names as
  // commit_tree's does.
  RawTree read_commit_root(const std::string& commit) const;

 private:
  git_repository* repo_;
  OdbPtr odb_;
  std::string commit_;
};

}  // namespace svcdiff::repo
