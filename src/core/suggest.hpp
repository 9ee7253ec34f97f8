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

}  // namespace svcdiff
