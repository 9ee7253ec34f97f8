#include "cli/discovery_tree.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>

#include "config/discovery.hpp"
#include "core/path_text.hpp"

namespace svcdiff::cli {

SeenRequireFiles::SeenRequireFiles(const config::Config& config)
    : repo::HeadFileWatch(config::discovery_file_names(config)) {
  for (const int depth : config::require_depths(config)) {
    if (depth < 0 || depth >= 64) {
      any_depth_ = true;
    } else {
      depths_ |= std::uint64_t{1} << depth;
      deepest_ = std::max(deepest_, depth);
    }
  }
}

namespace {

// Git's tree order of two directory paths: each compared as if it ended in
// '/', which puts a directory right before everything below it. The walk
// enters directories in this order.
bool before_in_tree_order(std::string_view a, std::string_view b) {
  const std::size_t common = std::min(a.size(), b.size());
  if (const int order = a.compare(0, common, b, 0, common); order != 0) return order < 0;
  const auto next = [common](std::string_view path) {
    return path.size() > common ? static_cast<unsigned char>(path[common]) : '/';
  };
  const unsigned char a_next = next(a);
  const unsigned char b_next = next(b);
  // Equal there (a '/' after the shorter): it lies above the other.
  return a_next != b_next ? a_next < b_next : a.size() < b.size();
}

}  // namespace

bool SeenRequireFiles::watches(std::string_view dir) {
  if (!any_depth_) {
    // Counted no deeper than the deepest `require` needs.
    const int depth = path_depth(dir, deepest_ + 1);
    if (depth > deepest_ || (depths_ >> depth & 1U) == 0) return false;
  }
  const Seen seen{static_cast<std::uint32_t>(dirs_.size()), static_cast<std::uint32_t>(dir.size()),
                  0};
  dirs_.append(dir);
  if (!seen_.empty() && before_in_tree_order(dir, dir_of(seen_.back()))) sorted_ = false;
  open_.push_back(seen_.size());
  seen_.push_back(seen);
  return true;
}

void SeenRequireFiles::read_whole(std::string_view /*dir*/, std::uint64_t held) {
  seen_[open_.back()].held = held;
  open_.pop_back();
}

std::optional<bool> SeenRequireFiles::holds(std::string_view path) const {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return std::nullopt;  // the root is never watched
  const std::string_view dir = path.substr(0, slash);
  const std::string_view name = path.substr(slash + 1);
  if (seen_.empty()) return std::nullopt;
  const auto& watched = names();
  const auto index = std::find(watched.begin(), watched.end(), name) - watched.begin();
  if (index == std::ssize(watched)) return std::nullopt;
  const auto in_order = [this](const Seen& a, const Seen& b) {
    return before_in_tree_order(dir_of(a), dir_of(b));
  };
  if (!sorted_) {
    std::stable_sort(seen_.begin(), seen_.end(), in_order);
    sorted_ = true;
  }
  // Asked in nearly the walk's order (files_along's paths are sorted, and
  // their directories are the ones it entered): the entry after the last
  // one found is tried before a bisection.
  std::size_t at = next_;
  if (at >= seen_.size() || dir_of(seen_[at]) != dir) {
    const auto found = std::lower_bound(seen_.begin(), seen_.end(), dir,
                                        [this](const Seen& seen, std::string_view key) {
                                          return before_in_tree_order(dir_of(seen), key);
                                        });
    if (found == seen_.end() || dir_of(*found) != dir) return std::nullopt;
    at = static_cast<std::size_t>(found - seen_.begin());
  }
  next_ = at + 1;
  return (seen_[at].held >> index & 1U) != 0;
}

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
  if (repository_ != nullptr) {
    if (seen_ == nullptr) return repository_->existing_files(commit_, paths);
    // What the walk saw needs no tree read; the rest is looked up (all of
    // them, uncopied, when the walk saw none: names looked up elsewhere).
    std::vector<std::optional<bool>> held(paths.size());
    bool any_seen = false;
    for (std::size_t i = 0; i < paths.size(); ++i) {
      held[i] = seen_->holds(paths[i]);
      any_seen = any_seen || held[i].has_value();
    }
    if (!any_seen) return repository_->existing_files(commit_, paths);
    std::vector<std::string> out;
    std::vector<std::string> unseen;
    for (std::size_t i = 0; i < paths.size(); ++i) {
      if (!held[i]) {
        unseen.push_back(paths[i]);
      } else if (*held[i]) {
        out.push_back(paths[i]);
      }
    }
    const std::vector<std::string> found = repository_->existing_files(commit_, unseen);
    const auto seen_end = static_cast<std::ptrdiff_t>(out.size());
    out.insert(out.end(), found.begin(), found.end());
    // Two sorted runs when the paths come sorted (files_along's do): merged.
    if (std::is_sorted(out.begin(), out.begin() + seen_end)) {
      std::inplace_merge(out.begin(), out.begin() + seen_end, out.end());
    } else {
      std::sort(out.begin(), out.end());
    }
    return out;
  }
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
