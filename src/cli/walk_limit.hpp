#pragma once

#include <string_view>
#include <vector>

#include "config/discovery.hpp"
#include "config/model.hpp"
#include "match/pattern.hpp"
#include "match/uniform_below.hpp"
#include "repo/walk_limit.hpp"

namespace svcdiff::cli {

// For `changed`, which needs the selected services and at most
// output::kItemReasons reasons each: below a directory whose every path is
// owned alike (by every service pattern, global pattern and whatever
// discovery may find) only its first few paths that are not ignored can be
// reasons, so the walk may stop there. A directory a `discover` glob may
// match below is never limited: a service may begin there, and a deleted
// `require` file there may make a removed service.
class ChangedWalkLimit final : public repo::WalkLimit {
 public:
  explicit ChangedWalkLimit(const config::Config& config);

  std::size_t limit_below(std::string_view dir) const override;
  bool counts(std::string_view path, bool is_dir) const override;

 private:
  bool discovers_anywhere_;  // zero-config: a service may begin in any directory
  config::DiscoveryOnDemand discovery_;
  match::UniformBelow owners_;  // `global`, every service's `paths` and `exclude`
  std::vector<match::Pattern> ignore_;
};

}  // namespace svcdiff::cli
