#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "repo/objects.hpp"
#include "repo/repository.hpp"

namespace svcdiff::fingerprint {

// The files a fingerprint reads: a commit, or a plain directory hashed the
// way git would store it. Paths are repository-relative ("a/b"; "" is the
// root). Entries are handed to a callback as views, which live until it
// returns; an entry's id is null when the source would have to hash to know it
// (object_id() does).
class Source {
 public:
  using Visit = std::function<void(const repo::TreeEntryView&)>;

  virtual ~Source() = default;
  // Calls `visit` with the entry at `path` when there is one.
  virtual void entry(const std::string& path, const Visit& visit) = 0;
  // Calls `visit` with every entry of the directory `dir`, whose own entry is
  // `self`, in no particular order. `dir` is not read once `visit` is called
  // (the walk passes its path buffer, which `visit` changes).
  virtual void list(const std::string& dir, const repo::TreeEntryView& self,
                    const Visit& visit) = 0;
  // The git object id of the entry at `path`: a blob's, or a tree's computed
  // over everything below it (kEmptyTreeId's when nothing is).
  virtual repo::ObjectId object_id(const std::string& path, const repo::TreeEntryView& entry) = 0;
};

// A commit's trees: every id comes from git, nothing is hashed.
class CommitSource : public Source {
 public:
  CommitSource(const repo::Repository& repository, const std::string& commit)
      : tree_(repository, commit) {}
  void entry(const std::string& path, const Visit& visit) override {
    if (auto found = tree_.find(path)) visit(*found);
  }
  void list(const std::string& dir, const repo::TreeEntryView& self, const Visit& visit) override {
    tree_.for_each_entry(self, dir, visit);
  }
  repo::ObjectId object_id(const std::string&, const repo::TreeEntryView& entry) override {
    return entry.object_id();
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
  void entry(const std::string& path, const Visit& visit) override;
  void list(const std::string& dir, const repo::TreeEntryView& self, const Visit& visit) override;
  repo::ObjectId object_id(const std::string& path, const repo::TreeEntryView& entry) override;

 private:
  std::filesystem::path full_path(const std::string& path) const;
  // The entries of `dir`, their ids left empty; none when it is no directory.
  std::vector<repo::TreeEntry> entries(const std::string& dir) const;
  // The id of `path`, `mode`, as 40 hex characters.
  std::string hex_id(const std::string& path, std::uint32_t mode);

  std::filesystem::path root_;
  std::map<std::string, std::string> tree_ids_;  // directories hashed so far
};

}  // namespace svcdiff::fingerprint
