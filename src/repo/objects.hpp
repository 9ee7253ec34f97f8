#pragma once

#include <cstdint>
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

// One entry of a git tree: its name (one path segment), mode and object id
// (40 lowercase hex characters).
struct TreeEntry {
  std::string name;
  std::uint32_t mode = 0;
  std::string id;
};

// The id `git hash-object` gives these bytes as a blob (a file's content or a
// symlink's target).
std::string blob_id(std::string_view content);
// The id of the tree holding `entries` (any order; git's order is applied:
// names compared bytewise, a tree's name as if it ended in '/'). Every id
// must be 40 hex characters.
std::string tree_id(std::vector<TreeEntry> entries);

// The trees of one commit, read on demand: subtrees are kept once read, so
// looking up many paths below one large directory reads it once.
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

  struct State;  // libgit2 handles, defined in objects.cpp

 private:
  std::unique_ptr<State> state_;
};

}  // namespace svcdiff::repo
