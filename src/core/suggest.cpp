#include "core/suggest.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace svcdiff {
namespace {

char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// How many edits still read as a typo of a word this long: one for short
// words, up to three for long ones ("depends" -> "depends_on").
std::size_t allowed_edits(std::size_t length) {
  if (length <= 3) return 1;
  if (length <= 6) return 2;
  return 3;
}

// Optimal-string-alignment distance between `a` and `b`, ignoring case, or
// `limit + 1` once it is known to exceed `limit`. Only cells within `limit` of
// the diagonal are computed, so long words and long candidate lists stay cheap.
std::size_t distance_within(std::string_view a, std::string_view b, std::size_t limit) {
  const std::size_t over = limit + 1;
  const std::size_t diff = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (diff > limit) return over;

  // Three rows of the table: i - 2, i - 1 and i.
  std::vector<std::size_t> before(b.size() + 1, over), previous(b.size() + 1, over),
      current(b.size() + 1, over);
  for (std::size_t j = 0; j <= b.size() && j <= limit; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    const std::size_t lo = i > limit ? i - limit : 1;
    const std::size_t hi = std::min(b.size(), i + limit);
    current[lo - 1] = lo == 1 ? std::min(i, over) : over;  // just outside the band
    if (hi < b.size()) current[hi + 1] = over;
    std::size_t row_min = current[lo - 1];
    for (std::size_t j = lo; j <= hi; ++j) {
      const bool same = fold(a[i - 1]) == fold(b[j - 1]);
      std::size_t best =
          std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same ? 0 : 1)});
      if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1])) {
        best = std::min(best, before[j - 2] + 1);
      }
      current[j] = std::min(best, over);
      row_min = std::min(row_min, current[j]);
    }
    if (row_min > limit) return over;
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

}  // namespace

std::optional<std::string> nearest(std::string_view word,
                                   const std::vector<std::string>& candidates) {
  if (word.empty()) return std::nullopt;
  const std::size_t limit = allowed_edits(word.size());
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    if (candidate.empty()) continue;
    const std::size_t d = distance_within(word, candidate, std::min(limit, best_distance));
    // Replacing every letter of a short word is not a typo ("x" -> "y").
    if (d >= word.size() || d >= candidate.size()) continue;
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates,
                         std::string_view otherwise) {
  if (auto near = nearest(word, candidates)) return "; did you mean `" + *near + "`?";
  return std::string(otherwise);
}

}  // namespace svcdiff
