// Commands that read the config without diffing: list, owners, match.
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/files_from.hpp"
#include "cli/workspace.hpp"
#include "core/changed_path.hpp"
#include "core/error.hpp"
#include "core/path_text.hpp"
#include "match/pattern.hpp"

namespace svcdiff::cli {

int run_list(const GlobalOptions& global, bool json, const Log& log) {
  Workspace workspace = open_workspace_at_head(global, log);
  if (!json) {
    std::ostringstream out;
    for (const auto& service : workspace.services) out << service.name << "\n";
    std::cout << out.str() << std::flush;
    return 0;
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& service : workspace.services) {
    auto texts = [](const std::vector<config::PatternSpec>& specs) {
      std::vector<std::string> out;
      out.reserve(specs.size());
      for (const auto& spec : specs) out.push_back(json_safe(spec.text));
      return out;
    };
    // Edges `infer` found in the manifests, each with the entry that declares it.
    nlohmann::json inferred = nlohmann::json::array();
    for (const auto& edge : service.inferred) {
      inferred.push_back({{"service", edge.service}, {"source", json_safe(edge.source)}});
    }
    list.push_back({{"name", service.name},
                    {"project", service.project},
                    {"path", json_path(service.directory)},
                    {"buildspec", json_path(service.buildspec)},
                    {"paths", texts(service.paths)},
                    {"exclude", texts(service.exclude)},
                    {"depends_on", service.depends_on},
                    {"inferred", inferred},
                    {"build", service.build},
                    {"vars", service.vars},
                    {"discovered", service.discovered}});
  }
  std::cout << list.dump(2) << "\n" << std::flush;
  return 0;
}

int run_owners(const GlobalOptions& global, const InspectOptions& options, const Log& log) {
  std::vector<std::string> paths = options.paths;
  if (options.from_stdin) {
    std::istringstream in(read_list("-", "owners --stdin"));
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) paths.push_back(line);
    }
    if (paths.empty()) {
      throw usage_error(
          "owners --stdin: standard input held no path; pipe the paths in, one a line");
    }
  }
  if (paths.empty()) throw usage_error("owners needs at least one PATH (or --stdin)");
  Workspace workspace = open_workspace_at_head(global, log);
  const Place place{std::nullopt, workspace.root, workspace.start};
  // In the order given, each path's keys as SPEC §2 writes them.
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  std::ostringstream out;
  for (const auto& given : paths) {
    ChangedPath path = path_from_start(given, place);
    auto classified = workspace.classifier->classify(path.path, path.is_dir);
    // A path owns what a change to it would select directly: nothing when
    // ignored, every service when global.
    std::vector<std::string> owners;
    std::string rule = "none";
    if (classified.ignored_by != nullptr) {
      rule = "ignored";
    } else if (classified.global_by != nullptr) {
      rule = "global";
      for (const auto& service : workspace.services) owners.push_back(service.name);
    } else if (!classified.owners.empty()) {
      rule = "service";
      for (const auto& owner : classified.owners)
        owners.push_back(workspace.services[owner.service].name);
    }
    object[json_path(path.path)] = {{"services", owners}, {"rule", rule}};
    out << text_path(path.path) << "\t";
    if (rule == "ignored" || rule == "global") {
      out << "(" << rule << ")";
    } else {
      for (std::size_t i = 0; i < owners.size(); ++i) out << (i ? " " : "") << owners[i];
    }
    out << "\n";
  }
  if (options.json) {
    std::cout << object.dump() << "\n" << std::flush;
  } else {
    std::cout << out.str() << std::flush;
  }
  return 0;
}

int run_match(const GlobalOptions& global, const std::string& pattern_text,
              const std::vector<std::string>& paths) {
  if (!pattern_text.empty() && pattern_text.front() == '!') {
    throw usage_error("`" + pattern_text +
                      "`: a `!` pattern is not a pattern here; test the pattern "
                      "without `!` (in svcdiff.yml, put it under `exclude`)");
  }
  // The pattern is an argument here, not the config: a usage error (2).
  const match::Pattern pattern = [&pattern_text] {
    try {
      return match::Pattern::compile(pattern_text);
    } catch (const Error& error) {
      throw usage_error(error.what());
    }
  }();
  const Place place = locate(global);
  std::ostringstream out;
  bool any = false;
  for (const auto& given : paths) {
    ChangedPath path = path_from_start(given, place);
    if (pattern.matches(path.path, path.is_dir)) {
      out << given << "\n";
      any = true;
    }
  }
  std::cout << out.str() << std::flush;
  return any ? 0 : 1;
}

}  // namespace svcdiff::cli
