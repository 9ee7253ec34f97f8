#pragma once

// Repository's libgit2 state, shared by the files of src/repo that need the
// raw handle. Nothing outside src/repo includes this.

#include <optional>

#include "repo/git_handles.hpp"
#include "repo/objects.hpp"
#include "repo/repository.hpp"

namespace svcdiff::repo {

// The trees read_file, path_kind and existing_files went through, for one
// commit (commits never change, so neither do they): `infer` reads a file in
// every service's directory, and each lookup starts from its directory's tree
// instead of from the root.
struct DirectoryTrees {
  CommitId commit;
  std::optional<CommitTree> tree;
};

struct Repository::Handle {
  RepositoryPtr repo;
  bool trust_owner = false;
  bool bare = false;     // as git tells it (bare_as_git_tells)
  DirectoryTrees trees;  // filled by const reads: a Repository serves one thread
};

}  // namespace svcdiff::repo
