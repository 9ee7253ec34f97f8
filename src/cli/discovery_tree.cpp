#include "cli/discovery_tree.hpp"

#include <algorithm>
#include <string_view>

namespace svcdiff::cli {

DiscoveryTree::DiscoveryTree(const cache::PathList& known_files) : known_(&known_files) {
  if (!known_files.sorted()) {
    std::vector<std::string_view> paths(known_files.begin(), known_files.end());
    std::sort(paths.begin(), paths.end());
    for (const auto path : paths) sorted_copy_.push_back(path);
    known_ = &sorted_copy_;
  }
}

std::vector<std::string> DiscoveryTree::existing_files(
    const std::vector<std::string>& paths) const {
  if (repository_ != nullptr) return repository_->existing_files(commit_, paths);
  // The paths come sorted (files_along's are), as the list is: each search
  // starts where the one before ended, and the answer needs no sort.
  const bool in_order = std::is_sorted(paths.begin(), paths.end());
  std::vector<std::string> out;
  auto from = known_->begin();
  for (const auto& path : paths) {
    if (!in_order) from = known_->begin();
    from = std::ranges::lower_bound(from, known_->end(), std::string_view(path));
    if (from != known_->end() && *from == path) out.push_back(path);
  }
  if (!in_order) std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> DiscoveryTree::find_directories(const DirectoryTest& descend,
                                                         const DirectoryTest& keep) const {
  if (repository_ != nullptr) {
    repo::Repository::DirectoryFilter descend_here;
    if (descend) descend_here = [&descend](const std::string& dir) { return descend(dir); };
    return repository_->find_directories(commit_, descend_here,
                                         [&keep](const std::string& dir) { return keep(dir); });
  }
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
    if (link.entered < 0) link.entered = !descend || descend(link.dir) ? 1 : 0;
    return link.entered == 1;
  };
  std::vector<std::string> out;
  std::vector<Link> chain;
  for (const std::string_view path : *known_) {
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
      if (keep(dir)) out.emplace_back(dir);
      chain.push_back({dir});
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace svcdiff::cli
