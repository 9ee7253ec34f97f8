#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "match/pattern.hpp"

namespace svcdiff::match {

// Whether a set of patterns treats every path below a directory alike: each
// pattern matches all of them (it matches the directory or one above it) or
// none of them. A tree walk that knows this may stop reading a subtree once
// it has a few of its paths (issue 10). Anchored patterns are looked up by
// their literal prefix, so a query costs a few probes per segment of `dir`.
class UniformBelow {
 public:
  explicit UniformBelow(std::vector<Pattern> patterns);

  // `dir` as in Pattern::may_match_below, not the root: "a/b", no '/' at the end.
  bool uniform(std::string_view dir) const { return visit_mixed(dir, nullptr); }
  // The patterns that match some paths below `dir` but not all, in no order.
  std::vector<const Pattern*> mixed(std::string_view dir) const;

 private:
  bool alike(std::uint32_t id, std::string_view dir) const;
  // False at the first mixed pattern when `out` is null; else collects them all.
  bool visit_mixed(std::string_view dir, std::vector<const Pattern*>* out) const;

  std::vector<Pattern> patterns_;
  std::vector<std::pair<std::string, std::uint32_t>> by_prefix_;  // sorted
  std::vector<std::uint32_t> others_;  // no literal prefix: asked every time
};

}  // namespace svcdiff::match
