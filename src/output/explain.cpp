#include "output/explain.hpp"

#include <string>
#include <string_view>
#include <vector>

#include "core/path_text.hpp"
#include "match/pattern.hpp"

namespace svcdiff::output {
namespace {

// How many unselecting paths `explain` shows per service.
constexpr std::size_t kMissedShown = 10;

void explain_status(std::string& out, const config::Service& service,
                    const plan::Selection& selection, std::size_t index, bool removed) {
  out += service.name;
  if (!service.build) out += " (library)";
  if (removed) {
    out.append(": removed: its directory ")
        .append(service.directory)
        .append(" is gone at head, nothing to build\n");
  } else if (!selection.selected[index]) {
    out += ": not selected\n";
  } else if (service.build) {
    out.append(": selected, wave ").append(std::to_string(selection.wave[index])).append("\n");
  } else {
    out += ": changed; selects the services that depend on it, is never built itself\n";
  }
}

// " (inferred from FILE: ENTRY)" for an edge a manifest declares, else "".
std::string inferred_from(const ExplainInput& input, std::size_t from, std::size_t to) {
  if (to >= input.services.size()) return "";
  const std::string& source = input.graph.edge_source(from, to);
  return source.empty() ? "" : " (inferred from " + json_safe(source) + ")";
}

void explain_reasons(std::string& out, const ExplainInput& input, std::size_t index) {
  const auto& reasons = input.selection.reasons;
  for (const auto& reason : reasons[index]) {
    switch (reason.kind) {
      case plan::ReasonKind::file:
        out.append("  changed: ")
            .append(text_path(reason.path))
            .append(" matches `")
            .append(reason.pattern)
            .append("`\n");
        break;
      case plan::ReasonKind::global:
        out.append("  global: ")
            .append(text_path(reason.path))
            .append(" matches global `")
            .append(reason.pattern)
            .append("`, which selects every service\n");
        break;
      case plan::ReasonKind::dependency: {
        // Follow the chain down to what changed, naming the manifest entry
        // of each inferred edge.
        std::size_t from = index;
        std::size_t via = reason.via_service;
        out.append("  depends on ").append(reason.via).append(inferred_from(input, from, via));
        while (via < input.services.size() && !reasons[via].empty() &&
               reasons[via].front().kind == plan::ReasonKind::dependency) {
          from = via;
          via = reasons[from].front().via_service;
          out.append(", which depends on ")
              .append(reasons[from].front().via)
              .append(inferred_from(input, from, via));
        }
        out += ", which changed\n";
        break;
      }
      case plan::ReasonKind::all:
      case plan::ReasonKind::unknown_base:
        out.append("  ").append(reason.detail).append("\n");
        break;
    }
  }
  if (const std::size_t more = input.selection.reasons_left_out[index]; more > 0) {
    out.append("  and ")
        .append(std::to_string(more))
        .append(" more changed path")
        .append(more == 1 ? "" : "s")
        .append(" not shown\n");
  }
}

void explain_unselected(std::string& out, const ExplainInput& input, std::size_t index) {
  std::size_t shown = 0;
  std::size_t left_out = 0;
  for (const auto& outcome : input.selection.paths) {
    for (const auto& missed : outcome.missed) {
      if (missed.service != index) continue;
      if (shown == kMissedShown) {
        ++left_out;
        break;
      }
      out.append("  ")
          .append(text_path(outcome.path))
          .append(" matches `")
          .append(missed.pattern->source())
          .append("`");
      if (outcome.ignored_by != nullptr) {
        out.append(" but is ignored by `").append(outcome.ignored_by->source()).append("`\n");
      } else {
        out.append(" but is excluded by `").append(missed.excluded_by->source()).append("`\n");
      }
      ++shown;
      break;
    }
  }
  if (left_out > 0) {
    out.append("  and ")
        .append(std::to_string(left_out))
        .append(" more path")
        .append(left_out == 1 ? "" : "s")
        .append(" like these not shown\n");
  }
  const auto& service = input.services[index];
  out += "  no changed path selects it (paths: ";
  const std::size_t list_start = out.size();
  for (const auto& pattern : service.paths) {
    out.append(out.size() == list_start ? "" : ", ").append(pattern.text);
  }
  out += ")";
  const auto& dependencies = input.graph.dependencies(index);  // explicit and inferred
  if (!dependencies.empty()) {
    out += "; nothing it depends on changed (";
    for (std::size_t i = 0; i < dependencies.size(); ++i) {
      out.append(i == 0 ? "" : ", ").append(input.services[dependencies[i]].name);
    }
    out += ")";
  }
  out += "\n";
}

}  // namespace

// Appends to one string: a stream's insertions cost several times as much,
// and a paragraph is a dozen of them for each of thousands of services.
std::string explain_text(const ExplainInput& input) {
  std::string out;
  // Per service index, once: a search of `removed` per service was quadratic.
  std::vector<bool> removed(input.services.size());
  for (std::size_t index : input.selection.removed) removed[index] = true;
  for (std::size_t index : input.wanted) {
    explain_status(out, input.services[index], input.selection, index, removed[index]);
    explain_reasons(out, input, index);
    if (!input.selection.selected[index]) explain_unselected(out, input, index);
  }
  for (const auto& gone : input.gone) {
    out.append(gone.name)
        .append(": removed: its directory ")
        .append(gone.directory)
        .append(" is gone at head, nothing to build\n");
  }
  return out;
}

}  // namespace svcdiff::output
