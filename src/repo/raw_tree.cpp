#include "repo/raw_tree.hpp"

#include <string>
#include <utility>

namespace svcdiff::repo {

// The mode as libgit2's git_tree_entry_filemode gives it (and as git
// compares modes): a tree, else any execute bit makes an executable, else
// a submodule, a symlink or a plain file.
git_filemode_t normalized_mode(std::uint32_t mode) {
  constexpr std::uint32_t kType = 0170000;
  if ((mode & kType) == GIT_FILEMODE_TREE) return GIT_FILEMODE_TREE;
  if ((mode & 0100) != 0) return GIT_FILEMODE_BLOB_EXECUTABLE;
  if ((mode & kType) == GIT_FILEMODE_COMMIT) return GIT_FILEMODE_COMMIT;
  if ((mode & kType) == GIT_FILEMODE_LINK) return GIT_FILEMODE_LINK;
  return GIT_FILEMODE_BLOB;
}

void RawTree::advance() {
  has_current_ = next_ != end_;
  if (!has_current_) return;
  std::uint32_t mode = 0;
  const char* p = next_;
  for (; p != end_ && *p >= '0' && *p <= '7'; ++p)
    mode = mode * 8 + static_cast<std::uint32_t>(*p - '0');
  if (p == next_ || p == end_ || *p != ' ') corrupt();
  const char* name = ++p;
  p = static_cast<const char*>(std::memchr(p, '\0', static_cast<std::size_t>(end_ - p)));
  if (p == nullptr || p == name || static_cast<std::size_t>(end_ - p) < 1 + kRawIdSize) corrupt();
  current_.name = std::string_view(name, static_cast<std::size_t>(p - name));
  current_.mode = normalized_mode(mode);
  current_.id = reinterpret_cast<const unsigned char*>(p + 1);
  next_ = p + 1 + kRawIdSize;
}

void RawTree::corrupt() const {
  throw runtime_error("the tree " + format_oid(id_) +
                      " is corrupt; the repository may be damaged, try `git fsck`");
}

RawTreeReader::RawTreeReader(git_repository* repo, std::string commit)
    : repo_(repo), commit_(std::move(commit)) {
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo) < 0) throw git_failure("cannot open the object database");
  odb_.reset(odb);
}

RawTree RawTreeReader::read(const git_oid& id, std::string_view dir, std::string_view name) const {
  git_odb_object* raw = nullptr;
  const int rc = git_odb_read(&raw, odb_.get(), &id);
  OdbObjectPtr object(raw);
  if (rc < 0 || git_odb_object_type(object.get()) != GIT_OBJECT_TREE) {
    const std::string what = "cannot read the tree of `" + std::string(dir) + std::string(name) +
                             "`" + (commit_.empty() ? "" : " in commit `" + commit_ + "`") + " (" +
                             format_oid(id) + "); the repository may be incomplete, try `git fsck`";
    if (rc < 0) throw git_failure(what);
    throw runtime_error(what + ": not a tree");
  }
  return {std::move(object), id};
}

RawTree RawTreeReader::read_commit_root(const std::string& commit) const {
  const git_oid id = commit_tree_id(repo_, commit);
  git_odb_object* raw = nullptr;
  const int rc = git_odb_read(&raw, odb_.get(), &id);
  OdbObjectPtr object(raw);
  if (rc < 0 || git_odb_object_type(object.get()) != GIT_OBJECT_TREE) {
    const std::string what = "cannot read the tree of commit `" + commit +
                             "`; the repository may be incomplete, try `git fsck`";
    if (rc < 0) throw git_failure(what);
    throw runtime_error(what + ": not a tree");
  }
  return {std::move(object), id};
}

}  // namespace svcdiff::repo
