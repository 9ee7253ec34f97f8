#include "output/step_summary.hpp"

#include <string_view>

#include "core/path_text.hpp"

namespace svcdiff::output {
namespace {

// Text inside a Markdown table cell: `|` would end the cell and a newline
// the row; paths are bytes, so invalid UTF-8 is escaped as in the artifacts.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : json_safe(text)) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// Inline code that survives any backticks inside it.
std::string code(std::string_view text) {
  const std::string fence = text.find('`') == std::string_view::npos ? "`" : "`` ";
  const std::string close = fence == "`" ? "`" : " ``";
  return fence + cell(text) + close;
}

std::string short_id(const std::string& id) { return id.empty() ? "(none)" : id.substr(0, 12); }

std::string why(const plan::Reason& reason) {
  switch (reason.kind) {
    case plan::ReasonKind::file:
      return code(reason.path) + " changed";
    case plan::ReasonKind::global:
      return code(reason.path) + " changed (global " + code(reason.pattern) + ")";
    case plan::ReasonKind::dependency:
      return std::string("depends on ").append(reason.via);
    case plan::ReasonKind::all:
    case plan::ReasonKind::unknown_base:
      return cell(reason.detail);
  }
  return "";
}

}  // namespace

std::string render_step_summary(const Artifact& artifact) {
  const std::size_t count = artifact.services.size();
  std::string out = "### svcdiff: " + std::to_string(count) +
                    (count == 1 ? " service" : " services") + " to build\n\n";
  out += "Base " +
         (artifact.base.empty() ? std::string("unknown") : code(short_id(artifact.base))) + " (" +
         cell(artifact.base_rule) + "), head " + code(short_id(artifact.head)) + ".";
  if (artifact.all) out += " Every service is selected.";
  out += "\n\n";
  if (count > 0) {
    out += "| service | wave | why |\n|---|---|---|\n";
    for (const auto& wave : artifact.waves) {
      for (const Item& item : wave) {
        std::string reasons;
        for (const auto& reason : item.reasons) {
          reasons += (reasons.empty() ? "" : "; ") + why(reason);
        }
        out += "| " + item.name + " | " + std::to_string(item.wave) + " | " + reasons + " |\n";
      }
    }
    out += "\n";
  }
  if (!artifact.removed.empty()) {
    std::string names;
    for (const auto& name : artifact.removed) names += (names.empty() ? "" : ", ") + name;
    out += "Removed (directory gone at head, nothing to build): " + names + "\n\n";
  }
  return out;
}

}  // namespace svcdiff::output
