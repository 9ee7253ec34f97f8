#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace svcdiff::match {

// git's wildmatch in WM_PATHNAME mode on raw bytes: `*`, `?` and `[...]` never
// match '/', and `**` as a whole segment spans directories. This is the bare
// matcher; the .gitignore rules on top of it live in Pattern.
bool wildmatch(std::string_view pattern, std::string_view text);

// A wildmatch pattern compiled once and matched many times. Matching runs the
// pattern as a small NFA over the text, so it costs O(pattern x text) at worst
// however many stars the pattern holds (no backtracking blow-up).
class Glob {
 public:
  explicit Glob(std::string_view pattern);
  // The empty pattern, as Glob(""), without compiling anything: what a
  // literal Pattern (thousands a run) holds and never runs.
  Glob() = default;

  bool matches(std::string_view text) const;

  // False for a malformed glob (an unclosed `[`, an unknown `[:class:]`, a
  // trailing backslash), which, as in git, matches nothing.
  bool valid() const { return valid_; }

  // True when the glob matches a prefix of `text` that ends just before a '/'
  // (an ancestor directory of the path `text`), or, if `include_whole`, all of
  // `text`. One pass over the text answers for every ancestor at once.
  bool matches_self_or_ancestor(std::string_view text, bool include_whole) const;

  // False when no text that starts with `prefix` can match.
  bool may_match_text_starting_with(std::string_view prefix) const;

  // Exact bytes every text the glob matches ends with: those after its last
  // wildcard and its last '/'. Empty when it ends in a wildcard or a '/'.
  std::string_view literal_tail() const { return tail_; }

 private:
  enum class Op : std::uint8_t {
    byte,      // one exact byte
    any,       // `?`: one byte other than '/'
    set,       // `[...]`: one byte of a class, never '/'
    star,      // `*`: any run of bytes without '/'
    globstar,  // `**` as a whole segment: any run of bytes
    // Reads nothing: stands before a globstar followed by '/' and lets the
    // match go on past that '/', so `a/**/b` matches `a/b`. Only at the
    // position where `**` starts, never after it has read something.
    skip_globstar,
  };
  struct Token {
    Op op = Op::byte;
    std::uint8_t byte = 0;
    std::uint32_t set = 0;  // index into sets_
  };
  using ByteSet = std::array<std::uint64_t, 4>;
  class StateSet;

  bool parse_class(std::string_view pattern, std::size_t& pos);
  void start(StateSet& states) const;
  void close(StateSet& states) const;
  void step(const StateSet& from, std::uint8_t byte, StateSet& to) const;
  bool accepts(const StateSet& states) const;
  // Feeds `text` through the NFA. With `ancestors`, true as soon as a prefix
  // ending before a '/' matches; at the end, `at_end` says what to answer.
  enum class AtEnd { accept, alive, fail };
  bool run(std::string_view text, bool ancestors, AtEnd at_end) const;

  std::vector<Token> tokens_;
  std::vector<ByteSet> sets_;
  std::vector<std::uint32_t> stars_;  // indices of tokens that may read nothing, ascending
  bool valid_ = true;                 // false: malformed (e.g. unclosed `[`), matches nothing
  // The longest run of exact bytes: a text without it cannot match, which
  // rejects most texts before the NFA runs.
  std::string required_;
  std::string tail_;
  // Only exact bytes and `*`s, each `*` last or before a '/' (`services/*`,
  // `apps/*/*`: a discover glob's usual shapes). Such a `*` can only take the
  // text up to the next '/', so matches() walks the text once, no NFA, and so
  // does may_match_text_starting_with (`prefix`: true if the text runs out first).
  bool stars_end_segments_ = true;
  bool match_stars_ending_segments(std::string_view text, bool prefix) const;
};

}  // namespace svcdiff::match
