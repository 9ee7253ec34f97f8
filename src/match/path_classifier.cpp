#include "match/path_classifier.hpp"

#include <algorithm>
#include <utility>

#include "match/text_hash.hpp"

namespace svcdiff::match {

namespace {

// A directory prefix's hash extends its parent's by one segment, so a path's
// every ancestor costs one step each, not a hash of its whole text.
constexpr std::uint64_t kRootHash = 1;
std::uint64_t extend(std::uint64_t parent, std::uint64_t segment_hash) {
  return hash_mix(parent * 0x9e3779b97f4a7c15ULL + segment_hash);
}

}  // namespace

void PatternIndex::HashTable::reserve(std::size_t keys) {
  std::size_t slots = slots_.empty() ? 16 : slots_.size();
  while (slots < 2 * (size_ + keys)) slots *= 2;
  if (slots != slots_.size()) grow(slots);
}

void PatternIndex::HashTable::grow(std::size_t slots) {
  std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(slots));
  const std::size_t mask = slots - 1;
  for (const Slot& slot : old) {
    if (slot.hash == 0) continue;
    std::size_t i = slot.hash & mask;
    while (slots_[i].hash != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

PatternIndex::HashTable::Slot& PatternIndex::HashTable::slot_for(std::uint64_t hash) {
  if (hash == 0) hash = 1;
  if (2 * (size_ + 1) > slots_.size()) reserve(1);
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash & mask;
  while (slots_[i].hash != 0 && slots_[i].hash != hash) i = (i + 1) & mask;
  if (slots_[i].hash == 0) {
    slots_[i].hash = hash;
    ++size_;
  }
  return slots_[i];
}

void PatternIndex::HashTable::add(std::uint64_t hash, std::uint32_t id) {
  Slot& slot = slot_for(hash);
  if (slot.first == kNoId) {
    slot.first = id;
  } else if (slot.more == 0) {
    more_.push_back({id});
    slot.more = static_cast<std::uint32_t>(more_.size());
  } else {
    more_[slot.more - 1].push_back(id);
  }
}

void PatternIndex::HashTable::mark_below(std::uint64_t hash) { slot_for(hash).below = 1; }

const PatternIndex::HashTable::Slot* PatternIndex::HashTable::find(std::uint64_t hash) const {
  if (slots_.empty()) return nullptr;
  if (hash == 0) hash = 1;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.hash == hash) return &slot;
    if (slot.hash == 0) return nullptr;
  }
}

void PatternIndex::HashTable::append_ids(const Slot& slot, std::vector<std::uint32_t>& out) const {
  if (slot.first == kNoId) return;
  out.push_back(slot.first);
  if (slot.more != 0) {
    const std::vector<std::uint32_t>& more = more_[slot.more - 1];
    out.insert(out.end(), more.begin(), more.end());
  }
}

void PatternIndex::reserve(std::size_t patterns) { by_prefix_.reserve(patterns); }

void PatternIndex::add(const Pattern& pattern, std::uint32_t id) {
  if (const std::string_view prefix = pattern.literal_prefix(); !prefix.empty()) {
    // Each ancestor is marked, so a lookup stops at the first that is not.
    std::uint64_t hash = kRootHash;
    std::size_t start = 0;
    while (true) {
      const std::size_t slash = prefix.find('/', start);
      const std::size_t end = slash == std::string_view::npos ? prefix.size() : slash;
      hash = extend(hash, text_hash(prefix.substr(start, end - start)));
      if (slash == std::string_view::npos) break;
      by_prefix_.mark_below(hash);
      start = slash + 1;
    }
    by_prefix_.add(hash, id);
  } else if (const std::string_view name = pattern.literal_name(); !name.empty()) {
    by_name_.add(text_hash(name), id);
    name_ends_.add(static_cast<unsigned char>(name.back()));
  } else if (const std::string_view suffix = pattern.literal_suffix(); !suffix.empty()) {
    by_suffix_.add(text_hash(suffix), id);
    suffix_ends_.add(static_cast<unsigned char>(suffix.back()));
    const auto at = std::lower_bound(suffix_lengths_.begin(), suffix_lengths_.end(), suffix.size());
    if (at == suffix_lengths_.end() || *at != suffix.size()) {
      suffix_lengths_.insert(at, suffix.size());
    }
  } else {
    unindexed_.push_back(id);
  }
}

void PatternIndex::candidates(std::string_view path, std::vector<std::uint32_t>& out) const {
  out.clear();
  // Ancestor prefixes and the path itself, while some prefix key lies at or
  // below them: a prefix-filed pattern only matches paths at or below its
  // prefix. Every segment, for name-filed ones; every segment's ends, for
  // suffix-filed ones.
  bool walk_prefixes = !by_prefix_.empty();
  const bool any_named = !by_name_.empty();
  const bool any_suffixed = !by_suffix_.empty();
  std::uint64_t prefix = kRootHash;
  std::size_t start = 0;
  while (walk_prefixes || any_named || any_suffixed) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    const std::string_view segment = path.substr(start, end - start);
    const auto last = segment.empty() ? 0 : static_cast<unsigned char>(segment.back());
    const bool probe_name = any_named && !segment.empty() && name_ends_.has(last);
    if (walk_prefixes || probe_name) {
      const std::uint64_t hash = text_hash(segment);
      if (walk_prefixes) {
        prefix = extend(prefix, hash);
        const HashTable::Slot* slot = by_prefix_.find(prefix);
        walk_prefixes = slot != nullptr && slot->below != 0;
        if (slot != nullptr) by_prefix_.append_ids(*slot, out);
      }
      if (probe_name) {
        if (const HashTable::Slot* slot = by_name_.find(hash)) by_name_.append_ids(*slot, out);
      }
    }
    if (any_suffixed && !segment.empty() && suffix_ends_.has(last)) {
      for (const std::size_t length : suffix_lengths_) {
        if (length > segment.size()) break;
        const std::uint64_t hash = text_hash(segment.substr(segment.size() - length));
        if (const HashTable::Slot* slot = by_suffix_.find(hash)) by_suffix_.append_ids(*slot, out);
      }
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  // A name may recur along the path (`a/x/a`), and colliding keys share ids:
  // keep each id once.
  if (out.size() > 1) {
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
  // Merged from the back, in place: unindexed ids are never filed as well.
  std::size_t hits = out.size();
  std::size_t rest = unindexed_.size();
  out.resize(hits + rest);
  for (std::size_t at = out.size(); rest > 0;) {
    out[--at] = hits > 0 && out[hits - 1] > unindexed_[rest - 1] ? out[--hits] : unindexed_[--rest];
  }
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

namespace {

// The candidates' ids of the query under way: kept from query to query, so
// classifying a path allocates no list of them.
std::vector<std::uint32_t>& candidate_ids() {
  thread_local std::vector<std::uint32_t> ids;
  return ids;
}

}  // namespace

const Pattern* PathClassifier::first_match(const std::vector<Pattern>& patterns,
                                           const PatternIndex& index, std::string_view path,
                                           bool is_dir) const {
  if (patterns.empty()) return nullptr;
  std::vector<std::uint32_t>& ids = candidate_ids();
  index.candidates(path, ids);
  for (const std::uint32_t id : ids) {
    if (patterns[id].matches(path, is_dir)) return &patterns[id];
  }
  return nullptr;
}

template <typename Visit>
void PathClassifier::for_each_path_match(std::string_view path, bool is_dir, Visit visit) const {
  if (paths_entries_.empty()) return;
  std::vector<std::uint32_t>& ids = candidate_ids();
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
    visit(Owner{entry.service, &pattern, exclude == service.exclude.end() ? nullptr : &*exclude});
  }
}

Classification PathClassifier::classify(std::string_view path, bool is_dir) const {
  Classification result;
  classify(path, is_dir, result);
  return result;
}

void PathClassifier::classify(std::string_view path, bool is_dir, Classification& result) const {
  result.owners.clear();
  result.excluded.clear();
  result.global_by = nullptr;
  result.ignored_by = first_match(ignore_, ignore_index_, path, is_dir);
  if (result.ignored_by != nullptr) return;
  result.global_by = first_match(global_, global_index_, path, is_dir);
  if (result.global_by != nullptr) return;
  for_each_path_match(path, is_dir, [&result](const Owner& match) {
    (match.excluded_by == nullptr ? result.owners : result.excluded).push_back(match);
  });
}

std::vector<Owner> PathClassifier::path_matches(std::string_view path, bool is_dir) const {
  std::vector<Owner> result;
  for_each_path_match(path, is_dir, [&result](const Owner& match) { result.push_back(match); });
  return result;
}

}  // namespace svcdiff::match
