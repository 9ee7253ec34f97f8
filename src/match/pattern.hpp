#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "match/wildmatch.hpp"

namespace svcdiff::match {

// One .gitignore-style pattern (SPEC §4). A pattern with a '/' before its end
// is anchored at the repository root; one without matches a name at any depth;
// a trailing '/' matches directories only; a pattern that matches a directory
// selects everything below it.
class Pattern {
 public:
  // The longest pattern compile accepts, in bytes (SPEC §4).
  static constexpr std::size_t kMaxLength = 4096;

  // Throws svcdiff::Error (ExitCode::config) for a pattern that can never be
  // valid: empty, a `.` or `..` segment, longer than 4,096 bytes. A leading
  // '!' is the caller's business (it means different things in different keys).
  static Pattern compile(std::string_view source);

  // `path` is repository-relative, '/'-separated, without a leading '/'.
  // `is_dir` says the path itself is a directory (a submodule counts as one).
  // True when the pattern matches the path or any directory above it.
  bool matches(std::string_view path, bool is_dir = false) const;

  // True when the pattern matches the directory `dir` itself (so every path
  // below it), without looking at its parents.
  bool matches_directory(std::string_view dir) const;

  // False when no path strictly below directory `dir` can match, even if it
  // is not matched as a whole: lets a tree walk skip a subtree. "" is the root.
  bool may_match_below(std::string_view dir) const;

  const std::string& source() const { return source_; }

  // For indexes. Every path an anchored pattern matches equals its literal
  // prefix (its leading segments free of wildcards) or lies below it; empty
  // when the first segment has a wildcard or the pattern is not anchored.
  std::string_view literal_prefix() const;
  // A pattern without a slash or wildcard matches exactly the paths with a
  // segment of this name (or below one); empty for any other pattern.
  std::string_view literal_name() const;
  // A wildcard pattern matches only paths with a segment that ends with this
  // (`*.md`, `**/*_test.go`); empty when it ends in a wildcard, or is literal.
  std::string_view literal_suffix() const;

 private:
  // `wildcard`: where body() has its first wildcard, or npos.
  Pattern(std::string source, std::size_t body_start, std::size_t body_size, bool anchored,
          bool dir_only, std::size_t wildcard);
  bool matches_one(std::string_view path, bool is_dir) const;
  // source_ without a leading '/' or trailing '/'.
  std::string_view body() const {
    return std::string_view(source_).substr(body_start_, body_size_);
  }

  std::string source_;  // as written in the config
  std::size_t body_start_ = 0;
  std::size_t body_size_ = 0;
  bool anchored_ = false;
  bool dir_only_ = false;
  bool has_wildcard_ = false;  // body() holds *, ?, [ or backslash
  std::size_t literal_prefix_length_ = 0;
  // may_match_below's answer for every directory, when it is one answer.
  std::optional<bool> below_every_dir_;
  // body(), compiled; left empty for a literal pattern, which compares bytes
  // instead (most service patterns are a literal `dir/`: thousands a run).
  Glob glob_;
};

}  // namespace svcdiff::match
