#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/discovery.hpp"
#include "config/model.hpp"
#include "core/changed_path.hpp"
#include "match/path_classifier.hpp"
#include "match/pattern.hpp"
#include "match/uniform_below.hpp"
#include "repo/walk_limit.hpp"

namespace svcdiff::cli {

// For `changed`, which needs the selected services and at most `reasons`
// reasons each (output::kItemReasons for items; one for the outputs that
// print no reasons, where a service needs one path to be selected). Below a directory that every
// `global` and `paths` pattern (and whatever discovery may find) matches whole or not at all, a
// path is owned by the services covering the directory less those whose `exclude` matches it. So
// once the walk has a few paths there that are neither ignored nor matched by an `exclude` that
// cuts through the directory, each of those services has its reasons from it and the rest cannot be
// among the first: the walk may stop. A directory a `discover` glob may match below is never
// limited: a service may begin there, and a deleted `require` file there may make a removed
// service.
class ChangedWalkLimit final : public repo::WalkLimit {
 public:
  ChangedWalkLimit(const config::Config& config, std::size_t reasons);

  std::size_t limit_below(std::string_view dir) override;
  bool counts(std::string_view path, bool is_dir) const override;
  void left_out_in(std::string_view dir) override { left_out_in_.emplace_back(dir); }

  // The limited directories the walk stopped early in, in the walk's order
  // (none inside another): only there may a change have gone unreported.
  // Taken once, after the walk.
  std::vector<std::string> take_left_out_in() { return std::move(left_out_in_); }

 private:
  std::size_t reasons_;
  bool discovers_anywhere_;  // zero-config: a service may begin in any directory
  config::DiscoveryOnDemand discovery_;
  match::UniformBelow owners_;    // `global` and every service's `paths`
  match::UniformBelow excludes_;  // every service's `exclude`
  std::vector<match::Pattern> ignore_;
  std::vector<const match::Pattern*> cutting_;  // the excludes mixed below the limited directory
  std::vector<std::string> left_out_in_;
};

// For an output that names the selected and removed services and no reasons:
// once a change to a `global` file selects every service, the rest of the
// diff matters only for the services it removes. GlobalAreas reads the diff
// only where a `global` pattern may match (a walk before the real one, cheap
// when every global pattern lies below a literal directory);
// RequireFilesOnly then reads it only down to the `require` files that make
// discovered services, and only in directories deleted whole: a service is
// removed when its directory is gone at head, so a directory on both sides
// is entered only when a glob may match below it. The others are noted
// instead: a glob may match one, and its `require` may have been deleted (a
// service lost, its directory left), which the caller looks up for the few
// that are no service at head, rather than reading every changed service's
// tree.
class GlobalAreas final : public repo::WalkLimit {
 public:
  explicit GlobalAreas(const config::Config& config);

  // Every `global` pattern is anchored below a literal directory or file
  // name, so the walk reads a few trees; false without any `global`.
  bool cheap() const;
  // The path selects every service: a `global` pattern matches it and no
  // `ignore` does.
  bool selects_everything(const ChangedPath& change) const;

  std::size_t limit_below(std::string_view /*dir*/) override { return 0; }
  bool counts(std::string_view /*path*/, bool /*is_dir*/) const override { return true; }
  bool enters(std::string_view dir) override;

 private:
  match::PathClassifier classifier_;  // `ignore` and `global` alone
};

class RequireFilesOnly final : public repo::WalkLimit {
 public:
  explicit RequireFilesOnly(const config::Config& config) : discovery_(config) {}

  std::size_t limit_below(std::string_view /*dir*/) override { return 0; }
  bool counts(std::string_view /*path*/, bool /*is_dir*/) const override { return true; }
  bool enters(std::string_view dir) override { return discovery_.may_find_require_below(dir); }
  bool enters_changed(std::string_view dir) override;

  // The changed directories on both sides the walk did not enter (a glob
  // may match them, none below), in the walk's order.
  const std::vector<std::string>& not_entered() const { return not_entered_; }

 private:
  config::DiscoveryOnDemand discovery_;
  std::vector<std::string> not_entered_;
};

}  // namespace svcdiff::cli
