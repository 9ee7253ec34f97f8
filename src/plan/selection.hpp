#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/model.hpp"
#include "core/changed_path.hpp"
#include "graph/dependency_graph.hpp"
#include "match/path_classifier.hpp"

namespace svcdiff::plan {

enum class ReasonKind {
  file,          // a changed path matched one of the service's `paths`
  global,        // a changed path matched `global`
  dependency,    // a service it depends on was selected
  all,           // --all
  unknown_base,  // no usable base: everything is selected
};

// The texts are views of the PlanInput's changes, patterns and services (a
// long range gives thousands of reasons; copies were a quarter of the plan's
// cost): a Reason is valid while those live, as the Pattern pointers are.
struct Reason {
  ReasonKind kind = ReasonKind::file;
  std::string_view path;     // file, global
  std::string_view pattern;  // file, global
  std::string_view via;      // dependency: the service it depends on
  std::string detail;        // all, unknown_base: why
  // dependency: `via`'s index in PlanInput::services, so `explain` follows a
  // chain without searching the services by name at each step.
  std::size_t via_service = 0;
};

// The services of the config, in the order of `Config::services` after
// discovery. classifier.services() and graph nodes use the same indices.
// `services`, `classifier` and `changes` must outlive the Selection, which
// holds views of them.
struct PlanInput {
  const std::vector<config::Service>& services;
  const match::PathClassifier& classifier;
  const graph::DependencyGraph& graph;
  const std::vector<ChangedPath>& changes;
  bool select_all = false;  // --all or an unknown base under `all`
  ReasonKind all_kind = ReasonKind::all;
  std::string all_detail;  // why everything is selected
};

// What a path did, for `explain` and the log. `path` views the change.
struct PathOutcome {
  std::string_view path;
  bool is_dir = false;  // matched as a directory (a submodule, `dir/` given)
  const match::Pattern* ignored_by = nullptr;
  const match::Pattern* global_by = nullptr;
  // Services one of whose `paths` matches but that the path does not select:
  // excluded (`excluded_by` set) or, when `ignored_by` is set, every match.
  std::vector<match::Owner> missed;
};

struct Selection {
  // Per service index: selected at all (libraries included), why, and its
  // wave among the selected buildable services (-1 when not listed).
  std::vector<bool> selected;
  std::vector<std::vector<Reason>> reasons;
  // Per service: file and global reasons past the cap, counted, not kept.
  std::vector<std::size_t> reasons_left_out;
  std::vector<int> wave;
  // Per service index: the listed services it waits for (nearest ones, through
  // libraries and unselected services), so a state machine can skip it when
  // one of them failed; empty when not listed.
  std::vector<std::vector<std::size_t>> waits_for;
  // Indices of selected services with build: true, sorted by name.
  std::vector<std::size_t> listed;
  // Indices of listed services whose directory is gone at head; moved out of
  // `listed` by mark_removed.
  std::vector<std::size_t> removed;
  std::vector<PathOutcome> paths;
  bool all = false;
};

// Pure: (config, changes) -> the selection with reasons.
Selection select_services(const PlanInput& input);

// Moves listed services for which `gone(index)` is true into `removed` and
// recomputes the waves of the rest.
template <typename Gone>
void mark_removed(Selection& selection, const graph::DependencyGraph& graph, Gone gone);

// Recomputes `wave` and `waits_for` from `listed`.
void recompute_waves(Selection& selection, const graph::DependencyGraph& graph);

template <typename Gone>
void mark_removed(Selection& selection, const graph::DependencyGraph& graph, Gone gone) {
  std::vector<std::size_t> kept;
  for (std::size_t index : selection.listed) {
    if (gone(index)) {
      selection.removed.push_back(index);
    } else {
      kept.push_back(index);
    }
  }
  if (kept.size() == selection.listed.size()) return;
  selection.listed = std::move(kept);
  recompute_waves(selection, graph);
}

const char* reason_kind_name(ReasonKind kind);

}  // namespace svcdiff::plan
