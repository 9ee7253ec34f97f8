#include "cli/walk_limit.hpp"

#include <algorithm>
#include <string>

#include "output/artifact.hpp"

namespace svcdiff::cli {
namespace {

// A discovered service's `paths` default to its directory, which a glob
// matches: covered by the glob check, so only written patterns count here.
std::vector<match::Pattern> owner_patterns(const config::Config& config) {
  std::vector<match::Pattern> patterns;
  for (const auto& spec : config.global) patterns.push_back(match::Pattern::compile(spec.text));
  for (const auto& service : config.services) {
    for (const auto& spec : service.paths) patterns.push_back(match::Pattern::compile(spec.text));
    for (const auto& spec : service.exclude) {
      patterns.push_back(match::Pattern::compile(spec.text));
    }
  }
  return patterns;
}

}  // namespace

ChangedWalkLimit::ChangedWalkLimit(const config::Config& config)
    : discovers_anywhere_(config::uses_default_discovery(config)),
      discovery_(config),
      owners_(owner_patterns(config)) {
  for (const auto& spec : config.ignore) ignore_.push_back(match::Pattern::compile(spec.text));
}

std::size_t ChangedWalkLimit::limit_below(std::string_view dir) const {
  if (discovers_anywhere_ || discovery_.may_match_below(std::string(dir))) return 0;
  return owners_.uniform(dir) ? output::kItemReasons : 0;
}

bool ChangedWalkLimit::counts(std::string_view path, bool is_dir) const {
  return std::none_of(ignore_.begin(), ignore_.end(),
                      [&](const match::Pattern& pattern) { return pattern.matches(path, is_dir); });
}

}  // namespace svcdiff::cli
