#include "plan/selection.hpp"

#include <algorithm>

namespace svcdiff::plan {

const char* reason_kind_name(ReasonKind kind) {
  switch (kind) {
    case ReasonKind::file:
      return "file";
    case ReasonKind::global:
      return "global";
    case ReasonKind::dependency:
      return "dependency";
    case ReasonKind::all:
      return "all";
    case ReasonKind::unknown_base:
      return "unknown_base";
  }
  return "file";
}

void recompute_waves(Selection& selection, const graph::DependencyGraph& graph) {
  std::vector<bool> buildable(graph.size(), false);
  for (std::size_t index : selection.listed) buildable[index] = true;
  selection.wave = graph.waves(buildable);
  selection.waits_for = graph.nearest_selected_dependencies(buildable);
}

Selection select_services(const PlanInput& input) {
  const std::size_t count = input.services.size();
  Selection selection;
  selection.selected.assign(count, false);
  selection.reasons.assign(count, {});
  selection.reasons_left_out.assign(count, 0);
  selection.all = input.select_all;

  // Reasons are capped per service: the artifact keeps only a few anyway,
  // and a 30k-file change must not build 30k reasons for every service.
  constexpr std::size_t kMaxFileReasons = 64;
  std::vector<bool> direct(count, false);
  if (input.select_all) {
    for (std::size_t i = 0; i < count; ++i) {
      direct[i] = true;
      selection.reasons[i].push_back({input.all_kind, {}, {}, {}, input.all_detail});
    }
  }
  selection.paths.reserve(input.changes.size());
  match::Classification classified;  // one for every path: its lists keep their room
  for (const auto& change : input.changes) {
    input.classifier.classify(change.path, change.is_dir, classified);
    PathOutcome outcome{
        change.path, change.is_dir, classified.ignored_by, classified.global_by, {}};
    if (classified.ignored_by != nullptr) {
      outcome.missed = input.classifier.path_matches(change.path, change.is_dir);
    } else {
      if (classified.global_by != nullptr) {
        for (std::size_t i = 0; i < count; ++i) {
          direct[i] = true;
          if (selection.reasons[i].size() < kMaxFileReasons) {
            selection.reasons[i].push_back(
                {ReasonKind::global, change.path, classified.global_by->source(), {}, {}});
          } else {
            ++selection.reasons_left_out[i];
          }
        }
      }
      for (const auto& owner : classified.owners) {
        direct[owner.service] = true;
        auto& reasons = selection.reasons[owner.service];
        if (reasons.size() < kMaxFileReasons) {
          reasons.push_back({ReasonKind::file, change.path, owner.pattern->source(), {}, {}});
        } else {
          ++selection.reasons_left_out[owner.service];
        }
      }
      outcome.missed = classified.excluded;
    }
    selection.paths.push_back(std::move(outcome));
  }

  auto closure = input.graph.dependents_closure(direct);
  for (std::size_t i = 0; i < count; ++i) {
    if (!closure.reached[i]) continue;
    selection.selected[i] = true;
    if (!direct[i]) {
      Reason& reason = selection.reasons[i].emplace_back();
      reason.kind = ReasonKind::dependency;
      reason.via = input.services[closure.via[i]].name;
      reason.via_service = closure.via[i];
    }
    if (input.services[i].build) selection.listed.push_back(i);
  }
  std::sort(selection.listed.begin(), selection.listed.end(), [&](std::size_t a, std::size_t b) {
    return input.services[a].name < input.services[b].name;
  });
  recompute_waves(selection, input.graph);
  return selection;
}

}  // namespace svcdiff::plan
