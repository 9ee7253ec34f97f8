#include "repo/repository.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <system_error>
#include <utility>

#include "core/error.hpp"
#include "core/path_text.hpp"
#include "core/suggest.hpp"
#include "repo/git_handles.hpp"
#include "repo/objects.hpp"
#include "repo/raw_tree.hpp"
#include "repo/repository_handle.hpp"
#include "repo/tree_diff.hpp"
#include "repo/worktree_diff.hpp"

namespace svcdiff::repo {

namespace {

// libgit2's owner validation is one process-wide switch; it is checked when a
// repository (or a submodule's, during a work tree diff) is opened.
void set_owner_validation(bool trust_owner) {
  if (git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, trust_owner ? 0 : 1) < 0) {
    throw git_failure("cannot set libgit2's owner validation");
  }
}

// libgit2 skips a `.git` file whose target is gone (a moved or pruned
// worktree) and reports no repository; git stops there with an error, and so
// do we, rather than treating the checkout as one without git.
void throw_if_broken_gitfile(const std::string& start_dir) {
  std::error_code fs_error;
  std::filesystem::path dir = std::filesystem::weakly_canonical(start_dir, fs_error);
  if (fs_error) return;
  while (true) {
    const std::filesystem::path gitfile = dir / ".git";
    if (std::filesystem::is_regular_file(gitfile, fs_error)) {
      throw runtime_error("`" + gitfile.string() +
                          "` points to a git directory that cannot be opened; repair the "
                          "worktree (git worktree repair) or remove the file");
    }
    if (!dir.has_relative_path()) return;
    dir = dir.parent_path();
  }
}

// How many symlinks read_file follows before giving up (a loop, or a chain).
constexpr int kMaxSymlinkHops = 8;

// Outcome of a revision lookup: the commit, or why there is none.
struct Resolution {
  std::optional<CommitId> id;
  std::string problem;
  bool unreadable = false;
};

// True when the last libgit2 error came from reading the object database: an
// object that is missing (libgit2 reports a missing parent with class ODB) or
// corrupt (ODB or ZLIB), rather than a name that names nothing. Call right
// after the failing call.
bool last_error_is_unreadable_object() {
  const git_error* error = git_error_last();
  return error != nullptr && (error->klass == GIT_ERROR_ODB || error->klass == GIT_ERROR_ZLIB);
}

Resolution resolve(git_repository* repo, const std::string& revision) {
  if (revision.empty()) return {std::nullopt, "the revision is empty"};
  if (revision.find('\0') != std::string::npos) {
    return {std::nullopt, "the revision contains a NUL byte"};
  }
  git_object* raw_object = nullptr;
  const int rc = git_revparse_single(&raw_object, repo, revision.c_str());
  const ObjectPtr object(raw_object);
  if (rc < 0) return {std::nullopt, last_git_error(), last_error_is_unreadable_object()};
  git_object* raw_commit = nullptr;
  const int peel_rc = git_object_peel(&raw_commit, object.get(), GIT_OBJECT_COMMIT);
  const ObjectPtr commit(raw_commit);
  if (peel_rc < 0) {
    if (last_error_is_unreadable_object()) return {std::nullopt, last_git_error(), true};
    return {std::nullopt, std::string("it names a ") +
                              git_object_type2string(git_object_type(object.get())) +
                              ", not a commit"};
  }
  return {format_oid(*git_object_id(commit.get())), {}};
}

std::string blob_text(git_repository* repo, const TreeEntryView& entry, const std::string& path) {
  git_oid id;
  git_oid_fromraw(&id, entry.id);
  git_blob* raw = nullptr;
  const int rc = git_blob_lookup(&raw, repo, &id);
  const BlobPtr blob(raw);
  if (rc < 0) throw git_failure("cannot read the contents of `" + path + "`");
  const auto* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
  return std::string(data, static_cast<size_t>(git_blob_rawsize(blob.get())));
}

// Where a relative symlink at `link_path` with `target` points, as a
// repository path; nullopt for absolute targets and ones leaving the root.
std::optional<std::string> symlink_destination(const std::string& link_path,
                                               const std::string& target) {
  if (target.empty() || target.front() == '/') return std::nullopt;
  const size_t slash = link_path.rfind('/');
  const std::string joined =
      (slash == std::string::npos ? std::string() : link_path.substr(0, slash + 1)) + target;
  auto folded = fold_dot_segments(joined);
  if (!folded || folded->empty()) return std::nullopt;
  return folded;
}

// Calls visit(path, entry) for every entry below `tree` but submodules;
// `descend` is asked before entering each directory. `path` is the
// directory of `tree`, "" or ending in '/', and is left as it was.
using EntryVisit = std::function<void(const std::string& path, const RawEntry& entry)>;

void walk_tree(const RawTreeReader& reader, RawTree tree, std::string& path,
               const Repository::DirectoryFilter& descend, const EntryVisit& visit) {
  for (; !tree.done(); tree.advance()) {
    const RawEntry& entry = tree.current();
    if (entry.mode == GIT_FILEMODE_COMMIT) continue;
    const std::size_t saved = path.size();
    path.append(entry.name);
    visit(path, entry);
    if (entry.mode == GIT_FILEMODE_TREE && (!descend || descend(path))) {
      RawTree subtree = reader.read(entry.oid(), path);
      path += '/';
      walk_tree(reader, std::move(subtree), path, descend, visit);
    }
    path.resize(saved);
  }
}

// Every entry of the commit's tree, as walk_tree.
void walk_commit(git_repository* repo, const CommitId& commit,
                 const Repository::DirectoryFilter& descend, const EntryVisit& visit) {
  const RawTreeReader reader(repo);
  std::string path;
  walk_tree(reader, reader.read_commit_root(commit), path, descend, visit);
}

// True for "a/b/c": no empty segment (a leading, trailing or double slash),
// no NUL. libgit2 finds nothing else as a file, so neither does read_file.
bool is_plain_path(const std::string& path) {
  return !path.empty() && path.front() != '/' && path.back() != '/' &&
         path.find("//") == std::string::npos && path.find('\0') == std::string::npos;
}

// The trees of `commit`, kept in `trees` until a lookup asks about another.
const CommitTree& commit_trees(const Repository& repository, DirectoryTrees& trees,
                               const CommitId& commit) {
  if (!trees.tree || trees.commit != commit) {
    trees.tree.reset();
    trees.tree.emplace(repository, commit);
    trees.commit = commit;
  }
  return *trees.tree;
}

// The entry at `path` in `commit`, its views kept in `trees`; nullopt when
// there is none or `path` is not a plain path.
std::optional<TreeEntryView> entry_at(const Repository& repository, DirectoryTrees& trees,
                                      const CommitId& commit, const std::string& path) {
  if (!is_plain_path(path)) return std::nullopt;
  return commit_trees(repository, trees, commit).find(path);
}

// A file or a symlink: what discovery counts as a `require` file.
bool is_file_mode(std::uint32_t mode) { return mode != kModeTree && mode != kModeSubmodule; }

// True when a history walk failed because a commit is not there: past a
// shallow boundary (libgit2 reads the boundary when the repository is opened,
// so a later `git fetch --depth` is not seen), or in an incomplete clone.
// libgit2 1.9 reports a missing parent as GIT_ERROR with class ODB, not as
// GIT_ENOTFOUND. Call right after the failing call.
bool is_missing_object(int rc) {
  if (rc == GIT_ENOTFOUND) return true;
  if (rc >= 0) return false;
  const git_error* error = git_error_last();
  return error != nullptr && error->klass == GIT_ERROR_ODB;
}

bool by_path(const ChangedPath& a, const ChangedPath& b) { return a.path < b.path; }

}  // namespace

Repository::Repository(std::unique_ptr<Handle> handle) : handle_(std::move(handle)) {}
Repository::Repository(Repository&&) noexcept = default;
Repository& Repository::operator=(Repository&&) noexcept = default;
Repository::~Repository() = default;

namespace {

// libgit2 takes a git directory whose config does not set core.bare (some
// mirroring tools write none) for a work tree's, with the directory above it
// as the work tree: `--worktree` then compared that directory, and `validate`
// found no files. git calls such a directory bare unless it is named `.git`;
// svcdiff follows git.
bool bare_as_git_tells(git_repository* repo) {
  if (git_repository_is_bare(repo) == 1) return true;
  if (git_repository_is_worktree(repo) == 1) return false;
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, repo) < 0) return false;
  const ConfigPtr config(raw);
  int value = 0;
  if (git_config_get_bool(&value, config.get(), "core.bare") != GIT_ENOTFOUND) return false;
  std::string dir = git_repository_path(repo);
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return std::filesystem::path(dir).filename() != ".git";
}

}  // namespace

std::optional<Repository> Repository::discover(const OpenOptions& options) {
  ensure_libgit2();
  const std::string& dir = options.start_dir;
  std::error_code fs_error;
  if (!std::filesystem::is_directory(dir, fs_error)) {
    throw runtime_error("cannot look for a git repository in `" + dir +
                        "`: it is not a directory; check --repo");
  }
  set_owner_validation(options.trust_owner);
  git_repository* raw = nullptr;
  const int rc = git_repository_open_ext(&raw, dir.c_str(), 0, nullptr);
  RepositoryPtr repo(raw);
  if (rc == GIT_ENOTFOUND) {
    throw_if_broken_gitfile(dir);
    return std::nullopt;
  }
  if (rc == GIT_EOWNER) {
    throw runtime_error("cannot open the git repository at or above `" + dir +
                        "`: " + last_git_error() + "; pass --trust-repo-owner to open it anyway");
  }
  if (rc < 0) throw git_failure("cannot open the git repository at or above `" + dir + "`");
  auto handle = std::make_unique<Handle>();
  handle->repo = std::move(repo);
  handle->trust_owner = options.trust_owner;
  handle->bare = bare_as_git_tells(handle->repo.get());
  return Repository(std::move(handle));
}

std::string Repository::workdir() const {
  if (handle_->bare) return "";
  const char* dir = git_repository_workdir(handle_->repo.get());
  return dir != nullptr ? dir : "";
}

std::string Repository::git_dir() const { return git_repository_path(handle_->repo.get()); }

bool Repository::is_bare() const { return handle_->bare; }

bool Repository::is_shallow() const {
  const int rc = git_repository_is_shallow(handle_->repo.get());
  if (rc < 0) throw git_failure("cannot tell whether `" + git_dir() + "` is a shallow clone");
  return rc == 1;
}

std::vector<std::string> Repository::reference_names() const {
  git_strarray raw{};
  const int rc = git_reference_list(&raw, handle_->repo.get());
  const std::unique_ptr<git_strarray, decltype(&git_strarray_dispose)> list(&raw,
                                                                            git_strarray_dispose);
  std::vector<std::string> names;
  if (rc < 0) return names;  // only for "did you mean": nothing to suggest
  for (size_t i = 0; i < raw.count; ++i) {
    std::string name = raw.strings[i];
    for (const char* prefix : {"refs/heads/", "refs/tags/", "refs/remotes/"}) {
      const std::string text = prefix;
      if (name.rfind(text, 0) == 0) name.erase(0, text.size());
    }
    names.push_back(std::move(name));
  }
  return names;
}

// Why `revision` does not resolve, in git's terms rather than libgit2's.
std::string Repository::revision_problem(const std::string& revision,
                                         const std::string& problem) const {
  // Not git_repository_is_empty: it compares HEAD with a default branch name
  // read from the global config, which svcdiff does not read.
  if (git_repository_head_unborn(handle_->repo.get()) == 1 && reference_names().empty()) {
    return "`" + revision + "`: an empty repository has no commits yet; commit first";
  }
  if (revision.empty() || problem.rfind("it names a ", 0) == 0 ||
      problem.rfind("the revision ", 0) == 0) {
    return "`" + revision + "`: " + problem;  // resolve()'s own words already say it
  }
  const std::string shallow = is_shallow()
                                  ? " (this is a shallow clone: git fetch --unshallow, or a larger "
                                    "git-clone-depth, may bring it)"
                                  : "";
  // `X~3`, `X^2`, `X^`: does X itself resolve? Then the history is too short.
  const std::size_t step = revision.find_last_of("~^");
  const bool ancestry = step != std::string::npos && step > 0 &&
                        revision.find_first_not_of("0123456789", step + 1) == std::string::npos;
  if (ancestry && try_resolve_commit(revision.substr(0, step))) {
    return "`" + revision + "`: the first commit has no parent; " + revision.substr(0, step) +
           " has fewer ancestors than that" + shallow;
  }
  if (problem.find("nvalid pattern") != std::string::npos ||
      problem.find("failed to parse revision specifier") != std::string::npos) {
    return "`" + revision + "` is not a revision git understands (a sha, branch, tag or HEAD~3)";
  }
  return "unknown revision `" + revision + "`" +
         did_you_mean(revision, reference_names(), "; check the branch, tag or commit name") +
         shallow;
}

CommitId Repository::resolve_commit(const std::string& revision,
                                    const std::string& named_by) const {
  Resolution resolution = resolve(handle_->repo.get(), revision);
  if (!resolution.id) {
    throw runtime_error((named_by.empty() ? "" : named_by + ": ") +
                        revision_problem(revision, resolution.problem));
  }
  return std::move(*resolution.id);
}

std::optional<CommitId> Repository::try_resolve_commit(const std::string& revision) const {
  return resolve(handle_->repo.get(), revision).id;
}

Repository::Lookup Repository::lookup_commit(const std::string& revision) const {
  Resolution resolution = resolve(handle_->repo.get(), revision);
  return {std::move(resolution.id), resolution.unreadable, std::move(resolution.problem)};
}

bool Repository::has_commit(const CommitId& id) const {
  git_oid oid;
  if (!parse_commit_id(id, &oid)) return false;
  git_commit* raw = nullptr;
  const int rc = git_commit_lookup(&raw, handle_->repo.get(), &oid);
  const CommitPtr commit(raw);
  return rc == 0;
}

std::optional<CommitId> Repository::merge_base(const CommitId& a, const CommitId& b) const {
  std::vector<CommitId> bases = merge_bases(a, b);
  if (bases.empty()) return std::nullopt;
  return std::move(bases.front());
}

std::vector<CommitId> Repository::merge_bases(const CommitId& a, const CommitId& b) const {
  git_oid oid_a;
  git_oid oid_b;
  if (!parse_commit_id(a, &oid_a) || !parse_commit_id(b, &oid_b)) return {};
  if (!has_commit(a) || !has_commit(b)) return {};
  git_repository* repo = handle_->repo.get();
  git_oidarray found{};
  const int rc = git_merge_bases(&found, repo, &oid_a, &oid_b);
  const OidArrayGuard guard(&found);
  if (is_missing_object(rc)) return {};
  if (rc < 0) throw git_failure("cannot compute the merge base of `" + a + "` and `" + b + "`");
  // libgit2 orders them by its walk; the order is ours to fix, as git's.
  std::vector<std::pair<git_time_t, CommitId>> dated;
  for (std::size_t i = 0; i < found.count; ++i) {
    git_commit* raw = nullptr;
    const int lookup = git_commit_lookup(&raw, repo, &found.ids[i]);
    const CommitPtr commit(raw);
    if (lookup < 0) throw git_failure("cannot read merge base " + format_oid(found.ids[i]));
    dated.emplace_back(git_commit_time(commit.get()), format_oid(found.ids[i]));
  }
  std::sort(dated.begin(), dated.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  });
  std::vector<CommitId> bases;
  bases.reserve(dated.size());
  for (auto& [time, id] : dated) bases.push_back(std::move(id));
  return bases;
}

bool Repository::is_ancestor(const CommitId& ancestor, const CommitId& descendant) const {
  git_oid oid_ancestor;
  git_oid oid_descendant;
  if (!parse_commit_id(ancestor, &oid_ancestor) || !parse_commit_id(descendant, &oid_descendant)) {
    return false;
  }
  if (!has_commit(ancestor) || !has_commit(descendant)) return false;
  if (git_oid_equal(&oid_ancestor, &oid_descendant)) return true;
  const int rc = git_graph_descendant_of(handle_->repo.get(), &oid_descendant, &oid_ancestor);
  if (is_missing_object(rc)) return false;
  if (rc < 0) {
    throw git_failure("cannot tell whether `" + ancestor + "` is an ancestor of `" + descendant +
                      "`");
  }
  return rc == 1;
}

std::vector<ChangedPath> Repository::changes(const CommitId& base, const CommitId& head,
                                             WalkLimit* limit, bool* left_out,
                                             HeadFileWatch* watch) const {
  std::vector<ChangedPath> out;
  const bool cut = append_tree_changes(handle_->repo.get(), base, head, out, limit, watch);
  if (left_out != nullptr) *left_out = cut;
  // The walk emits tree order, which is byte order of whole paths except
  // where a file and a directory of one name swap sides: check before paying
  // a sort (3,000 paths: 5.7M instructions).
  if (!std::is_sorted(out.begin(), out.end(), by_path)) std::sort(out.begin(), out.end(), by_path);
  return out;
}

std::vector<ChangedPath> Repository::worktree_changes(const CommitId& head) const {
  git_repository* repo = handle_->repo.get();
  if (is_bare()) {
    throw runtime_error("the repository `" + git_dir() +
                        "` is bare: it has no work tree to compare; drop --worktree");
  }
  const TreePtr tree = commit_tree(repo, head);
  set_owner_validation(handle_->trust_owner);  // submodules are opened too
  return worktree_status(repo, tree.get(),
                         "the work tree `" + workdir() + "` with commit `" + head + "`");
}

bool Repository::leaves_out_of_work_tree(const std::string& path) const {
  if (is_bare()) return false;
  std::error_code error;
  if (!std::filesystem::exists(std::filesystem::path(git_dir()) / "index", error) && !error) {
    return true;
  }
  git_index* raw_index = nullptr;
  const int rc = git_repository_index(&raw_index, handle_->repo.get());
  const IndexPtr index(raw_index);
  if (rc < 0) throw git_failure("cannot open the index of `" + git_dir() + "`");
  if (git_index_read(index.get(), 0) < 0) {
    throw git_failure("cannot read the index of `" + git_dir() + "`");
  }
  const git_index_entry* entry = git_index_get_bypath(index.get(), path.c_str(), 0);
  return entry != nullptr && (entry->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE) != 0;
}

namespace {

// The entry `path` leads to in `commit` once symlinks inside the tree are
// followed, as reading the checked-out file would, and its path; nullopt
// when it leads nowhere (nothing there, outside the tree, a loop). The
// entry's views hold until the next lookup in `trees`.
std::optional<std::pair<TreeEntryView, std::string>> follow_links(
    const Repository& repository, DirectoryTrees& trees, git_repository* repo,
    const CommitId& commit, const std::string& path, bool* through_link) {
  std::string current = path;
  for (int hop = 0; hop <= kMaxSymlinkHops; ++hop) {
    const auto entry = entry_at(repository, trees, commit, current);
    if (!entry) return std::nullopt;
    if (entry->mode != kModeSymlink) return std::make_pair(*entry, std::move(current));
    if (through_link != nullptr) *through_link = true;
    const std::optional<std::string> next =
        symlink_destination(current, blob_text(repo, *entry, current));
    if (!next) return std::nullopt;
    current = *next;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> Repository::read_file(const CommitId& commit, const std::string& path,
                                                 bool* through_link) const {
  git_repository* repo = handle_->repo.get();
  const auto found = follow_links(*this, handle_->trees, repo, commit, path, through_link);
  // A directory or a submodule is no file.
  if (!found || (found->first.mode != kModeFile && found->first.mode != kModeExecutable)) {
    return std::nullopt;
  }
  return blob_text(repo, found->first, found->second);
}

namespace {

// What an entry of `mode` is, for path_kind and followed_kind.
Repository::PathKind kind_of(std::uint32_t mode) {
  switch (mode) {
    case kModeTree:
      return Repository::PathKind::directory;
    case kModeSubmodule:
      return Repository::PathKind::submodule;
    default:
      return Repository::PathKind::file;
  }
}

}  // namespace

Repository::PathKind Repository::followed_kind(const CommitId& commit,
                                               const std::string& path) const {
  const auto found =
      follow_links(*this, handle_->trees, handle_->repo.get(), commit, path, nullptr);
  return found ? kind_of(found->first.mode) : PathKind::none;
}

Repository::PathKind Repository::path_kind(const CommitId& commit, const std::string& path) const {
  std::string trimmed = path;
  while (!trimmed.empty() && trimmed.back() == '/') trimmed.pop_back();
  if (trimmed.empty() || trimmed == ".") return PathKind::directory;  // the root
  // Through the trees kept for this commit: asked once a selected service
  // (2,000 after a global change), a lookup from the commit each time cost
  // 3.8K instructions.
  const auto entry = entry_at(*this, handle_->trees, commit, trimmed);
  return entry ? kind_of(entry->mode) : PathKind::none;
}

std::vector<std::string> Repository::find_files_named(const CommitId& commit,
                                                      const std::string& name,
                                                      const DirectoryFilter& descend) const {
  std::vector<std::string> out;
  walk_commit(handle_->repo.get(), commit, descend,
              [&](const std::string& path, const RawEntry& entry) {
                if (is_file_mode(entry.mode) && entry.name == name) out.push_back(path);
              });
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Repository::find_directories(const CommitId& commit,
                                                      const DirectoryFilter& descend,
                                                      const DirectoryFilter& keep) const {
  std::vector<std::string> out;
  walk_commit(handle_->repo.get(), commit, descend,
              [&](const std::string& path, const RawEntry& entry) {
                if (entry.mode == GIT_FILEMODE_TREE && keep(path)) out.push_back(path);
              });
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Repository::existing_files(const CommitId& commit,
                                                    const std::vector<std::string>& paths) const {
  // Through the trees kept for this commit, each read once: the candidates
  // share their directories, and is_directory asks about the same ones.
  std::vector<std::string> out;
  for (const auto& path : paths) {
    const auto entry = entry_at(*this, handle_->trees, commit, path);
    if (entry && is_file_mode(entry->mode)) out.push_back(path);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Repository::list_files(const CommitId& commit,
                                                const std::string& dir) const {
  std::string trimmed = dir;
  if (!trimmed.empty() && trimmed.back() == '/') trimmed.pop_back();  // as libgit2 takes "a/"
  if (!trimmed.empty() && !is_plain_path(trimmed)) return {};
  std::vector<std::string> names;
  for (auto& entry : commit_trees(*this, handle_->trees, commit).list(trimmed)) {
    if (entry.mode == kModeFile || entry.mode == kModeExecutable || entry.mode == kModeSymlink) {
      names.push_back(std::move(entry.name));
    }
  }
  return names;
}

}  // namespace svcdiff::repo
