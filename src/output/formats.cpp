#include "output/formats.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/path_text.hpp"

namespace svcdiff::output {
namespace {

// Ordered: keys come out in the order SPEC §5 lists them, which people read.
using json = nlohmann::ordered_json;

json reason_json(const plan::Reason& reason) {
  json out{{"kind", plan::reason_kind_name(reason.kind)}};
  if (!reason.path.empty()) out["path"] = json_safe(reason.path);
  if (!reason.pattern.empty()) out["pattern"] = json_safe(reason.pattern);
  if (!reason.via.empty()) out["via"] = reason.via;
  if (!reason.detail.empty()) out["detail"] = reason.detail;
  return out;
}

// How much of each item survives: SPEC §5's trimming steps, in order.
enum class Trim { none, extra_reasons, all_reasons, locations };

json item_json(const Item& item, Trim trim) {
  json out{{"name", item.name}, {"project", item.project}};
  if (trim < Trim::locations) {
    out["path"] = json_safe(item.path);
    out["buildspec"] = json_safe(item.buildspec);
  }
  out["wave"] = item.wave;
  json vars = json::object();
  json env = json::array();
  for (const auto& [key, value] : item.vars) {
    vars[key] = json_safe(value);
    env.push_back({{"Name", key}, {"Value", json_safe(value)}, {"Type", "PLAINTEXT"}});
  }
  if (trim < Trim::locations || !item.vars.empty()) out["vars"] = vars;
  // CodeBuild's EnvironmentVariablesOverride: the state machine passes it as is.
  out["env"] = env;
  if (item.fingerprint) out["fingerprint"] = *item.fingerprint;
  if (trim < Trim::all_reasons) {
    json reasons = json::array();
    for (const auto& reason : item.reasons) {
      reasons.push_back(reason_json(reason));
      if (trim == Trim::extra_reasons) break;
    }
    out["reasons"] = reasons;
  }
  return out;
}

json items_json(const Artifact& artifact, Trim trim) {
  json waves = json::array();
  for (const auto& wave : artifact.waves) {
    json items = json::array();
    for (const auto& item : wave) items.push_back(item_json(item, trim));
    waves.push_back(std::move(items));
  }
  return json{{"version", 1},
              {"base", artifact.base.empty() ? json(nullptr) : json(artifact.base)},
              {"head", artifact.head.empty() ? json(nullptr) : json(artifact.head)},
              {"base_rule", artifact.base_rule},
              {"all", artifact.all},
              {"services", artifact.services},
              {"waves", std::move(waves)},
              {"removed", artifact.removed},
              {"trimmed", trim != Trim::none}};
}

std::string render_items(Artifact& artifact, std::vector<std::string>& notes) {
  static constexpr const char* kTrimNotes[] = {"", "kept only the first reason of each service",
                                               "dropped every service's reasons",
                                               "dropped reasons, path, buildspec and empty vars"};
  for (Trim trim : {Trim::none, Trim::extra_reasons, Trim::all_reasons, Trim::locations}) {
    std::string text = items_json(artifact, trim).dump() + "\n";
    if (text.size() <= kStepFunctionsInputLimit) {
      if (trim != Trim::none) {
        artifact.trimmed = true;
        notes.push_back("items artifact trimmed to fit the Step Functions input limit of " +
                        std::to_string(kStepFunctionsInputLimit) +
                        " bytes: " + std::string(kTrimNotes[static_cast<int>(trim)]));
      }
      return text;
    }
  }
  throw runtime_error("the items artifact for " + std::to_string(artifact.services.size()) +
                      " services exceeds the Step Functions input limit of " +
                      std::to_string(kStepFunctionsInputLimit) +
                      " bytes even "
                      "trimmed; use --format services or split the pipeline");
}

std::string join_services(const Artifact& artifact, char separator) {
  std::string joined;
  for (const auto& name : artifact.services) {
    if (!joined.empty()) joined += separator;
    joined += name;
  }
  return joined;
}

// A GitHub Actions output line; multi-line values use the heredoc form.
std::string github_line(const std::string& key, const std::string& value) {
  if (value.find('\n') == std::string::npos && value.find('\r') == std::string::npos) {
    return key + "=" + value + "\n";
  }
  std::string delimiter = "SVCDIFF_EOF";
  while (value.find(delimiter) != std::string::npos) delimiter += "_";
  return key + "<<" + delimiter + "\n" + value + "\n" + delimiter + "\n";
}

}  // namespace

std::string shell_quote(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

const std::vector<std::string>& format_names() {
  static const std::vector<std::string> names{"services", "items", "env", "github", "text"};
  return names;
}

std::optional<Format> parse_format(std::string_view name) {
  if (name == "services") return Format::services;
  if (name == "items") return Format::items;
  if (name == "env") return Format::env;
  if (name == "github") return Format::github;
  if (name == "text") return Format::text;
  return std::nullopt;
}

std::string render(Artifact& artifact, Format format, std::vector<std::string>& notes) {
  switch (format) {
    case Format::services: {
      std::string text = json{{"services", artifact.services}}.dump() + "\n";
      if (text.size() > kStepFunctionsInputLimit) {
        throw runtime_error("the services artifact lists " +
                            std::to_string(artifact.services.size()) +
                            " services and exceeds the Step Functions input limit of " +
                            std::to_string(kStepFunctionsInputLimit) +
                            " bytes; "
                            "split the pipeline");
      }
      return text;
    }
    case Format::items:
      return render_items(artifact, notes);
    case Format::env:
      return "SVCDIFF_SERVICES=" + shell_quote(join_services(artifact, ' ')) + "\n" +
             "SVCDIFF_COUNT=" + shell_quote(std::to_string(artifact.services.size())) + "\n" +
             "SVCDIFF_BASE=" + shell_quote(artifact.base) + "\n" +
             "SVCDIFF_HEAD=" + shell_quote(artifact.head) + "\n" +
             "SVCDIFF_BASE_RULE=" + shell_quote(artifact.base_rule) + "\n" +
             "SVCDIFF_ALL=" + shell_quote(artifact.all ? "true" : "false") + "\n";
    case Format::github:
      return github_line("services", json(artifact.services).dump()) +
             github_line("count", std::to_string(artifact.services.size())) +
             github_line("any", artifact.services.empty() ? "false" : "true") +
             github_line("base", artifact.base) + github_line("head", artifact.head) +
             github_line("all", artifact.all ? "true" : "false");
    case Format::text: {
      std::string text;
      for (const auto& name : artifact.services) text += name + "\n";
      return text;
    }
  }
  return {};
}

}  // namespace svcdiff::output
