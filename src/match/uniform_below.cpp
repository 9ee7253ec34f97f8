#include "match/uniform_below.hpp"

#include <algorithm>

namespace svcdiff::match {
namespace {

// Orders (prefix, id) entries and bare prefixes alike, for the searches.
struct ByPrefix {
  using Entry = std::pair<std::string, std::uint32_t>;
  bool operator()(const Entry& a, std::string_view b) const { return a.first < b; }
  bool operator()(std::string_view a, const Entry& b) const { return a < b.first; }
};

}  // namespace

UniformBelow::UniformBelow(std::vector<Pattern> patterns) : patterns_(std::move(patterns)) {
  for (std::size_t i = 0; i < patterns_.size(); ++i) {
    const auto id = static_cast<std::uint32_t>(i);
    const std::string_view prefix = patterns_[i].literal_prefix();
    if (prefix.empty()) {
      others_.push_back(id);
    } else {
      by_prefix_.emplace_back(std::string(prefix), id);
    }
  }
  std::sort(by_prefix_.begin(), by_prefix_.end());
}

bool UniformBelow::alike(std::uint32_t id, std::string_view dir) const {
  const Pattern& pattern = patterns_[id];
  return pattern.matches(dir, true) || !pattern.may_match_below(dir);
}

std::vector<const Pattern*> UniformBelow::mixed(std::string_view dir) const {
  std::vector<const Pattern*> found;
  visit_mixed(dir, &found);
  return found;
}

bool UniformBelow::visit_mixed(std::string_view dir, std::vector<const Pattern*>* out) const {
  bool uniform = true;
  const auto mixed = [&](std::uint32_t id) {
    uniform = false;
    if (out != nullptr) out->push_back(&patterns_[id]);
    return out == nullptr;  // stop at the first one when only asked whether
  };
  for (const std::uint32_t id : others_) {
    if (!alike(id, dir) && mixed(id)) return false;
  }
  // A pattern matches only its literal prefix and what lies below it: one
  // whose prefix lies strictly below `dir` matches some paths there, not all.
  const std::string below = std::string(dir) + "/";
  for (auto it = std::lower_bound(by_prefix_.begin(), by_prefix_.end(), std::string_view(below),
                                  ByPrefix{});
       it != by_prefix_.end() && it->first.starts_with(below); ++it) {
    if (mixed(it->second)) return false;
  }
  // Those whose prefix is `dir` or a directory above it decide by matching.
  for (std::size_t end = dir.find('/');; end = dir.find('/', end + 1)) {
    const std::string_view ancestor = dir.substr(0, end);
    auto [from, to] = std::equal_range(by_prefix_.begin(), by_prefix_.end(), ancestor, ByPrefix{});
    for (auto it = from; it != to; ++it) {
      if (!alike(it->second, dir) && mixed(it->second)) return false;
    }
    if (end == std::string_view::npos) break;
  }
  return uniform;
}

}  // namespace svcdiff::match
