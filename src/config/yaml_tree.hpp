#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/model.hpp"

namespace svcdiff::config {

// A YAML value as plain data with positions. Built from yaml-cpp's event
// stream (never YAML::Load, whose document loop yaml-cpp 0.7 can drive forever
// on a stray `,`), so that every value keeps its line and column.
struct YamlNode {
  enum class Kind { null, scalar, sequence, mapping };
  Kind kind = Kind::null;
  SourcePos pos;                // a null mapping value stands at its key
  std::string text;             // scalar only
  bool quoted = false;          // scalar written in quotes: "true" is text, not a boolean
  std::vector<YamlNode> items;  // sequence items; mapping: key, value, key, value, ...
};

struct YamlLimits {
  int max_depth = 16;  // nested sequences and mappings, aliases expanded
  // Values in the whole text once aliases are expanded: what keeps
  // `&a [*b, *b]` chains from growing exponentially. Only aliases can make the
  // tree larger than the text, so svcdiff.yml (which refuses them) needs none.
  std::size_t max_values = std::numeric_limits<std::size_t>::max();
};

// Why a YAML text could not be read: where, and a one-line message (control
// bytes escaped). `syntax`: yaml-cpp's own complaint, not one of the limits.
class YamlError : public std::runtime_error {
 public:
  YamlError(SourcePos pos, const std::string& message, bool syntax, std::string advice = "")
      : std::runtime_error(message), pos_(pos), syntax_(syntax), advice_(std::move(advice)) {}
  SourcePos pos() const { return pos_; }
  bool syntax() const { return syntax_; }
  // What to do, when the error knows better than a reader's generic advice
  // (a stray `,`: quote the value); empty otherwise.
  const std::string& advice() const { return advice_; }

 private:
  SourcePos pos_;
  bool syntax_;
  std::string advice_;
};

// Where the first NUL byte of `text` is, if any: yaml-cpp reads a NUL as an
// escape it does not know, or passes it on in a string or comment, so svcdiff.yml
// and buildspecs both refuse it as "not text" (often UTF-16).
std::optional<SourcePos> find_nul(std::string_view text);

// What to do about a NUL byte, after "a NUL byte: the <what> must be text".
inline constexpr std::string_view kNulAdvice =
    "(UTF-8 YAML); remove the byte, or save the file as UTF-8 if it was written as UTF-16";

// svcdiff.yml: one YAML document, refusing what it has no use for. An empty
// document (only comments, or nothing) is a null node. Throws svcdiff::Error
// (ExitCode::config) "<file>:<line>:<col>: error: ..." for a syntax error, a
// second document, a duplicate or non-scalar key, an anchor, alias or tag, or
// nesting deeper than `limits.max_depth`.
YamlNode parse_yaml(std::string_view text, const std::string& file, const YamlLimits& limits);

// Every document of `text` as YAML allows it, for a checker that reports more
// than the first problem (the buildspec validator): duplicate keys and keys of
// any kind are kept as written, tags are ignored, aliases are expanded into
// copies of what their anchor names. Throws YamlError for a syntax error or a
// limit passed.
std::vector<YamlNode> parse_yaml_documents(std::string_view text, const YamlLimits& limits);

}  // namespace svcdiff::config
