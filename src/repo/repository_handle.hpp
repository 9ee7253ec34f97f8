#pragma once

// Repository's libgit2 state, shared by the files of src/repo that need the
// raw handle. Nothing outside src/repo includes this.

#include "repo/git_handles.hpp"
#include "repo/repository.hpp"

namespace svcdiff::repo {

struct Repository::Handle {
  RepositoryPtr repo;
  bool trust_owner = false;
};

}  // namespace svcdiff::repo
