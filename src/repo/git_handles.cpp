#include "repo/git_handles.hpp"

#include <cstring>

namespace svcdiff::repo {
namespace {

constexpr size_t kOidHexSize = static_cast<size_t>(GIT_OID_SHA1_HEXSIZE);

// svcdiff reads only the repository's own config: the system, global (HOME),
// XDG and ProgramData config files and the home directory used for `~/`
// paths are set empty, so the same commits give the same answer on every
// machine and libgit2 never opens a file under HOME (or asks the passwd
// database for one, which a static glibc cannot do safely).
void confine_to_repository() {
  for (const int level : {GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_XDG,
                          GIT_CONFIG_LEVEL_PROGRAMDATA}) {
    if (git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, "") < 0) {
      throw git_failure("cannot set libgit2's config search path");
    }
  }
  if (git_libgit2_opts(GIT_OPT_SET_HOMEDIR, "") < 0) {
    throw git_failure("cannot set libgit2's home directory");
  }
}

}  // namespace

void ensure_libgit2() {
  // A function-local static runs once, even with threads; a failure throws and
  // the next call tries again.
  static const int init_count = [] {
    const int rc = git_libgit2_init();
    if (rc < 0) throw git_failure("cannot initialise libgit2");
    confine_to_repository();
    // libgit2 caches no tree above 4 KiB, so a `services/` tree of 2,000
    // entries was inflated and hashed again for every path looked up below it
    // (one per service for `infer`): quadratic. Cache trees up to 16 MiB.
    if (git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE,
                         static_cast<size_t>(16) << 20) < 0) {
      throw git_failure("cannot set libgit2's tree cache limit");
    }
    // libgit2 hashes every object it reads again (SHA-1 with collision
    // detection: a quarter of a long diff's instructions); git does not, it
    // checks objects when they arrive (index-pack) and in fsck. A damaged
    // object still fails zlib's checksum or the parse.
    if (git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0) < 0) {
      throw git_failure("cannot turn off libgit2's hash verification on read");
    }
    return rc;
  }();
  (void)init_count;
}

std::string last_git_error() {
  const git_error* error = git_error_last();
  if (error == nullptr || error->message == nullptr || error->message[0] == '\0') {
    return "unknown libgit2 error";
  }
  std::string message = error->message;
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  return message;
}

Error git_failure(const std::string& what) { return runtime_error(what + ": " + last_git_error()); }

bool parse_commit_id(const std::string& id, git_oid* out) {
  if (id.size() != kOidHexSize) return false;
  for (const char c : id) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return git_oid_fromstrn(out, id.data(), id.size()) == 0;
}

std::string format_oid(const git_oid& oid) {
  char text[kOidHexSize + 1] = {};
  git_oid_tostr(text, sizeof text, &oid);
  return text;
}

namespace {

CommitPtr lookup_commit(git_repository* repo, const std::string& id) {
  git_oid oid;
  if (!parse_commit_id(id, &oid)) {
    throw runtime_error("`" + id + "` is not a full commit id; resolve the revision first");
  }
  git_commit* raw_commit = nullptr;
  const int rc = git_commit_lookup(&raw_commit, repo, &oid);
  CommitPtr commit(raw_commit);
  if (rc < 0) {
    throw git_failure("cannot read commit `" + id +
                      "`; fetch it (a shallow clone may not hold it)");
  }
  return commit;
}

}  // namespace

TreePtr commit_tree(git_repository* repo, const std::string& id) {
  const CommitPtr commit = lookup_commit(repo, id);
  git_tree* raw_tree = nullptr;
  const int tree_rc = git_commit_tree(&raw_tree, commit.get());
  TreePtr tree(raw_tree);
  if (tree_rc < 0) {
    throw git_failure("cannot read the tree of commit `" + id +
                      "`; the repository may be incomplete, try `git fsck`");
  }
  return tree;
}

git_oid commit_tree_id(git_repository* repo, const std::string& id) {
  return *git_commit_tree_id(lookup_commit(repo, id).get());
}

}  // namespace svcdiff::repo
