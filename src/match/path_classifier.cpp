#include "match/path_classifier.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

namespace svcdiff::match {

void PatternIndex::reserve(std::size_t patterns) {
  by_prefix_.reserve(by_prefix_.size() + patterns);
}

void PatternIndex::add(const Pattern& pattern, std::uint32_t id) {
  const auto file = [id](Buckets& buckets, std::string_view key) {
    auto [it, inserted] = buckets.try_emplace(key);
    if (inserted) {
      it->second.first = id;
    } else {
      it->second.more.push_back(id);
    }
  };
  if (const std::string_view prefix = pattern.literal_prefix(); !prefix.empty()) {
    file(by_prefix_, prefix);
  } else if (const std::string_view name = pattern.literal_name(); !name.empty()) {
    file(by_name_, name);
  } else {
    unindexed_.push_back(id);
  }
}

void PatternIndex::candidates(std::string_view path, std::vector<std::uint32_t>& out) const {
  out.clear();
  std::vector<std::uint32_t> hits;
  const auto collect = [&hits](const Buckets& buckets, std::string_view key) {
    if (const auto found = buckets.find(key); found != buckets.end()) {
      hits.push_back(found->second.first);
      hits.insert(hits.end(), found->second.more.begin(), found->second.more.end());
    }
  };
  // Every ancestor prefix and the path itself: a prefix-filed pattern can only
  // match paths at or below its prefix; every segment, for name-filed ones.
  const bool any_prefixed = !by_prefix_.empty();
  const bool any_named = !by_name_.empty();
  if (any_prefixed || any_named) {
    std::size_t start = 0;
    while (true) {
      const std::size_t slash = path.find('/', start);
      const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
      if (any_prefixed) collect(by_prefix_, path.substr(0, end));
      if (any_named) collect(by_name_, path.substr(start, end - start));
      if (slash == std::string_view::npos) break;
      start = slash + 1;
    }
  }
  // A name may recur along the path (`a/x/a`): keep each id once.
  std::sort(hits.begin(), hits.end());
  hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
  out.reserve(hits.size() + unindexed_.size());
  std::merge(hits.begin(), hits.end(), unindexed_.begin(), unindexed_.end(),
             std::back_inserter(out));
}

PathClassifier::PathClassifier(std::vector<Pattern> ignore, std::vector<Pattern> global,
                               std::vector<ServicePatterns> services)
    : ignore_(std::move(ignore)), global_(std::move(global)), services_(std::move(services)) {
  for (std::size_t i = 0; i < ignore_.size(); ++i) {
    ignore_index_.add(ignore_[i], static_cast<std::uint32_t>(i));
  }
  for (std::size_t i = 0; i < global_.size(); ++i) {
    global_index_.add(global_[i], static_cast<std::uint32_t>(i));
  }
  std::size_t paths_count = 0;
  for (const ServicePatterns& service : services_) paths_count += service.paths.size();
  paths_index_.reserve(paths_count);
  paths_entries_.reserve(paths_count);
  for (std::size_t s = 0; s < services_.size(); ++s) {
    const std::vector<Pattern>& paths = services_[s].paths;
    for (std::size_t p = 0; p < paths.size(); ++p) {
      paths_index_.add(paths[p], static_cast<std::uint32_t>(paths_entries_.size()));
      paths_entries_.push_back({static_cast<std::uint32_t>(s), static_cast<std::uint32_t>(p)});
    }
  }
}

const Pattern* PathClassifier::first_match(const std::vector<Pattern>& patterns,
                                           const PatternIndex& index, std::string_view path,
                                           bool is_dir) const {
  if (patterns.empty()) return nullptr;
  std::vector<std::uint32_t> ids;
  index.candidates(path, ids);
  for (const std::uint32_t id : ids) {
    if (patterns[id].matches(path, is_dir)) return &patterns[id];
  }
  return nullptr;
}

Classification PathClassifier::classify(std::string_view path, bool is_dir) const {
  Classification result;
  result.ignored_by = first_match(ignore_, ignore_index_, path, is_dir);
  if (result.ignored_by != nullptr) return result;
  result.global_by = first_match(global_, global_index_, path, is_dir);
  if (result.global_by != nullptr) return result;
  for (Owner& match : path_matches(path, is_dir)) {
    (match.excluded_by == nullptr ? result.owners : result.excluded).push_back(match);
  }
  return result;
}

std::vector<Owner> PathClassifier::path_matches(std::string_view path, bool is_dir) const {
  std::vector<Owner> result;
  if (paths_entries_.empty()) return result;
  std::vector<std::uint32_t> ids;
  paths_index_.candidates(path, ids);
  // Ids run service by service, each service's patterns in config order, so
  // the first hit per service is its first matching pattern.
  std::size_t decided = services_.size();  // the service last settled, either way
  for (const std::uint32_t id : ids) {
    const PathsEntry entry = paths_entries_[id];
    if (entry.service == decided) continue;
    const ServicePatterns& service = services_[entry.service];
    const Pattern& pattern = service.paths[entry.pattern];
    if (!pattern.matches(path, is_dir)) continue;
    decided = entry.service;
    const auto exclude =
        std::find_if(service.exclude.begin(), service.exclude.end(),
                     [&](const Pattern& candidate) { return candidate.matches(path, is_dir); });
    result.push_back(
        {entry.service, &pattern, exclude == service.exclude.end() ? nullptr : &*exclude});
  }
  return result;
}

}  // namespace svcdiff::match
