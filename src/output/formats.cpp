#include "output/formats.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/path_text.hpp"

namespace svcdiff::output {
namespace {

// Ordered: keys come out in the order SPEC §5 lists them, which people read.
using json = nlohmann::ordered_json;

// An object with room for `keys` members, filled by assignment. An
// ordered_json object is a vector of pairs whose key is const: growing it
// copies every value built so far, deeply, as an initializer list does too
// (half of rendering 351 items was those copies).
json object_with_room(std::size_t keys) {
  json out = json::object();
  out.get_ref<json::object_t&>().reserve(keys);
  return out;
}

json reason_json(const plan::Reason& reason) {
  json out = object_with_room(5);
  out["kind"] = plan::reason_kind_name(reason.kind);
  if (!reason.path.empty()) out["path"] = json_path(reason.path);
  if (!reason.pattern.empty()) out["pattern"] = json_safe(reason.pattern);
  if (!reason.via.empty()) out["via"] = json_safe(reason.via);
  if (!reason.detail.empty()) out["detail"] = json_safe(reason.detail);
  return out;
}

// How a var is written in svcdiff.yml and `vars` (nullptr: as its value) and
// the EnvironmentVariable Type CodeBuild reads it with.
struct VarForm {
  const char* written;
  const char* codebuild_type;
};

VarForm var_form(config::VarType type) {
  switch (type) {
    case config::VarType::parameter_store:
      return {"parameter-store", "PARAMETER_STORE"};
    case config::VarType::secrets_manager:
      return {"secrets-manager", "SECRETS_MANAGER"};
    case config::VarType::plaintext:
      break;
  }
  return {nullptr, "PLAINTEXT"};
}

// How much of each item survives: SPEC §5's trimming steps, in order.
enum class Trim { none, extra_reasons, all_reasons, locations };

json item_json(const Item& item, Trim trim) {
  json out = object_with_room(11);
  out["name"] = item.name;
  out["project"] = item.project;
  if (trim < Trim::locations) {
    out["path"] = json_path(item.path);
    out["buildspec"] = json_path(item.buildspec);
  }
  out["wave"] = item.wave;
  out["depends_on"] = item.depends_on;  // never trimmed: the state machine needs it
  json vars = json::object();
  json env = json::array();
  for (const auto& [key, value] : item.vars) {
    auto type = item.var_types.find(key);
    const VarForm form =
        var_form(type == item.var_types.end() ? config::VarType::plaintext : type->second);
    vars[key] =
        form.written == nullptr ? json(json_safe(value)) : json{{form.written, json_safe(value)}};
    json variable = object_with_room(3);
    variable["Name"] = key;
    variable["Value"] = json_safe(value);
    variable["Type"] = form.codebuild_type;
    env.push_back(std::move(variable));
  }
  if (trim < Trim::locations || !item.vars.empty()) out["vars"] = std::move(vars);
  // CodeBuild's EnvironmentVariablesOverride: the state machine passes it as is.
  out["env"] = std::move(env);
  if (item.fingerprint) out["fingerprint"] = *item.fingerprint;
  if (trim < Trim::all_reasons) {
    json reasons = json::array();
    for (const auto& reason : item.reasons) {
      reasons.push_back(reason_json(reason));
      if (trim == Trim::extra_reasons) break;
    }
    out["reasons"] = std::move(reasons);
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
  json out = object_with_room(9);
  out["version"] = 1;
  out["base"] = artifact.base.empty() ? json(nullptr) : json(artifact.base);
  out["head"] = artifact.head.empty() ? json(nullptr) : json(artifact.head);
  out["base_rule"] = artifact.base_rule;
  out["all"] = artifact.all;
  out["services"] = artifact.services;
  out["waves"] = std::move(waves);
  out["removed"] = artifact.removed;
  out["trimmed"] = trim != Trim::none;
  return out;
}

std::string render_items(Artifact& artifact, std::vector<std::string>& notes) {
  static constexpr const char* kTrimNotes[] = {"", "kept only the first reason of each service",
                                               "dropped every service's reasons",
                                               "dropped reasons, path, buildspec and empty vars"};
  const std::string limit = "the Step Functions input limit of " +
                            std::to_string(kStepFunctionsInputLimit) + " bytes less " +
                            std::to_string(kFailureReportReserve) +
                            " for the state machine's failure report";
  for (Trim trim : {Trim::none, Trim::extra_reasons, Trim::all_reasons, Trim::locations}) {
    std::string text = items_json(artifact, trim).dump() + "\n";
    if (text.size() <= kItemsArtifactLimit) {
      if (trim != Trim::none) {
        artifact.trimmed = true;
        notes.push_back("items artifact trimmed to fit " + limit + ": " +
                        std::string(kTrimNotes[static_cast<int>(trim)]));
      }
      return text;
    }
  }
  throw runtime_error("the items artifact for " + std::to_string(artifact.services.size()) +
                      " services exceeds " + limit +
                      " even trimmed; use --s3-split DIR --s3-uri s3://BUCKET/PREFIX with "
                      "`svcdiff asl --map distributed`");
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

S3Location parse_s3_uri(std::string_view uri) {
  constexpr std::string_view kScheme = "s3://";
  std::string_view rest =
      uri.substr(0, kScheme.size()) == kScheme ? uri.substr(kScheme.size()) : std::string_view();
  const std::size_t slash = rest.find('/');
  S3Location location{std::string(rest.substr(0, slash)),
                      slash == std::string_view::npos ? "" : std::string(rest.substr(slash + 1))};
  while (!location.prefix.empty() && location.prefix.back() == '/') location.prefix.pop_back();
  if (location.bucket.empty() || (!location.prefix.empty() && location.prefix.front() == '/')) {
    throw usage_error("--s3-uri must be s3://BUCKET or s3://BUCKET/PREFIX, not `" +
                      std::string(uri) + "`");
  }
  return location;
}

S3Split render_s3_split(const Artifact& artifact, const S3Location& location,
                        const std::string& run) {
  S3Split split;
  json keys = json::array();
  for (std::size_t i = 0; i < artifact.waves.size(); ++i) {
    json items = json::array();
    for (const auto& item : artifact.waves[i]) items.push_back(item_json(item, Trim::none));
    std::string path = run + "/wave-" + std::to_string(i) + ".json";
    keys.push_back(location.prefix.empty() ? path : location.prefix + "/" + path);
    split.files.emplace_back(std::move(path), items.dump() + "\n");
  }
  split.artifact = json{{"version", 1},
                        {"base", artifact.base.empty() ? json(nullptr) : json(artifact.base)},
                        {"head", artifact.head.empty() ? json(nullptr) : json(artifact.head)},
                        {"base_rule", artifact.base_rule},
                        {"all", artifact.all},
                        {"count", artifact.services.size()},
                        {"s3", {{"bucket", location.bucket}, {"keys", std::move(keys)}}},
                        {"removed", artifact.removed},
                        {"trimmed", false}}
                       .dump() +
                   "\n";
  if (split.artifact.size() > kItemsArtifactLimit) {
    throw runtime_error("the split items artifact exceeds " + std::to_string(kItemsArtifactLimit) +
                        " bytes (" + std::to_string(artifact.removed.size()) +
                        " removed services)");
  }
  return split;
}

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
