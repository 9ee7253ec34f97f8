#include "cli/walk_limit.hpp"

#include <algorithm>
#include <string>

#include "output/artifact.hpp"

namespace svcdiff::cli {
namespace {

void compile_into(const std::vector<config::PatternSpec>& specs,
                  std::vector<match::Pattern>& patterns) {
  for (const auto& spec : specs) patterns.push_back(match::Pattern::compile(spec.text));
}

// A discovered service's `paths` default to its directory, which a glob
// matches: covered by the glob check, so only written patterns count here.
std::vector<match::Pattern> owner_patterns(const config::Config& config) {
  std::vector<match::Pattern> patterns;
  compile_into(config.global, patterns);
  for (const auto& service : config.services) compile_into(service.paths, patterns);
  return patterns;
}

std::vector<match::Pattern> compiled(const std::vector<config::PatternSpec>& specs) {
  std::vector<match::Pattern> patterns;
  compile_into(specs, patterns);
  return patterns;
}

// A discovered service's `exclude` is its explicit entry's, if any.
std::vector<match::Pattern> exclude_patterns(const config::Config& config) {
  std::vector<match::Pattern> patterns;
  for (const auto& service : config.services) compile_into(service.exclude, patterns);
  return patterns;
}

}  // namespace

ChangedWalkLimit::ChangedWalkLimit(const config::Config& config, std::size_t reasons)
    : reasons_(reasons),
      discovers_anywhere_(config::uses_default_discovery(config)),
      discovery_(config),
      owners_(owner_patterns(config)),
      excludes_(exclude_patterns(config)) {
  compile_into(config.ignore, ignore_);
}

std::size_t ChangedWalkLimit::limit_below(std::string_view dir) {
  if (discovers_anywhere_ || discovery_.may_match_below(dir)) return 0;
  if (!owners_.uniform(dir)) return 0;
  cutting_ = excludes_.mixed(dir);
  return reasons_;
}

bool ChangedWalkLimit::counts(std::string_view path, bool is_dir) const {
  const auto matches = [&](const match::Pattern& pattern) { return pattern.matches(path, is_dir); };
  return std::none_of(ignore_.begin(), ignore_.end(), matches) &&
         std::none_of(cutting_.begin(), cutting_.end(),
                      [&](const match::Pattern* pattern) { return matches(*pattern); });
}

GlobalAreas::GlobalAreas(const config::Config& config)
    : classifier_(compiled(config.ignore), compiled(config.global), {}) {}

bool GlobalAreas::cheap() const {
  const auto& global = classifier_.global();
  return !global.empty() && std::all_of(global.begin(), global.end(), [](const auto& pattern) {
    return !pattern.literal_prefix().empty();
  });
}

bool GlobalAreas::selects_everything(const ChangedPath& change) const {
  const auto classified = classifier_.classify(change.path, change.is_dir);
  return classified.ignored_by == nullptr && classified.global_by != nullptr;
}

bool GlobalAreas::enters(std::string_view dir) {
  const auto& global = classifier_.global();
  return std::any_of(global.begin(), global.end(),
                     [&](const match::Pattern& pattern) { return pattern.may_match_below(dir); });
}

bool RequireFilesOnly::enters_changed(std::string_view dir) {
  if (discovery_.may_match_below(dir)) return true;
  not_entered_.emplace_back(dir);
  return false;
}

}  // namespace svcdiff::cli
