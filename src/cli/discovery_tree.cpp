#include "cli/discovery_tree.hpp"

#include <algorithm>
#include <string_view>

namespace svcdiff::cli {

DiscoveryTree::DiscoveryTree(std::vector<std::string> known_files)
    : known_(std::move(known_files)) {
  if (!std::is_sorted(known_.begin(), known_.end())) std::sort(known_.begin(), known_.end());
}

std::vector<std::string> DiscoveryTree::existing_files(
    const std::vector<std::string>& paths) const {
  if (repository_ != nullptr) return repository_->existing_files(commit_, paths);
  std::vector<std::string> out;
  for (const auto& path : paths) {
    if (std::binary_search(known_.begin(), known_.end(), path)) out.push_back(path);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> DiscoveryTree::find_directories(
    const repo::Repository::DirectoryFilter& descend,
    const repo::Repository::DirectoryFilter& keep) const {
  if (repository_ != nullptr) return repository_->find_directories(commit_, descend, keep);
  // Top down along each file, as the tree walk goes: a directory is seen
  // when every one above it was entered, kept when `keep` says so. The list
  // is sorted, so a file shares its first directories with the one before
  // it: `chain` holds those. Whether a directory is entered is asked only
  // when a file lies deeper (most files sit right in a service directory).
  struct Link {
    std::string_view dir;
    int entered = -1;  // -1: not asked yet
  };
  auto entered = [&descend](Link& link) {
    if (link.entered < 0) link.entered = !descend || descend(std::string(link.dir)) ? 1 : 0;
    return link.entered == 1;
  };
  std::vector<std::string> out;
  std::vector<Link> chain;
  for (const std::string& file : known_) {
    const std::string_view path(file);
    std::size_t depth = 0;
    while (depth < chain.size() && path.size() > chain[depth].dir.size() &&
           path.substr(0, chain[depth].dir.size()) == chain[depth].dir &&
           path[chain[depth].dir.size()] == '/') {
      ++depth;
    }
    chain.resize(depth);
    const std::size_t from = chain.empty() ? 0 : chain.back().dir.size() + 1;
    for (auto slash = path.find('/', from); slash != std::string_view::npos;
         slash = path.find('/', slash + 1)) {
      if (!chain.empty() && !entered(chain.back())) break;
      const std::string_view dir = path.substr(0, slash);
      if (keep(std::string(dir))) out.emplace_back(dir);
      chain.push_back({dir});
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace svcdiff::cli
