#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cache/cache_file.hpp"
#include "config/model.hpp"
#include "repo/head_file_watch.hpp"
#include "repo/repository.hpp"

namespace svcdiff::cli {

// What the diff walk saw of the `require` files at head: for each directory
// it read whole at a depth a `require` may lie in, which of their names it
// holds. Discovery on demand asks about the directories along the changes,
// which are the ones the walk entered, so most answers need no tree read.
class SeenRequireFiles final : public repo::HeadFileWatch {
 public:
  explicit SeenRequireFiles(const config::Config& config);

  bool watches(std::string_view dir) override;
  void read_whole(std::string_view dir, std::uint64_t held) override;

  // Whether `path` ("a/b/name") is a file at head, or nullopt when the walk
  // did not read its directory whole (or does not watch its name).
  std::optional<bool> holds(std::string_view path) const;

 private:
  struct Seen {
    std::uint32_t at;  // in dirs_
    std::uint32_t size;
    std::uint64_t held;
  };
  std::string_view dir_of(const Seen& seen) const {
    return std::string_view(dirs_).substr(seen.at, seen.size);
  }

  std::uint64_t depths_ = 0;  // bit d: a `require` may lie d segments deep
  bool any_depth_ = false;    // a glob with `**`
  int deepest_ = 0;
  std::string dirs_;  // the directories watched, end to end: no string each
  // In the order the walk enters them, which is tree order (each path read
  // as if it ended in '/'); sorted so on the first question after a second
  // walk.
  mutable std::vector<Seen> seen_;
  mutable bool sorted_ = true;
  mutable std::size_t next_ = 0;   // after the entry holds() found last
  std::vector<std::size_t> open_;  // the watched directories the walk is in
};

// What discovery on demand asks of the head tree: the repository itself, or,
// when the result cache knows every file discovery would find there, that
// list. Both answer alike for the paths discovery asks about, so on-demand
// discovery finds the same files either way, without reading a tree from a
// known list.
class DiscoveryTree {
 public:
  // `seen` (when given) must outlive it and be about `commit`.
  DiscoveryTree(const repo::Repository& repository, repo::CommitId commit,
                const SeenRequireFiles* seen = nullptr)
      : repository_(&repository), commit_(std::move(commit)), seen_(seen) {}
  // `known_files` must outlive the DiscoveryTree (a copy is made only when
  // it is not sorted).
  explicit DiscoveryTree(const cache::PathList& known_files);

  // As Repository::existing_files.
  std::vector<std::string> existing_files(const std::vector<std::string>& paths) const;
  // As Repository::find_directories, with filters that take a view: from a
  // known list no directory's name is copied, and most are asked about once.
  // From a known list: the directories above its files, which are all that
  // can hold a discovery file.
  using DirectoryTest = std::function<bool(std::string_view dir)>;
  std::vector<std::string> find_directories(const DirectoryTest& descend,
                                            const DirectoryTest& keep) const;

 private:
  const repo::Repository* repository_ = nullptr;
  repo::CommitId commit_;
  const SeenRequireFiles* seen_ = nullptr;
  cache::PathList sorted_copy_;
  const cache::PathList* known_ = nullptr;  // sorted
};

}  // namespace svcdiff::cli
