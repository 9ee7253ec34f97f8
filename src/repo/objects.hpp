#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace svcdiff::repo {

class Repository;

// Git's file modes as tree entries and `git ls-tree` write them.
inline constexpr std::uint32_t kModeTree = 040000;
inline constexpr std::uint32_t kModeFile = 0100644;
inline constexpr std::uint32_t kModeExecutable = 0100755;
inline constexpr std::uint32_t kModeSymlink = 0120000;
inline constexpr std::uint32_t kModeSubmodule = 0160000;

// The id of the tree with no entries; git never stores one as a subtree.
inline constexpr std::string_view kEmptyTreeId = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

// An object id as a tree object stores it: the 20 raw bytes of a SHA-1.
inline constexpr std::size_t kObjectIdSize = 20;
using ObjectId = std::array<unsigned char, kObjectIdSize>;

// Appends the 40 lowercase hex characters of `id` to `out`.
void append_hex(std::string& out, const ObjectId& id);
// The id `hex` (40 hex characters) names; throws svcdiff::Error for anything else.
ObjectId parse_object_id(std::string_view hex);

// One entry of a git tree: its name (one path segment), mode and object id
// (40 lowercase hex characters).
struct TreeEntry {
  std::string name;
  std::uint32_t mode = 0;
  std::string id;
};

// A tree entry read in place: views into the tree object, which live as long
// as whatever handed the view out says. The mode is normalized as git
// compares modes (100664 reads as 100644).
struct TreeEntryView {
  std::string_view name;
  std::uint32_t mode = 0;
  const unsigned char* id = nullptr;  // kObjectIdSize raw bytes

  ObjectId object_id() const;
};

// The id `git hash-object` gives these bytes as a blob (a file's content or a
// symlink's target).
std::string blob_id(std::string_view content);
// The id of the tree holding `entries` (any order; git's order is applied:
// names compared bytewise, a tree's name as if it ended in '/'). Every id
// must be 40 hex characters.
std::string tree_id(std::vector<TreeEntry> entries);

// The trees of one commit, read on demand: the trees looked up by path are
// kept once read, so looking up many paths below one large directory reads it
// once. Trees are read raw and parsed in place (see raw_tree.hpp).
class CommitTree {
 public:
  // Throws svcdiff::Error naming `commit` when it cannot be read.
  CommitTree(const Repository& repository, const std::string& commit);
  CommitTree(CommitTree&&) noexcept;
  CommitTree& operator=(CommitTree&&) noexcept;
  ~CommitTree();

  // The entry at `path` ("a/b", no leading or trailing '/'); the root for "".
  // nullopt when there is none.
  std::optional<TreeEntry> entry(const std::string& path) const;
  // The entries of the directory `dir` ("" = the root), in git's order; empty
  // when `dir` is not a directory.
  std::vector<TreeEntry> list(const std::string& dir) const;

  // The entry at `path` as entry() finds it; its views live as long as this
  // object.
  std::optional<TreeEntryView> find(std::string_view path) const;
  using EntryVisit = std::function<void(const TreeEntryView&)>;
  // Calls `visit` with every entry of the tree `tree` (the entry of the
  // directory `dir`, which an error names), in git's order, without keeping
  // the tree: a walk that meets each tree once pays no lookup by path. The
  // views live until `visit` returns; `dir` is not read once it is called.
  // Throws svcdiff::Error when the tree cannot be read.
  void for_each_entry(const TreeEntryView& tree, std::string_view dir,
                      const EntryVisit& visit) const;

  struct State;  // libgit2 handles, defined in objects.cpp

 private:
  std::unique_ptr<State> state_;
};

}  // namespace svcdiff::repo
