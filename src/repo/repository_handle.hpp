#pragma once

// Repository's libgit2 state, shared by the files of src/repo that need the
// raw handle. Nothing outside src/repo includes this.

#include <string>
#include <unordered_map>

#include "repo/git_handles.hpp"
#include "repo/repository.hpp"

namespace svcdiff::repo {

// The directory trees read_file and list_files went through, for one commit
// (commits never change, so neither do they): `infer` reads a file in every
// service's directory, and each lookup starts from its directory's tree
// instead of from the root. A null tree records a directory that is not there.
struct DirectoryTrees {
  CommitId commit;
  std::unordered_map<std::string, TreePtr> by_path;  // "" is the root
};

struct Repository::Handle {
  RepositoryPtr repo;
  bool trust_owner = false;
  DirectoryTrees trees;  // filled by const reads: a Repository serves one thread
};

}  // namespace svcdiff::repo
