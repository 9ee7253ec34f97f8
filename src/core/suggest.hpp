#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace svcdiff {

// The candidate closest to `word` by edit distance (insertions, deletions,
// substitutions and swaps of neighbours; case differences are free), when it is
// close enough to be a plausible typo: for "did you mean `depends_on`?".
// Ties go to the earlier candidate. nullopt when nothing is close.
std::optional<std::string> nearest(std::string_view word,
                                   const std::vector<std::string>& candidates);

// Every "did you mean" of svcdiff: "; did you mean `x`?" with the nearest
// candidate, else `otherwise` (a hint such as "; see `svcdiff --help`", or "").
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates,
                         std::string_view otherwise = "");

}  // namespace svcdiff
