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
// output::kItemReasons reasons each. Below a directory that every `global`
// and `paths` pattern (and whatever discovery may find) matches whole or not
// at all, a path is owned by the services covering the directory less those
// whose `exclude` matches it. So once the walk has a few paths there that are
// neither ignored nor matched by an `exclude` that cuts through the
// directory, each of those services has its reasons from it and the rest
// cannot be among the first: the walk may stop. A directory a `discover`
// glob may match below is never limited: a service may begin there, and a
// deleted `require` file there may make a removed service.
class ChangedWalkLimit final : public repo::WalkLimit {
 public:
  explicit ChangedWalkLimit(const config::Config& config);

  std::size_t limit_below(std::string_view dir) override;
  bool counts(std::string_view path, bool is_dir) const override;

 private:
  bool discovers_anywhere_;  // zero-config: a service may begin in any directory
  config::DiscoveryOnDemand discovery_;
  match::UniformBelow owners_;    // `global` and every service's `paths`
  match::UniformBelow excludes_;  // every service's `exclude`
  std::vector<match::Pattern> ignore_;
  std::vector<const match::Pattern*> cutting_;  // the excludes mixed below the limited directory
};

}  // namespace svcdiff::cli
