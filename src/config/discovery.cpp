#include "config/discovery.hpp"

#include <algorithm>
#include <map>

#include "config/names.hpp"
#include "core/error.hpp"
#include "match/wildmatch.hpp"

namespace svcdiff::config {
namespace {

std::string parent_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

std::string base_name(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string where(const Config& config, SourcePos pos) {
  if (config.file.empty() || pos.line == 0) return "";
  return config.file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

Error error_at(const Config& config, SourcePos pos, const std::string& message) {
  std::string at = where(config, pos);
  if (at.empty()) return config_error(message);
  return Error(ExitCode::config, at + ": error: " + message, true);
}

// The directory a service lives in: its first literal directory pattern, else
// its buildspec's directory.
std::string derive_directory(const Service& service) {
  for (const auto& pattern : service.paths) {
    std::string text = pattern.text;
    if (text.find_first_of("*?[\\") != std::string::npos) continue;
    while (!text.empty() && text.front() == '/') text.erase(0, 1);
    while (!text.empty() && text.back() == '/') text.pop_back();
    if (!text.empty()) return text;
  }
  if (!service.buildspec.empty()) return parent_of(service.buildspec);
  return "";
}

struct Discovered {
  Service service;
  std::string origin;  // the rule that found it, for messages
};

bool uses_default_discovery(const Config& config) {
  return config.discover.empty() && (!config.from_file || config.services.empty());
}

std::string strip_slashes(std::string glob) {
  while (!glob.empty() && glob.front() == '/') glob.erase(0, 1);
  while (!glob.empty() && glob.back() == '/') glob.pop_back();
  return glob;
}

}  // namespace

DiscoveryScope::DiscoveryScope(const Config& config) : everything_(uses_default_discovery(config)) {
  for (const auto& rule : config.discover) globs_.emplace_back(strip_slashes(rule.glob));
}

bool DiscoveryScope::may_descend(const std::string& dir) const {
  if (everything_) return true;
  for (const auto& glob : globs_) {
    if (glob.matches(dir) || glob.may_match_text_starting_with(dir + "/")) return true;
  }
  return false;
}

std::vector<std::string> discovery_file_names(const Config& config) {
  std::vector<std::string> names;
  if (uses_default_discovery(config)) {
    names.push_back("buildspec.yml");
  }
  for (const auto& rule : config.discover) {
    if (std::find(names.begin(), names.end(), rule.require) == names.end()) {
      names.push_back(rule.require);
    }
  }
  return names;
}

std::vector<Service> resolve_services(const Config& config, const std::vector<std::string>& files) {
  std::map<std::string, Discovered> found;
  auto add = [&](const std::string& directory, const std::string& require,
                 const std::string& origin, SourcePos pos) {
    std::string name = base_name(directory);
    if (!is_codebuild_project_name(name)) {
      throw error_at(config, pos,
                     "discovered directory `" + directory + "` (" + origin +
                         ") is not a valid "
                         "CodeBuild project name (letters, digits, - and _, 2 to 255 characters); "
                         "rename it or list the service under `services` in svcdiff.yml");
    }
    auto [it, inserted] = found.try_emplace(name);
    if (!inserted) {
      if (it->second.service.directory == directory) return;
      throw error_at(config, pos,
                     "two discovered services are named `" + name +
                         "`: " + it->second.service.directory + " and " + directory +
                         "; write an svcdiff.yml that names them apart under `services`");
    }
    Service& service = it->second.service;
    service.name = name;
    service.project = name;
    service.directory = directory;
    service.paths.push_back({directory + "/", {}});
    if (require == "buildspec.yml") service.buildspec = directory + "/" + require;
    service.discovered = true;
    it->second.origin = origin;
  };

  std::vector<std::string> sorted = files;
  std::sort(sorted.begin(), sorted.end());
  if (uses_default_discovery(config)) {
    for (const auto& file : sorted) {
      if (base_name(file) != "buildspec.yml") continue;
      std::string directory = parent_of(file);
      if (directory.empty()) continue;  // the root's own buildspec is the pipeline's
      add(directory, "buildspec.yml", "a directory holding buildspec.yml", {});
    }
  }
  for (const auto& rule : config.discover) {
    std::string glob = strip_slashes(rule.glob);
    for (const auto& file : sorted) {
      if (base_name(file) != rule.require) continue;
      std::string directory = parent_of(file);
      if (directory.empty() || !match::wildmatch(glob, directory)) continue;
      add(directory, rule.require, "discover glob `" + rule.glob + "`", rule.pos);
    }
  }

  for (const auto& explicit_service : config.services) {
    Service merged = explicit_service;
    auto it = found.find(explicit_service.name);
    if (it != found.end()) {
      const Service& discovered = it->second.service;
      if (merged.paths.empty()) merged.paths = discovered.paths;
      if (merged.buildspec.empty()) merged.buildspec = discovered.buildspec;
      if (merged.directory.empty()) merged.directory = discovered.directory;
      merged.discovered = true;
      found.erase(it);
    }
    if (merged.paths.empty()) {
      throw error_at(config, merged.pos,
                     "service `" + merged.name +
                         "` has no `paths` and no discovered directory; "
                         "add `paths: [\"dir/\"]`");
    }
    if (merged.directory.empty()) merged.directory = derive_directory(merged);
    // The key first: the right-hand side of `=` is evaluated (and moved from) before the left.
    std::string name = merged.name;
    found[name] = Discovered{std::move(merged), "services"};
  }

  std::vector<Service> services;
  services.reserve(found.size());
  for (auto& [name, entry] : found) services.push_back(std::move(entry.service));
  return services;
}

}  // namespace svcdiff::config
