#include "repo/git_handles.hpp"

#include <cstring>

namespace svcdiff::repo {
namespace {

constexpr size_t kOidHexSize = static_cast<size_t>(GIT_OID_SHA1_HEXSIZE);

}  // namespace

void ensure_libgit2() {
  // A function-local static runs once, even with threads; a failure throws and
  // the next call tries again.
  static const int init_count = [] {
    const int rc = git_libgit2_init();
    if (rc < 0) throw git_failure("cannot initialise libgit2");
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

TreePtr commit_tree(git_repository* repo, const std::string& id) {
  git_oid oid;
  if (!parse_commit_id(id, &oid)) {
    throw runtime_error("`" + id + "` is not a full commit id; resolve the revision first");
  }
  git_commit* raw_commit = nullptr;
  const int rc = git_commit_lookup(&raw_commit, repo, &oid);
  const CommitPtr commit(raw_commit);
  if (rc < 0) {
    throw git_failure("cannot read commit `" + id +
                      "`; fetch it (a shallow clone may not hold it)");
  }
  git_tree* raw_tree = nullptr;
  const int tree_rc = git_commit_tree(&raw_tree, commit.get());
  TreePtr tree(raw_tree);
  if (tree_rc < 0) {
    throw git_failure("cannot read the tree of commit `" + id +
                      "`; the repository may be incomplete, try `git fsck`");
  }
  return tree;
}

}  // namespace svcdiff::repo
