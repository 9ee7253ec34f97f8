#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "repo/objects.hpp"
#include "repo/repository.hpp"

namespace svcdiff::fingerprint {

// The files a fingerprint reads: a commit, or a plain directory hashed the
// way git would store it. Paths are repository-relative ("a/b"; "" is the
// root). An entry's id may be left empty by list() and entry(); object_id()
// fills it in.
class Source {
 public:
  virtual ~Source() = default;
  virtual std::optional<repo::TreeEntry> entry(const std::string& path) = 0;
  virtual std::vector<repo::TreeEntry> list(const std::string& dir) = 0;
  // The git object id of the entry at `path`: a blob's, or a tree's computed
  // over everything below it (kEmptyTreeId when nothing is).
  virtual std::string object_id(const std::string& path, const repo::TreeEntry& entry) = 0;
};

// A commit's trees: every id comes from git, nothing is hashed.
class CommitSource : public Source {
 public:
  CommitSource(const repo::Repository& repository, const std::string& commit)
      : tree_(repository, commit) {}
  std::optional<repo::TreeEntry> entry(const std::string& path) override {
    return tree_.entry(path);
  }
  std::vector<repo::TreeEntry> list(const std::string& dir) override { return tree_.list(dir); }
  std::string object_id(const std::string&, const repo::TreeEntry& entry) override {
    return entry.id;
  }

 private:
  repo::CommitTree tree_;
};

// A plain directory (a zip source artifact, a `git archive` extraction):
// every file below `root` except `.git` counts. A regular file is 100755 when
// its owner may execute it, else 100644 (git's rule with core.fileMode);
// a symlink is 120000 with its target as the blob; empty directories vanish,
// as in git; other file types (sockets, fifos) are skipped.
class DirectorySource : public Source {
 public:
  explicit DirectorySource(std::filesystem::path root) : root_(std::move(root)) {}
  std::optional<repo::TreeEntry> entry(const std::string& path) override;
  std::vector<repo::TreeEntry> list(const std::string& dir) override;
  std::string object_id(const std::string& path, const repo::TreeEntry& entry) override;

 private:
  std::filesystem::path full_path(const std::string& path) const;

  std::filesystem::path root_;
  std::map<std::string, std::string> tree_ids_;  // directories hashed so far
};

}  // namespace svcdiff::fingerprint
