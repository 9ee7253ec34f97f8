#pragma once

#include <string>
#include <string_view>

namespace svcdiff::match {

// One .gitignore-style pattern (SPEC §4). A pattern with a '/' before its end
// is anchored at the repository root; one without matches a name at any depth;
// a trailing '/' matches directories only; a pattern that matches a directory
// selects everything below it.
class Pattern {
 public:
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
  // is not matched as a whole: lets a tree walk skip a subtree.
  bool may_match_below(std::string_view dir) const;

  const std::string& source() const { return source_; }

 private:
  bool matches_one(std::string_view path, bool is_dir) const;

  std::string source_;   // as written in the config
  std::string body_;     // without a leading '/' or trailing '/'
  bool anchored_ = false;
  bool dir_only_ = false;
  bool has_wildcard_ = false;  // body_ holds *, ?, [ or backslash
};

}  // namespace svcdiff::match
