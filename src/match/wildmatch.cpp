#include "match/wildmatch.hpp"

#include <algorithm>
#include <bit>
#include <utility>

namespace svcdiff::match {
namespace {

constexpr std::uint8_t kSlash = '/';

void add_byte(std::array<std::uint64_t, 4>& set, unsigned byte) {
  set[byte / 64] |= std::uint64_t{1} << (byte % 64);
}

bool has_byte(const std::array<std::uint64_t, 4>& set, unsigned byte) {
  return (set[byte / 64] >> (byte % 64)) & 1U;
}

// POSIX character classes in the C locale; bytes >= 0x80 belong to none,
// as in git, which uses its own locale-independent ctype.
bool in_posix_class(std::string_view name, unsigned c, bool& known) {
  known = true;
  const bool upper = c >= 'A' && c <= 'Z';
  const bool lower = c >= 'a' && c <= 'z';
  const bool digit = c >= '0' && c <= '9';
  const bool graph = c >= 0x21 && c <= 0x7e;
  if (name == "alnum") return upper || lower || digit;
  if (name == "alpha") return upper || lower;
  if (name == "blank") return c == ' ' || c == '\t';
  if (name == "cntrl") return c < 0x20 || c == 0x7f;
  if (name == "digit") return digit;
  if (name == "graph") return graph;
  if (name == "lower") return lower;
  if (name == "print") return graph || c == ' ';
  if (name == "punct") return graph && !upper && !lower && !digit;
  if (name == "space") return c == ' ' || (c >= '\t' && c <= '\r');
  if (name == "upper") return upper;
  if (name == "xdigit") return digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  known = false;
  return false;
}

}  // namespace

// A set of NFA states (token indices, plus one past the end for "matched"),
// kept on the stack for patterns of up to 512 tokens.
class Glob::StateSet {
 public:
  explicit StateSet(std::size_t states) : words_((states + 63) / 64) {
    if (words_ > kInlineWords) {
      heap_.assign(words_, 0);
      data_ = heap_.data();
    } else {
      data_ = inline_.data();
    }
  }
  StateSet(const StateSet&) = delete;
  StateSet& operator=(const StateSet&) = delete;

  void clear() {
    for (std::size_t i = 0; i < words_; ++i) data_[i] = 0;
  }
  void set(std::size_t state) { data_[state / 64] |= std::uint64_t{1} << (state % 64); }
  bool test(std::size_t state) const { return (data_[state / 64] >> (state % 64)) & 1U; }
  bool empty() const {
    for (std::size_t i = 0; i < words_; ++i) {
      if (data_[i] != 0) return false;
    }
    return true;
  }
  // Calls visit(state) for every member, in ascending order.
  template <typename Visit>
  void for_each(Visit visit) const {
    for (std::size_t i = 0; i < words_; ++i) {
      std::uint64_t word = data_[i];
      while (word != 0) {
        visit(i * 64 + static_cast<std::size_t>(std::countr_zero(word)));
        word &= word - 1;
      }
    }
  }

 private:
  static constexpr std::size_t kInlineWords = 8;
  std::size_t words_;
  std::array<std::uint64_t, kInlineWords> inline_{};
  std::vector<std::uint64_t> heap_;
  std::uint64_t* data_;
};

Glob::Glob(std::string_view pattern) {
  // One allocation each: a service's patterns are compiled once a service,
  // thousands of them in a large repository.
  tokens_.reserve(pattern.size());
  std::size_t pos = 0;
  while (pos < pattern.size() && valid_) {
    const auto c = static_cast<std::uint8_t>(pattern[pos]);
    Token token;
    if (c == '\\') {
      // A trailing backslash escapes nothing: git never matches such a pattern.
      if (pos + 1 == pattern.size()) {
        valid_ = false;
        break;
      }
      token.byte = static_cast<std::uint8_t>(pattern[pos + 1]);
      pos += 2;
    } else if (c == '?') {
      token.op = Op::any;
      ++pos;
    } else if (c == '[') {
      if (!parse_class(pattern, pos)) {
        valid_ = false;
        break;
      }
      continue;
    } else if (c == '*') {
      std::size_t end = pos;
      while (end < pattern.size() && pattern[end] == '*') ++end;
      // `**` spans directories only as a whole segment: after the start or a
      // '/', before the end or a '/' (git also accepts an escaped '\/').
      const bool segment_start = pos == 0 || pattern[pos - 1] == '/';
      const bool slash_next = end < pattern.size() && pattern[end] == '/';
      const bool escaped_slash_next =
          end + 1 < pattern.size() && pattern[end] == '\\' && pattern[end + 1] == '/';
      if (end - pos >= 2 && segment_start &&
          (end == pattern.size() || slash_next || escaped_slash_next)) {
        if (slash_next) {
          stars_.push_back(static_cast<std::uint32_t>(tokens_.size()));
          tokens_.push_back(Token{Op::skip_globstar});
        }
        token.op = Op::globstar;
      } else {
        token.op = Op::star;
      }
      stars_.push_back(static_cast<std::uint32_t>(tokens_.size()));
      pos = end;
    } else {
      token.byte = c;
      ++pos;
    }
    tokens_.push_back(token);
  }
  std::string run;
  run.reserve(tokens_.size());
  required_.reserve(tokens_.size());
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    const Token& token = tokens_[i];
    // The '/' of `**/` is not required: `**/` may match nothing at all.
    const bool skippable = i >= 2 && tokens_[i - 2].op == Op::skip_globstar;
    if (token.op == Op::byte && !skippable) {
      run += static_cast<char>(token.byte);
      if (run.size() > required_.size()) required_ = run;
    } else {
      run.clear();
    }
  }
  // A malformed glob matches nothing, so it needs no tail to be found by.
  for (std::size_t i = tokens_.size(); valid_ && i > 0; --i) {
    const Token& token = tokens_[i - 1];
    if (token.op != Op::byte || token.byte == kSlash) break;
    tail_ += static_cast<char>(token.byte);
  }
  std::reverse(tail_.begin(), tail_.end());
  stars_end_segments_ = valid_;
  for (std::size_t i = 0; i < tokens_.size() && stars_end_segments_; ++i) {
    const Token& token = tokens_[i];
    const bool star_ends_segment =
        token.op == Op::star && (i + 1 == tokens_.size() ||
                                 (tokens_[i + 1].op == Op::byte && tokens_[i + 1].byte == kSlash));
    stars_end_segments_ = token.op == Op::byte || star_ends_segment;
  }
}

// Parses the bracket expression at pattern[pos] ('['), following git: `!` or
// `^` negates; a `]` right after the opening (and negation) is a member;
// `a-z` is a range whose ends may be escaped; `[:name:]` is a POSIX class, and
// an unknown name makes the whole pattern match nothing; a `[:` without a
// closing `:]` is just a '['. Returns false for a malformed expression.
bool Glob::parse_class(std::string_view pattern, std::size_t& pos) {
  ByteSet members{};
  std::size_t i = pos + 1;
  bool negated = false;
  if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) {
    negated = true;
    ++i;
  }
  int previous = -1;  // the last single member, which a following `-` may extend
  bool first = true;
  while (true) {
    if (i >= pattern.size()) return false;
    auto c = static_cast<std::uint8_t>(pattern[i]);
    if (c == ']' && !first) {
      ++i;
      break;
    }
    first = false;
    if (c == '\\') {
      if (++i >= pattern.size()) return false;
      c = static_cast<std::uint8_t>(pattern[i]);
      add_byte(members, c);
      previous = c;
      ++i;
    } else if (c == '-' && previous >= 0 && i + 1 < pattern.size() && pattern[i + 1] != ']') {
      ++i;
      auto high = static_cast<std::uint8_t>(pattern[i]);
      if (high == '\\') {
        if (++i >= pattern.size()) return false;
        high = static_cast<std::uint8_t>(pattern[i]);
      }
      for (unsigned b = static_cast<unsigned>(previous); b <= high; ++b) add_byte(members, b);
      previous = -1;  // `a-c-e` is a range, then a literal '-', then 'e'
      ++i;
    } else if (c == '[' && i + 1 < pattern.size() && pattern[i + 1] == ':') {
      const std::size_t name_start = i + 2;
      const std::size_t close = pattern.find(']', name_start);
      if (close == std::string_view::npos) return false;
      if (close == name_start || pattern[close - 1] != ':') {
        add_byte(members, '[');
        previous = '[';
        ++i;
        continue;
      }
      const std::string_view name = pattern.substr(name_start, close - 1 - name_start);
      bool known = true;
      for (unsigned b = 0; b < 256; ++b) {
        if (in_posix_class(name, b, known)) add_byte(members, b);
        if (!known) return false;
      }
      previous = -1;
      i = close + 1;
    } else {
      add_byte(members, c);
      previous = c;
      ++i;
    }
  }
  if (negated) {
    for (auto& word : members) word = ~word;
  }
  Token token;
  token.op = Op::set;
  token.set = static_cast<std::uint32_t>(sets_.size());
  sets_.push_back(members);
  tokens_.push_back(token);
  pos = i;
  return true;
}

void Glob::start(StateSet& states) const {
  states.clear();
  states.set(0);
  close(states);
}

// Adds the states reachable without reading a byte: past a star (it matched
// nothing), and from before `**/` to past it (no directory at all). Those
// moves only go forward, so one ascending pass reaches all of them.
void Glob::close(StateSet& states) const {
  for (const std::uint32_t star : stars_) {
    if (!states.test(star)) continue;
    states.set(star + 1);
    if (tokens_[star].op == Op::skip_globstar) states.set(star + 3);
  }
}

void Glob::step(const StateSet& from, std::uint8_t byte, StateSet& to) const {
  to.clear();
  from.for_each([&](std::size_t state) {
    if (state >= tokens_.size()) return;  // already at the end: no byte may follow
    const Token& token = tokens_[state];
    switch (token.op) {
      case Op::byte:
        if (byte == token.byte) to.set(state + 1);
        break;
      case Op::any:
        if (byte != kSlash) to.set(state + 1);
        break;
      case Op::set:
        if (byte != kSlash && has_byte(sets_[token.set], byte)) to.set(state + 1);
        break;
      case Op::star:
        if (byte != kSlash) to.set(state);
        break;
      case Op::globstar:
        to.set(state);
        break;
      case Op::skip_globstar:
        break;
    }
  });
  close(to);
}

bool Glob::accepts(const StateSet& states) const { return states.test(tokens_.size()); }

bool Glob::run(std::string_view text, bool ancestors, AtEnd at_end) const {
  if (!valid_) return false;
  if (at_end != AtEnd::alive && text.find(required_) == std::string_view::npos) return false;
  StateSet a(tokens_.size() + 1);
  StateSet b(tokens_.size() + 1);
  StateSet* current = &a;
  StateSet* next = &b;
  start(*current);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<std::uint8_t>(text[i]);
    if (ancestors && c == kSlash && i > 0 && accepts(*current)) return true;
    step(*current, c, *next);
    if (next->empty()) return false;  // no continuation can match either
    std::swap(current, next);
  }
  switch (at_end) {
    case AtEnd::accept:
      return accepts(*current);
    case AtEnd::alive:
      return true;
    case AtEnd::fail:
      break;
  }
  return false;
}

bool Glob::match_stars_ending_segments(std::string_view text, bool prefix) const {
  std::size_t i = 0;
  for (const Token& token : tokens_) {
    if (token.op == Op::star) {
      i = std::min(text.find(static_cast<char>(kSlash), i), text.size());
    } else if (i == text.size()) {
      return prefix;  // the text may go on with this byte
    } else if (static_cast<std::uint8_t>(text[i++]) != token.byte) {
      return false;
    }
  }
  return i == text.size();
}

bool Glob::matches(std::string_view text) const {
  if (stars_end_segments_) return match_stars_ending_segments(text, false);
  return run(text, false, AtEnd::accept);
}

bool Glob::matches_self_or_ancestor(std::string_view text, bool include_whole) const {
  return run(text, true, include_whole ? AtEnd::accept : AtEnd::fail);
}

bool Glob::may_match_text_starting_with(std::string_view prefix) const {
  // Asked for every directory a discovery walk enters: `apps/*/*` needs no NFA.
  if (stars_end_segments_) return match_stars_ending_segments(prefix, true);
  return run(prefix, false, AtEnd::alive);
}

bool wildmatch(std::string_view pattern, std::string_view text) {
  return Glob(pattern).matches(text);
}

}  // namespace svcdiff::match
