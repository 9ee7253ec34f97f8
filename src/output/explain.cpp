#include "output/explain.hpp"

#include <algorithm>
#include <sstream>

#include "core/path_text.hpp"
#include "match/pattern.hpp"

namespace svcdiff::output {
namespace {

// How many unselecting paths `explain` shows per service.
constexpr std::size_t kMissedShown = 10;

std::size_t find_service(const std::vector<config::Service>& services, const std::string& name) {
  for (std::size_t i = 0; i < services.size(); ++i) {
    if (services[i].name == name) return i;
  }
  return services.size();
}

void explain_status(std::ostream& out, const config::Service& service,
                    const plan::Selection& selection, std::size_t index) {
  const bool removed = std::find(selection.removed.begin(), selection.removed.end(), index) !=
                       selection.removed.end();
  out << service.name;
  if (!service.build) out << " (library)";
  if (removed) {
    out << ": removed: its directory " << service.directory
        << " is gone at head, nothing to build\n";
  } else if (!selection.selected[index]) {
    out << ": not selected\n";
  } else if (service.build) {
    out << ": selected, wave " << selection.wave[index] << "\n";
  } else {
    out << ": changed; selects the services that depend on it, is never built itself\n";
  }
}

// " (inferred from FILE: ENTRY)" for an edge a manifest declares, else "".
std::string inferred_from(const ExplainInput& input, std::size_t from, std::size_t to) {
  if (to >= input.services.size()) return "";
  const std::string& source = input.graph.edge_source(from, to);
  return source.empty() ? "" : " (inferred from " + json_safe(source) + ")";
}

void explain_reasons(std::ostream& out, const ExplainInput& input, std::size_t index) {
  const auto& reasons = input.selection.reasons;
  for (const auto& reason : reasons[index]) {
    switch (reason.kind) {
      case plan::ReasonKind::file:
        out << "  changed: " << json_safe(reason.path) << " matches `" << reason.pattern << "`\n";
        break;
      case plan::ReasonKind::global:
        out << "  global: " << json_safe(reason.path) << " matches global `" << reason.pattern
            << "`, which selects every service\n";
        break;
      case plan::ReasonKind::dependency: {
        // Follow the chain down to what changed, naming the manifest entry
        // of each inferred edge.
        std::size_t from = index;
        std::size_t via = find_service(input.services, reason.via);
        out << "  depends on " << reason.via << inferred_from(input, from, via);
        while (via < input.services.size() && !reasons[via].empty() &&
               reasons[via].front().kind == plan::ReasonKind::dependency) {
          from = via;
          via = find_service(input.services, reasons[from].front().via);
          out << ", which depends on " << reasons[from].front().via
              << inferred_from(input, from, via);
        }
        out << ", which changed\n";
        break;
      }
      case plan::ReasonKind::all:
      case plan::ReasonKind::unknown_base:
        out << "  " << reason.detail << "\n";
        break;
    }
  }
  if (const std::size_t more = input.selection.reasons_left_out[index]; more > 0) {
    out << "  and " << more << " more changed path" << (more == 1 ? "" : "s") << " not shown\n";
  }
}

void explain_unselected(std::ostream& out, const ExplainInput& input, std::size_t index) {
  std::size_t shown = 0;
  std::size_t left_out = 0;
  for (const auto& outcome : input.selection.paths) {
    for (const auto& missed : outcome.missed) {
      if (missed.service != index) continue;
      if (shown == kMissedShown) {
        ++left_out;
        break;
      }
      out << "  " << json_safe(outcome.path) << " matches `" << missed.pattern->source() << "`";
      if (outcome.ignored_by != nullptr) {
        out << " but is ignored by `" << outcome.ignored_by->source() << "`\n";
      } else {
        out << " but is excluded by `" << missed.excluded_by->source() << "`\n";
      }
      ++shown;
      break;
    }
  }
  if (left_out > 0) {
    out << "  and " << left_out << " more path" << (left_out == 1 ? "" : "s")
        << " like these not shown\n";
  }
  const auto& service = input.services[index];
  std::string list;
  for (const auto& pattern : service.paths) list += (list.empty() ? "" : ", ") + pattern.text;
  out << "  no changed path selects it (paths: " << list << ")";
  const auto& dependencies = input.graph.dependencies(index);  // explicit and inferred
  if (!dependencies.empty()) {
    out << "; nothing it depends on changed (";
    for (std::size_t i = 0; i < dependencies.size(); ++i)
      out << (i ? ", " : "") << input.services[dependencies[i]].name;
    out << ")";
  }
  out << "\n";
}

}  // namespace

std::string explain_text(const ExplainInput& input) {
  std::ostringstream out;
  for (std::size_t index : input.wanted) {
    explain_status(out, input.services[index], input.selection, index);
    explain_reasons(out, input, index);
    if (!input.selection.selected[index]) explain_unselected(out, input, index);
  }
  for (const auto& gone : input.gone) {
    out << gone.name << ": removed: its directory " << gone.directory
        << " is gone at head, nothing to build\n";
  }
  return out.str();
}

}  // namespace svcdiff::output
