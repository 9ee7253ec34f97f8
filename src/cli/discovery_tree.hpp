#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cache/cache_file.hpp"
#include "repo/repository.hpp"

namespace svcdiff::cli {

// What discovery on demand asks of the head tree: the repository itself, or,
// when the result cache knows every file discovery would find there, that
// list. Both answer alike for the paths discovery asks about, so on-demand
// discovery finds the same files either way, without reading a tree from a
// known list.
class DiscoveryTree {
 public:
  DiscoveryTree(const repo::Repository& repository, repo::CommitId commit)
      : repository_(&repository), commit_(std::move(commit)) {}
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
  cache::PathList sorted_copy_;
  const cache::PathList* known_ = nullptr;  // sorted
};

}  // namespace svcdiff::cli
