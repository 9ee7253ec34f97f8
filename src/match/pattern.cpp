#include "match/pattern.hpp"

#include <array>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace svcdiff::match {
namespace {

// The position of the first *, ?, [ or backslash in `text`, or npos. A
// table, one look-up a byte: a service's literal `dir/` pattern is compiled
// thousands of times a run, and find_first_of tries the four bytes in turn.
std::size_t first_wildcard(std::string_view text) {
  static constexpr auto kWildcard = [] {
    std::array<bool, 256> table{};
    for (const unsigned char c : {'*', '?', '[', '\\'}) table[c] = true;
    return table;
  }();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (kWildcard[static_cast<unsigned char>(text[i])]) return i;
  }
  return std::string_view::npos;
}

// The pattern as shown in a message: bytes that would garble a terminal line
// become \xNN, and a long pattern is cut short.
std::string shown(std::string_view source) {
  constexpr std::size_t kShownBytes = 80;
  std::string text;
  for (std::size_t i = 0; i < source.size() && i < kShownBytes; ++i) {
    const auto c = static_cast<unsigned char>(source[i]);
    if (c >= 0x20 && c < 0x7f) {
      text += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      text += "\\x";
      text += kHex[c >> 4];
      text += kHex[c & 0xf];
    }
  }
  if (source.size() > kShownBytes) text += "...";
  return "`" + text + "`";
}

std::vector<std::string_view> split_segments(std::string_view body) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = body.find('/', start);
    if (slash == std::string_view::npos) {
      segments.push_back(body.substr(start));
      return segments;
    }
    segments.push_back(body.substr(start, slash - start));
    start = slash + 1;
  }
}

// 1 for a segment that wildmatch reads as ".", 2 for "..", else 0 (`\.` is a
// '.' too).
int dot_segment(std::string_view segment) {
  std::string unescaped;
  for (std::size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] == '\\' && i + 1 < segment.size()) ++i;
    unescaped += segment[i];
  }
  if (unescaped == ".") return 1;
  return unescaped == ".." ? 2 : 0;
}

void check_segments(std::string_view source, std::string_view body, bool anchored, bool dir_only) {
  // A `.` or `..` segment needs a '.': most patterns have none, and skip the
  // allocations below.
  if (body.find('.') == std::string_view::npos) return;
  const std::vector<std::string_view> segments = split_segments(body);
  bool has_dot = false;
  bool has_dot_dot = false;
  std::string without_dots;
  for (const std::string_view segment : segments) {
    if (const int dots = dot_segment(segment); dots != 0) {
      (dots == 2 ? has_dot_dot : has_dot) = true;
      continue;
    }
    if (!without_dots.empty()) without_dots += '/';
    without_dots += segment;
  }
  if (has_dot_dot) {
    throw config_error("pattern " + shown(source) +
                       " has a `..` segment: patterns cannot leave the repository; write the path "
                       "from the repository root");
  }
  if (!has_dot) return;
  if (without_dots.empty()) {
    throw config_error("pattern " + shown(source) +
                       " has a `.` segment: patterns are relative to the repository root; write "
                       "`**` to match every path");
  }
  // Keep the suggestion anchored when the original was, so it means the same.
  std::string suggestion = without_dots;
  if (anchored && suggestion.find('/') == std::string::npos) suggestion.insert(0, "/");
  if (dir_only) suggestion += '/';
  throw config_error("pattern " + shown(source) +
                     " has a `.` segment: patterns are relative to the repository root; write " +
                     shown(suggestion) + " instead");
}

std::string_view basename(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Calls visit(segment, is_last) for each '/'-separated segment of `path`
// until visit returns true; returns whether it did.
template <typename Visit>
bool any_segment(std::string_view path, Visit visit) {
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) return visit(path.substr(start), true);
    if (visit(path.substr(start, slash - start), false)) return true;
    start = slash + 1;
  }
}

// `x` for a body `**/x`, where `x` is one segment that cannot match an empty
// one and holds no `**`: such a pattern matches what `x` alone matches, the
// name of the path or of a directory above it. As `x` it runs on that name
// instead of the whole path, and an index can file it. Else empty.
std::string_view leading_globstar_name(std::string_view body) {
  if (!body.starts_with("**/")) return {};
  const std::string_view name = body.substr(3);
  if (name.empty() || name == "*" || name.find('/') != std::string_view::npos ||
      name.find("**") != std::string_view::npos) {
    return {};
  }
  return name;
}

}  // namespace

Pattern::Pattern(std::string source, std::size_t body_start, std::size_t body_size, bool anchored,
                 bool dir_only, std::size_t wildcard)
    : source_(std::move(source)),
      body_start_(body_start),
      body_size_(body_size),
      anchored_(anchored),
      dir_only_(dir_only),
      has_wildcard_(wildcard != std::string_view::npos),
      glob_(has_wildcard_ ? Glob(body()) : Glob()) {
  if (anchored_) {
    // Whole leading segments without a wildcard: up to the '/' before the
    // first wildcard, or all of body(). A partial segment would not be a
    // directory every match lies in.
    const std::string_view text = body();
    if (wildcard == std::string_view::npos) {
      // A '/' still ends body() when the source ended in two ("a//").
      literal_prefix_length_ = text.ends_with('/') ? text.size() - 1 : text.size();
    } else {
      const std::size_t slash = text.rfind('/', wildcard);
      literal_prefix_length_ = slash == std::string_view::npos ? 0 : slash;
    }
  }
  // One answer for every directory (a fingerprint asks it of each one it
  // walks): a name pattern (`*.md`, or `**/*.md` compiled as one) may match a
  // name below any of them, and `**/rest` matches `dir/x` whenever it matches
  // some `x`.
  if (!anchored_) {
    below_every_dir_ = !has_wildcard_ || glob_.may_match_text_starting_with("");
  } else if (has_wildcard_ && body().starts_with("**/")) {
    below_every_dir_ = glob_.may_match_text_starting_with("");
  }
}

Pattern Pattern::compile(std::string_view source) {
  if (source.empty()) {
    throw config_error("empty pattern: remove it, or write `**` to match every path");
  }
  if (source.size() > kMaxLength) {
    throw config_error("pattern " + shown(source) + " is " + std::to_string(source.size()) +
                       " bytes long, over the limit of 4,096 bytes; shorten it or split it into "
                       "several patterns");
  }
  // As git does: one trailing '/' means directories only; a '/' anywhere else
  // anchors; then one leading '/' is dropped.
  std::string_view body = source;
  const bool dir_only = body.back() == '/';
  if (dir_only) body.remove_suffix(1);
  const bool anchored = body.find('/') != std::string_view::npos;
  if (!body.empty() && body.front() == '/') body.remove_prefix(1);
  if (body.empty()) {
    throw config_error("pattern " + shown(source) +
                       " names no path; write `**` to match every path, or `name/` for a "
                       "directory");
  }
  check_segments(source, body, anchored, dir_only);
  bool anchored_body = anchored;
  if (const std::string_view name = leading_globstar_name(body); !name.empty()) {
    body = name;
    anchored_body = false;
  }
  const auto body_start = static_cast<std::size_t>(body.data() - source.data());
  Pattern pattern(std::string(source), body_start, body.size(), anchored_body, dir_only,
                  first_wildcard(body));
  // git's rules make a malformed glob match nothing; in svcdiff.yml that is a
  // mistake to report, not a service that silently never builds.
  if (pattern.has_wildcard_ && !pattern.glob_.valid()) {
    throw config_error("pattern " + shown(source) +
                       " can never match: it has an unclosed `[`, an unknown `[:class:]` or a "
                       "trailing `\\`; write `\\[` for a literal `[`");
  }
  return pattern;
}

bool Pattern::matches_one(std::string_view path, bool is_dir) const {
  if (path.empty() || (dir_only_ && !is_dir)) return false;
  const std::string_view subject = anchored_ ? path : basename(path);
  return has_wildcard_ ? glob_.matches(subject) : subject == body();
}

bool Pattern::matches(std::string_view path, bool is_dir) const {
  if (path.empty()) return false;
  // Ancestors are directories; the path itself is one only when is_dir says so.
  const bool whole_allowed = !dir_only_ || is_dir;
  if (anchored_) {
    if (has_wildcard_) return glob_.matches_self_or_ancestor(path, whole_allowed);
    if (!path.starts_with(body())) return false;
    if (path.size() == body_size_) return whole_allowed;
    return path[body_size_] == '/';
  }
  // A name the glob matches ends with its literal tail (`.md` of `*.md`):
  // most names are refused on that, before the glob runs.
  const std::string_view tail = has_wildcard_ ? glob_.literal_tail() : std::string_view();
  return any_segment(path, [&](std::string_view segment, bool last) {
    if (last && !whole_allowed) return false;
    if (!has_wildcard_) return segment == body();
    return segment.ends_with(tail) && glob_.matches(segment);
  });
}

bool Pattern::matches_directory(std::string_view dir) const { return matches_one(dir, true); }

bool Pattern::may_match_below(std::string_view dir) const {
  if (below_every_dir_) return *below_every_dir_;
  if (matches(dir, true)) return true;
  // A literal pattern matches at least itself, so something anywhere.
  if (!anchored_ || dir.empty()) return !has_wildcard_ || glob_.may_match_text_starting_with("");
  std::string prefix(dir);
  prefix += '/';
  if (!has_wildcard_) return body().starts_with(prefix);
  return glob_.may_match_text_starting_with(prefix);
}

std::string_view Pattern::literal_prefix() const {
  return body().substr(0, literal_prefix_length_);
}

std::string_view Pattern::literal_name() const {
  if (anchored_ || has_wildcard_) return {};
  return body();
}

// The glob matches the whole path or an ancestor (anchored) or one segment,
// so the text it matched, ending with the tail, ends one of the path's segments.
std::string_view Pattern::literal_suffix() const {
  return has_wildcard_ ? glob_.literal_tail() : std::string_view();
}

}  // namespace svcdiff::match
