#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "config/model.hpp"

namespace svcdiff::config {

// A YAML value as svcdiff.yml may use it: plain data with positions, no
// anchors, aliases or tags. Built from yaml-cpp's event stream so that every
// value keeps its line and column and duplicate keys are caught.
struct YamlNode {
  enum class Kind { null, scalar, sequence, mapping };
  Kind kind = Kind::null;
  SourcePos pos;                // a null mapping value stands at its key
  std::string text;             // scalar only
  bool quoted = false;          // scalar written in quotes: "true" is text, not a boolean
  std::vector<YamlNode> items;  // sequence items; mapping: key, value, key, value, ...
};

struct YamlLimits {
  int max_depth = 16;  // nested sequences and mappings
};

// Parses one YAML document. An empty document (only comments, or nothing) is a
// null node. Throws svcdiff::Error (ExitCode::config) "<file>:<line>:<col>:
// error: ..." for a syntax error, a second document, a duplicate or non-scalar
// key, an anchor, alias or tag, or nesting deeper than `limits.max_depth`.
YamlNode parse_yaml(std::string_view text, const std::string& file, const YamlLimits& limits);

}  // namespace svcdiff::config
