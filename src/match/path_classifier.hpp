#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <memory_resource>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "match/pattern.hpp"

namespace svcdiff::match {

// One service's patterns, compiled: a path belongs to the service when it
// matches one of `paths` and none of `exclude` (SPEC §4).
struct ServicePatterns {
  std::string name;
  std::vector<Pattern> paths;
  std::vector<Pattern> exclude;
};

// A service that owns a path: its index in PathClassifier::services() and
// the first of its `paths` (in config order) that matched. From
// path_matches, `excluded_by` is the `exclude` pattern that takes it back.
struct Owner {
  std::size_t service = 0;
  const Pattern* pattern = nullptr;
  const Pattern* excluded_by = nullptr;

  friend bool operator==(const Owner&, const Owner&) = default;
};

// What one path is, by precedence: ignored (nothing else is filled in), else
// global (owners left empty: every service is selected anyway), else owned by
// zero or more services. Pointers refer into the PathClassifier.
struct Classification {
  const Pattern* ignored_by = nullptr;  // the first matching `ignore` pattern
  const Pattern* global_by = nullptr;   // the first matching `global` pattern
  std::vector<Owner> owners;            // sorted by service index
  std::vector<Owner> excluded;          // matched by `paths`, taken back by `exclude`
};

// Patterns that may match a path, found without trying every pattern:
// anchored patterns are filed under their literal directory prefix and
// literal names under the name, so a lookup costs a hash probe per segment of
// the path plus a scan of the few patterns that fit neither.
class PatternIndex {
 public:
  PatternIndex() = default;
  // Not copyable: the keys view the text of the patterns added, which a copy
  // would not own (moving keeps them, as it keeps the patterns' buffers). Not
  // assignable: the buckets' nodes live in the index's own arena.
  PatternIndex(const PatternIndex&) = delete;
  PatternIndex& operator=(const PatternIndex&) = delete;
  PatternIndex(PatternIndex&&) = default;
  PatternIndex& operator=(PatternIndex&&) = delete;

  // Room for `patterns` more without rehashing (they may all be filed by prefix).
  void reserve(std::size_t patterns);
  // `pattern` must outlive the index, at the same address.
  void add(const Pattern& pattern, std::uint32_t id);
  // Ids of the patterns that may match `path` (or an ancestor), ascending,
  // each once. A superset: the caller still calls Pattern::matches.
  void candidates(std::string_view path, std::vector<std::uint32_t>& out) const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const {
      return std::hash<std::string_view>{}(key);
    }
  };
  // Most keys hold one pattern (a service's `dir/`): it goes in `first`, and
  // only the others in `more`.
  struct Bucket {
    std::uint32_t first = 0;
    std::vector<std::uint32_t> more;
  };
  using Buckets = std::pmr::unordered_map<std::string_view, Bucket, Hash>;

  // The buckets' nodes: thousands made at once (one a service) and freed at
  // once, so no allocation each. On the heap, so a move keeps it in place.
  std::unique_ptr<std::pmr::monotonic_buffer_resource> arena_ =
      std::make_unique<std::pmr::monotonic_buffer_resource>();
  Buckets by_prefix_{arena_.get()};
  Buckets by_name_{arena_.get()};
  std::vector<std::uint32_t> unindexed_;  // ascending: ids are added in order
};

// path -> services, for every changed path of a run: built once from the
// config's compiled patterns, then queried many times.
class PathClassifier {
 public:
  PathClassifier(std::vector<Pattern> ignore, std::vector<Pattern> global,
                 std::vector<ServicePatterns> services);
  // Not copyable or assignable, as its PatternIndexes.
  PathClassifier(const PathClassifier&) = delete;
  PathClassifier& operator=(const PathClassifier&) = delete;
  PathClassifier(PathClassifier&&) = default;
  PathClassifier& operator=(PathClassifier&&) = delete;

  // `path` as for Pattern::matches; `is_dir` for a submodule.
  Classification classify(std::string_view path, bool is_dir) const;

  // Every service one of whose `paths` matches `path`, regardless of `ignore`
  // and `global`, excluded ones too (with `excluded_by` set): what `explain`
  // shows for an unselected service.
  std::vector<Owner> path_matches(std::string_view path, bool is_dir) const;

  const std::vector<ServicePatterns>& services() const { return services_; }
  const std::vector<Pattern>& ignore() const { return ignore_; }
  const std::vector<Pattern>& global() const { return global_; }

 private:
  const Pattern* first_match(const std::vector<Pattern>& patterns, const PatternIndex& index,
                             std::string_view path, bool is_dir) const;

  // Never resized after construction, so the Pattern pointers handed out stay
  // valid for the classifier's lifetime (moving it keeps the heap buffers).
  std::vector<Pattern> ignore_;
  std::vector<Pattern> global_;
  std::vector<ServicePatterns> services_;

  PatternIndex ignore_index_;
  PatternIndex global_index_;
  PatternIndex paths_index_;  // ids number all services' `paths` in order
  struct PathsEntry {
    std::uint32_t service;
    std::uint32_t pattern;
  };
  std::vector<PathsEntry> paths_entries_;  // by id
};

}  // namespace svcdiff::match
