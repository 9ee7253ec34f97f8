#pragma once

// libgit2 plumbing shared by the files of src/repo: owning handles, the
// process-wide init, and error capture. Nothing outside src/repo includes this.

#include <git2.h>

#include <memory>
#include <string>

#include "core/error.hpp"

namespace svcdiff::repo {

// Calls git_libgit2_init once per process; every entry point calls it first.
// libgit2 is never shut down: the process ends instead.
void ensure_libgit2();

// The message of the last libgit2 error on this thread. Read it right after
// the failing call: a later call may overwrite it. git_error_last() may be
// NULL on older libgit2, hence the fallback.
std::string last_git_error();

// A runtime Error "<what>: <libgit2 message>", built at the failing call.
Error git_failure(const std::string& what);

template <typename T, void (*Free)(T*)>
struct GitDeleter {
  void operator()(T* handle) const { Free(handle); }
};

using RepositoryPtr =
    std::unique_ptr<git_repository, GitDeleter<git_repository, git_repository_free>>;
using ObjectPtr = std::unique_ptr<git_object, GitDeleter<git_object, git_object_free>>;
using CommitPtr = std::unique_ptr<git_commit, GitDeleter<git_commit, git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, GitDeleter<git_tree, git_tree_free>>;
using TreeEntryPtr =
    std::unique_ptr<git_tree_entry, GitDeleter<git_tree_entry, git_tree_entry_free>>;
using BlobPtr = std::unique_ptr<git_blob, GitDeleter<git_blob, git_blob_free>>;
using DiffPtr = std::unique_ptr<git_diff, GitDeleter<git_diff, git_diff_free>>;
using IndexPtr = std::unique_ptr<git_index, GitDeleter<git_index, git_index_free>>;
using ConfigPtr = std::unique_ptr<git_config, GitDeleter<git_config, git_config_free>>;
// Points at a git_oidarray the caller owns (libgit2 fills it in place):
// disposes of the ids libgit2 allocated, never the array itself.
using OidArrayGuard = std::unique_ptr<git_oidarray, GitDeleter<git_oidarray, git_oidarray_dispose>>;

// A commit id as text -> git_oid. False when `id` is not a full hex object id.
bool parse_commit_id(const std::string& id, git_oid* out);
// git_oid -> 40 lowercase hex characters.
std::string format_oid(const git_oid& oid);

// The root tree of the commit `id`. Throws naming `id` when it is missing.
TreePtr commit_tree(git_repository* repo, const std::string& id);
// The id of that tree, unread: git_commit_tree parses every entry of a root
// tree the raw reader reads again (RawTreeReader::read_commit_root). Throws
// naming `id` when the commit is missing.
git_oid commit_tree_id(git_repository* repo, const std::string& id);

}  // namespace svcdiff::repo
