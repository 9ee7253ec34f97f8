#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// Paths and other user bytes as text: `.`/`..` segments, and the two ways
// svcdiff shows bytes that are not plain text.
namespace svcdiff {

// `path` ('/'-separated, relative) with empty and `.` segments dropped and
// each `..` folding the segment before it; nullopt when a `..` climbs above
// the start. "a/./b/../c" -> "a/c"; "a/../.." -> nullopt; "." -> "".
std::optional<std::string> fold_dot_segments(std::string_view path);

// How many segments the directory `dir` has ("a/b": 2, "": 0), counted up to
// `limit` at most: a caller that compares with depths of its own needs no
// more, and a slash found by memchr costs less than a byte counted. Inline:
// walks ask it of every directory they enter.
inline int path_depth(std::string_view dir, int limit) {
  int depth = dir.empty() ? 0 : 1;
  for (std::size_t slash = dir.find('/'); slash != std::string_view::npos && depth < limit;
       slash = dir.find('/', slash + 1)) {
    ++depth;
  }
  return depth;
}

// A path as git prints it when core.quotePath applies: `"dir/\303\274 n.txt"`
// -> the bytes it stands for. nullopt when `quoted` does not start and end
// with `"` or holds an escape git never writes.
std::optional<std::string> unquote_git_path(std::string_view quoted);

// Length of the valid UTF-8 sequence starting at s[i] (1 for ASCII), or 0
// when invalid: overlong forms, surrogates and code points past U+10FFFF are
// invalid, as RFC 3629 and nlohmann/json's lexer say.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

// Paths are bytes: every byte that is not part of valid UTF-8 becomes the four
// characters \xNN, so the string can be put in JSON without loss.
std::string json_safe(std::string_view bytes);

// A path for JSON: json_safe, and a backslash becomes \x5c too, so decoding
// every \xNN gives back exactly the path's bytes (SPEC §5: no path is lost).
// Values that are not paths (vars, patterns) keep their backslashes.
std::string json_path(std::string_view bytes);

// A path for a line of text (logs, explain, owners): json_path, and control
// bytes (a newline, a tab) become \xNN too, so a path is one unambiguous
// piece of one line.
std::string text_path(std::string_view bytes);

// The longest error message svcdiff prints, in bytes.
inline constexpr std::size_t kMaxMessageBytes = 4096;

// `text` fit to quote in a one-line message: control bytes and bytes that are
// not UTF-8 escaped as \xNN, anything past `max_bytes` (never inside a UTF-8
// sequence) cut to "...".
std::string message_text(std::string_view text, std::size_t max_bytes = 80);

// A whole message as svcdiff prints it: message_text() up to kMaxMessageBytes.
// The one place that makes a message one line, whatever it quotes (a revision,
// an environment value, a buildspec's bytes): cli::run's errors and the
// buildspec validator's problems both go through it.
std::string one_line(std::string_view message);

}  // namespace svcdiff
