#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/changed_path.hpp"
#include "repo/head_file_watch.hpp"
#include "repo/walk_limit.hpp"

namespace svcdiff::repo {

// A commit id as 40 lowercase hex characters. Kept as text so that no module
// but repo sees a libgit2 type.
using CommitId = std::string;

struct OpenOptions {
  std::string start_dir = ".";  // searched upward like git
  bool trust_owner = false;     // --trust-repo-owner
};

// An open repository. The only type outside src/repo that stands for libgit2.
class Repository {
 public:
  // nullopt when there is no repository at or above start_dir (a zip
  // checkout). Throws svcdiff::Error for a repository that exists but cannot
  // be opened (for example owned by another user without trust_owner, or a
  // `.git` file whose git directory is gone) and for a missing start_dir.
  static std::optional<Repository> discover(const OpenOptions& options);

  Repository(Repository&&) noexcept;
  Repository& operator=(Repository&&) noexcept;
  ~Repository();

  // The work tree root with a trailing '/', or empty for a bare repository.
  std::string workdir() const;
  // The git directory with a trailing '/' (`.git/`, a bare repository itself,
  // or `.git/worktrees/NAME/` for a linked worktree): names the repository in
  // messages.
  std::string git_dir() const;
  bool is_bare() const;
  bool is_shallow() const;

  // Resolves any revision (sha, branch, tag, HEAD~3) to a commit. Throws
  // svcdiff::Error (runtime) naming the revision, and `named_by` (the
  // variable that gave it) when set, when it does not resolve.
  CommitId resolve_commit(const std::string& revision, const std::string& named_by = "") const;
  // Why `revision` does not resolve, in git's words (libgit2 said `problem`):
  // an empty repository, a history too short, a typo ("did you mean").
  std::string revision_problem(const std::string& revision, const std::string& problem) const;
  // Branch, tag and remote-tracking names, short: for "did you mean".
  std::vector<std::string> reference_names() const;
  // Like resolve_commit but nullopt instead of throwing.
  std::optional<CommitId> try_resolve_commit(const std::string& revision) const;
  // Like try_resolve_commit, but says why a revision does not resolve, and
  // tells a name that names nothing (a misspelt branch, HEAD~999) from one
  // whose objects cannot be read (missing from the object database, or
  // corrupt).
  struct Lookup {
    std::optional<CommitId> id;
    bool unreadable = false;  // an object on the way is missing or corrupt
    std::string problem;      // libgit2's message when `id` is nullopt
  };
  Lookup lookup_commit(const std::string& revision) const;
  // True when the object database holds this commit and can read it.
  bool has_commit(const CommitId& id) const;
  // nullopt when the commits share no history (or it lies past a shallow
  // boundary, or either commit is missing). Of several merge bases (a
  // criss-cross merge), the first of merge_bases().
  std::optional<CommitId> merge_base(const CommitId& a, const CommitId& b) const;
  // Every merge base of `a` and `b`, the newest by committer date first (the
  // one `git merge-base` prints, and `git diff a...b` uses), equal dates by
  // id; the same whichever commit comes first. Empty as merge_base is nullopt.
  std::vector<CommitId> merge_bases(const CommitId& a, const CommitId& b) const;
  // True when `ancestor` is reachable from `descendant` (or equal to it);
  // false when either is missing or the path crosses a shallow boundary.
  bool is_ancestor(const CommitId& ancestor, const CommitId& descendant) const;

  // Paths that differ between two commits. Walks both trees and skips
  // subtrees whose ids are equal; no rename detection.
  // With `limit`, limited directories report only some of their paths, and
  // `left_out` (when given) says whether any path was left out. With
  // `watch`, the directories the walk reads at head report the watched
  // files they hold.
  std::vector<ChangedPath> changes(const CommitId& base, const CommitId& head,
                                   WalkLimit* limit = nullptr, bool* left_out = nullptr,
                                   HeadFileWatch* watch = nullptr) const;
  // Paths that differ between `head` and the work tree: staged, unstaged, and
  // untracked files that are not ignored; the paths `git status` lists when
  // `head` is HEAD. Throws for a bare repository.
  std::vector<ChangedPath> worktree_changes(const CommitId& head) const;
  // True when the work tree leaves `path` out on purpose, so its absence
  // there is no deletion: the index marks it skip-worktree (a sparse
  // checkout), or there is no index at all (`git clone --no-checkout`: the
  // index holds nothing until a checkout). False for a bare repository and
  // for a path an existing index does not hold (a staged deletion).
  bool leaves_out_of_work_tree(const std::string& path) const;

  // The blob at `path` in `commit`, or nullopt when there is none (or it is a
  // directory or submodule). Symlinks inside the tree are followed;
  // `through_link`, when given, is set when `path` was one (what it reads
  // then depends on other paths too).
  std::optional<std::string> read_file(const CommitId& commit, const std::string& path,
                                       bool* through_link = nullptr) const;
  // The names of the files (and symlinks) directly in directory `dir` ("" is
  // the root) of `commit`; empty when there is no such directory.
  std::vector<std::string> list_files(const CommitId& commit, const std::string& dir) const;
  // What `path` is in `commit` ("" and "." are the root directory).
  enum class PathKind { none, file, directory, submodule };
  PathKind path_kind(const CommitId& commit, const std::string& path) const;
  // What `path` leads to in `commit` once symlinks inside the tree are
  // followed as read_file follows them: none where one leads nowhere.
  PathKind followed_kind(const CommitId& commit, const std::string& path) const;
  // True when `path` is a directory (tree) in `commit`.
  bool is_directory(const CommitId& commit, const std::string& path) const {
    return path_kind(commit, path) == PathKind::directory;
  }
  // Every file (or symlink) path in `commit` whose last segment is `name`,
  // sorted by bytes.
  // `descend`, when set, is asked before entering each directory ("a/b").
  using DirectoryFilter = std::function<bool(const std::string& dir)>;
  std::vector<std::string> find_files_named(const CommitId& commit, const std::string& name,
                                            const DirectoryFilter& descend = {}) const;
  // Every directory path in `commit` that `keep` accepts, sorted; `descend`
  // as for find_files_named. Lets discovery on demand look for the other
  // matches of a glob without reading the trees below them.
  std::vector<std::string> find_directories(const CommitId& commit, const DirectoryFilter& descend,
                                            const DirectoryFilter& keep) const;
  // The paths among `paths` that are files (or symlinks) in `commit`, sorted.
  std::vector<std::string> existing_files(const CommitId& commit,
                                          const std::vector<std::string>& paths) const;

  struct Handle;  // libgit2 state, defined in repository_handle.hpp

 private:
  friend class CommitTree;
  explicit Repository(std::unique_ptr<Handle> handle);
  std::unique_ptr<Handle> handle_;
};

}  // namespace svcdiff::repo
