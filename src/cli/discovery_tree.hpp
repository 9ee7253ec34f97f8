#pragma once

#include <string>
#include <vector>

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
  explicit DiscoveryTree(std::vector<std::string> known_files);

  // As Repository::existing_files.
  std::vector<std::string> existing_files(const std::vector<std::string>& paths) const;
  // As Repository::find_directories. From a known list: the directories
  // above its files, which are all that can hold a discovery file.
  std::vector<std::string> find_directories(const repo::Repository::DirectoryFilter& descend,
                                            const repo::Repository::DirectoryFilter& keep) const;

 private:
  const repo::Repository* repository_ = nullptr;
  repo::CommitId commit_;
  std::vector<std::string> known_;  // sorted
};

}  // namespace svcdiff::cli
