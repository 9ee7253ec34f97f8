#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
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
// anchored patterns are filed under their literal directory prefix, literal
// names under the name and wildcard names under their literal suffix (`*.md`),
// so a lookup costs a few hash probes per segment of the path plus a scan of
// the few patterns that fit none.
class PatternIndex {
 public:
  // Room for `patterns` more without rehashing (they may all be filed by prefix).
  void reserve(std::size_t patterns);
  void add(const Pattern& pattern, std::uint32_t id);
  // Ids of the patterns that may match `path` (or an ancestor), ascending,
  // each once. A superset: the caller still calls Pattern::matches.
  void candidates(std::string_view path, std::vector<std::uint32_t>& out) const;

 private:
  // Ids by the 64-bit hash of a key, open addressing: a probe reads one slot,
  // not a node and the key's text elsewhere (the cost at thousands of
  // services). Keys that collide share a slot: that only adds candidates.
  class HashTable {
   public:
    struct Slot {
      std::uint64_t hash = 0;  // 0: empty (a key that hashes to 0 is filed as 1)
      std::uint32_t first = kNoId;
      std::uint32_t more : 31 = 0;  // 1 + its index in more_, or 0 for none
      // For prefixes: some key lies below this one, so the walk goes on.
      std::uint32_t below : 1 = 0;
    };
    static constexpr std::uint32_t kNoId = 0xffffffff;

    void reserve(std::size_t keys);
    void add(std::uint64_t hash, std::uint32_t id);
    void mark_below(std::uint64_t hash);
    const Slot* find(std::uint64_t hash) const;
    // Appends the ids filed in `slot`, ascending.
    void append_ids(const Slot& slot, std::vector<std::uint32_t>& out) const;
    bool empty() const { return size_ == 0; }

   private:
    Slot& slot_for(std::uint64_t hash);
    void grow(std::size_t slots);

    std::vector<Slot> slots_;  // a power of two in size, at most half full
    std::vector<std::vector<std::uint32_t>> more_;
    std::size_t size_ = 0;
  };
  // Bytes that end some key: a segment ending otherwise needs no hash probe.
  struct LastBytes {
    std::array<std::uint64_t, 4> bits{};
    void add(unsigned char byte) { bits[byte / 64] |= std::uint64_t{1} << (byte % 64); }
    bool has(unsigned char byte) const { return ((bits[byte / 64] >> (byte % 64)) & 1U) != 0; }
  };

  HashTable by_prefix_;  // also every ancestor of a prefix, marked `below`
  HashTable by_name_;
  LastBytes name_ends_;
  HashTable by_suffix_;
  LastBytes suffix_ends_;
  std::vector<std::size_t> suffix_lengths_;  // of the suffixes filed, ascending, each once
  std::vector<std::uint32_t> unindexed_;     // ascending: ids are added in order
};

// path -> services, for every changed path of a run: built once from the
// config's compiled patterns, then queried many times.
class PathClassifier {
 public:
  PathClassifier(std::vector<Pattern> ignore, std::vector<Pattern> global,
                 std::vector<ServicePatterns> services);
  // Not copyable or assignable: built once a run, and its answers point
  // into it.
  PathClassifier(const PathClassifier&) = delete;
  PathClassifier& operator=(const PathClassifier&) = delete;
  PathClassifier(PathClassifier&&) = default;
  PathClassifier& operator=(PathClassifier&&) = delete;

  // `path` as for Pattern::matches; `is_dir` for a submodule.
  Classification classify(std::string_view path, bool is_dir) const;
  // The same into `result`, whose lists keep their room: select_services
  // classifies thousands of paths with one, not an allocation or two each.
  void classify(std::string_view path, bool is_dir, Classification& result) const;

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
  // Calls visit(Owner) for each service path_matches lists, in its order.
  template <typename Visit>
  void for_each_path_match(std::string_view path, bool is_dir, Visit visit) const;

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
