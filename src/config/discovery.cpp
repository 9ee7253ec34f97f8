#include "config/discovery.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_set>

#include "config/infer.hpp"
#include "config/names.hpp"
#include "core/error.hpp"
#include "core/path_text.hpp"
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

Error error_at(const Config& config, SourcePos pos, const std::string& message) {
  return config_error_at({config.file, pos.line, pos.column}, message);
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

std::string strip_slashes(std::string glob) {
  while (!glob.empty() && glob.front() == '/') glob.erase(0, 1);
  while (!glob.empty() && glob.back() == '/') glob.pop_back();
  return glob;
}

// `require` without `.` segments, `..` folded and no empty segments: the
// loader already made sure it stays inside the directory.
std::string normalized_require(const std::string& require) {
  return fold_dot_segments(require).value_or("");
}

// The directory `file` stands in when it is that directory's `require`
// ("services/api/ci/buildspec.yml" holds "ci/buildspec.yml" for "services/api").
std::optional<std::string> directory_holding(const std::string& file, const std::string& require) {
  if (require.empty() || file.size() <= require.size() + 1) return std::nullopt;
  const std::size_t slash = file.size() - require.size() - 1;
  if (file[slash] != '/' || file.compare(slash + 1, std::string::npos, require) != 0) {
    return std::nullopt;
  }
  return file.substr(0, slash);
}

// The name discovery gives `directory` under `naming` (SPEC §4).
std::string discovered_name(const std::string& directory, DiscoverNaming naming) {
  if (naming == DiscoverNaming::basename) return base_name(directory);
  std::string name = directory;
  std::replace(name.begin(), name.end(), '/', '-');
  return name;
}

// One directory that discovery turns into a service.
struct DiscoveryHit {
  std::string directory;
  std::string name;
  std::string require;             // normalized, relative to `directory`
  const Discover* rule = nullptr;  // nullptr for the zero-config default
  SourcePos pos;
};

// The rule that found `hit`, for messages (built only for one).
std::string origin(const DiscoveryHit& hit) {
  if (hit.rule == nullptr) return "a directory holding buildspec.yml";
  return "discover glob `" + hit.rule->glob + "`";
}

struct Discovered {
  Service service;
  const Discover* rule = nullptr;  // the rule that found it, for a later duplicate's message
};

// How many segments every path `glob` matches has, or -1 when that varies:
// `*`, `?` and `[...]` stay inside a segment; only `**` spans several.
int segment_count(const std::string& glob) {
  if (glob.find("**") != std::string::npos) return -1;
  return static_cast<int>(std::count(glob.begin(), glob.end(), '/')) + 1;
}

// Calls visit(hit) for every directory that discovery turns into a service,
// rule by rule, each rule's in path order. A directory two rules match is the
// first rule's. Runs over every discovered file of a repository (thousands):
// it sorts pointers, and keeps the directories taken only for a later rule.
template <typename Visit>
void for_each_discovered(const Config& config, const std::vector<std::string>& files, Visit visit) {
  std::vector<const std::string*> sorted;
  sorted.reserve(files.size());
  for (const auto& file : files) sorted.push_back(&file);
  const auto by_text = [](const std::string* a, const std::string* b) { return *a < *b; };
  // The result cache and the tree walks hand over sorted lists already.
  if (!std::is_sorted(sorted.begin(), sorted.end(), by_text)) {
    std::sort(sorted.begin(), sorted.end(), by_text);
  }
  // One file gives one directory for a given `require`, so within one rule a
  // directory repeats only with its file (adjacent once sorted).
  auto repeated = [&sorted](std::size_t i) { return i > 0 && *sorted[i] == *sorted[i - 1]; };
  std::set<std::string> taken;  // directories earlier rules turned into services
  std::vector<std::string> taken_now;
  auto keep_taken = [&taken, &taken_now] {
    taken.insert(std::make_move_iterator(taken_now.begin()),
                 std::make_move_iterator(taken_now.end()));
    taken_now.clear();
  };
  if (uses_default_discovery(config)) {
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      auto directory = directory_holding(*sorted[i], "buildspec.yml");
      // The root's own buildspec is the pipeline's, not a service's.
      if (!directory || repeated(i)) continue;
      visit({*directory, base_name(*directory), "buildspec.yml", nullptr, {}});
    }
  }
  for (std::size_t r = 0; r < config.discover.size(); ++r) {
    const Discover& rule = config.discover[r];
    const match::Glob glob(strip_slashes(rule.glob));  // compiled once, not once a file
    const std::string require = normalized_require(rule.require);
    const bool later_rules = r + 1 < config.discover.size();
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      auto directory = directory_holding(*sorted[i], require);
      if (!directory || repeated(i) || !glob.matches(*directory) || taken.contains(*directory)) {
        continue;
      }
      visit({*directory, discovered_name(*directory, rule.naming), require, &rule, rule.pos});
      if (later_rules) taken_now.push_back(std::move(*directory));
    }
    keep_taken();
  }
}

// What to do about two discovered directories with one name.
std::string duplicate_advice(const Config& config, const DiscoveryHit& first,
                             const DiscoveryHit& second) {
  const bool by_basename =
      (first.rule != nullptr && first.rule->naming == DiscoverNaming::basename) ||
      (second.rule != nullptr && second.rule->naming == DiscoverNaming::basename);
  const std::string path_names = " to name services by their path (`" +
                                 discovered_name(first.directory, DiscoverNaming::path) + "`, `" +
                                 discovered_name(second.directory, DiscoverNaming::path) + "`)";
  if (first.rule != nullptr || second.rule != nullptr) {
    std::string advice =
        "narrow the `discover` glob so that it matches only one of them, and list "
        "the other under `services` with a name of its own";
    if (!by_basename) return advice;
    return "add `name: path` to the `discover` entry" + path_names + ", or " + advice;
  }
  std::string advice =
      config.from_file ? "list them in svcdiff.yml" : "write an svcdiff.yml that lists them";
  return advice +
         " under `services` with names of their own (a config with `services` and no `discover` "
         "discovers nothing), or add a `discover` glob that matches only one of them, or one with "
         "`name: path`" +
         path_names;
}

}  // namespace

bool uses_default_discovery(const Config& config) {
  return config.discover.empty() && (!config.from_file || config.services.empty());
}

DiscoveryScope::DiscoveryScope(const Config& config) : everything_(uses_default_discovery(config)) {
  for (const auto& rule : config.discover) {
    const std::string glob = strip_slashes(rule.glob);
    globs_.emplace_back(glob);
    segments_.push_back(segment_count(glob));
    const std::string require = normalized_require(rule.require);
    depths_.push_back(static_cast<int>(std::count(require.begin(), require.end(), '/')));
  }
}

bool DiscoveryScope::may_descend(const std::string& dir) const {
  if (everything_) return true;
  const int dir_segments = static_cast<int>(std::count(dir.begin(), dir.end(), '/')) + 1;
  for (std::size_t i = 0; i < globs_.size(); ++i) {
    // Below the glob's matches and their `require`: no glob run can say yes.
    if (segments_[i] >= 0 && dir_segments > segments_[i] + depths_[i]) continue;
    const match::Glob& glob = globs_[i];
    if (glob.matches(dir) || glob.may_match_text_starting_with(dir + "/")) return true;
    // Below a matching directory when `require` lies deeper ("ci/buildspec.yml").
    std::string above = dir;
    for (int up = 0; up < depths_[i]; ++up) {
      above = parent_of(above);
      if (above.empty()) break;
      if (glob.matches(above)) return true;
    }
  }
  return false;
}

DiscoveryOnDemand::DiscoveryOnDemand(const Config& config)
    // Inferred edges join discovered services no change reaches.
    : possible_(!uses_default_discovery(config) && !infers_anything(config)),
      possible_with_edges_(!uses_default_discovery(config)),
      config_(&config) {
  for (const auto& rule : config.discover) {
    const std::string glob = strip_slashes(rule.glob);
    globs_.emplace_back(glob);
    requires_.push_back(normalized_require(rule.require));
    namings_.push_back(rule.naming);
    segments_.push_back(segment_count(glob));
  }
}

std::vector<std::string> DiscoveryOnDemand::files_along(
    const std::vector<std::string>& paths) const {
  std::vector<std::string> files;
  std::unordered_set<std::string> seen;  // directories already asked
  for (const auto& path : paths) {
    for (std::size_t slash = path.find('/'); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
      auto [dir, inserted] = seen.insert(path.substr(0, slash));
      if (!inserted) continue;
      std::vector<std::string> found = files_in(*dir);
      files.insert(files.end(), found.begin(), found.end());
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

// Made when asked, not in the constructor: most instances (the walk limit's)
// never ask, and a few hundred explicit services make sorting them count.
std::vector<std::string> DiscoveryOnDemand::names_to_look_up() const {
  std::vector<std::string> names;
  for (const auto& service : config_->services) {
    names.push_back(service.name);
    names.insert(names.end(), service.depends_on.begin(), service.depends_on.end());
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

bool DiscoveryOnDemand::may_match_below(std::string_view dir) const {
  const int depth = dir.empty() ? 0 : static_cast<int>(std::count(dir.begin(), dir.end(), '/')) + 1;
  std::string prefix;  // made once a glob needs it
  for (std::size_t i = 0; i < globs_.size(); ++i) {
    // Counting segments first spares the NFA (and the copy) for most of a
    // walk's entries.
    if (segments_[i] >= 0 && depth >= segments_[i]) continue;
    if (prefix.empty() && !dir.empty()) prefix.append(dir).append("/");
    if (globs_[i].may_match_text_starting_with(prefix)) return true;
  }
  return false;
}

std::vector<std::string> DiscoveryOnDemand::files_in(const std::string& dir) const {
  std::vector<std::string> files;
  for (std::size_t i = 0; i < globs_.size(); ++i) {
    if (!requires_[i].empty() && globs_[i].matches(dir)) files.push_back(dir + "/" + requires_[i]);
  }
  return files;
}

std::vector<std::string> DiscoveryOnDemand::names_of(const std::string& dir) const {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < globs_.size(); ++i) {
    if (!globs_[i].matches(dir)) continue;
    std::string name = discovered_name(dir, namings_[i]);
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

std::vector<std::string> discovery_file_names(const Config& config) {
  std::vector<std::string> names;
  if (uses_default_discovery(config)) {
    names.push_back("buildspec.yml");
  }
  for (const auto& rule : config.discover) {
    const std::string name = base_name(normalized_require(rule.require));
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  }
  return names;
}

std::vector<DiscoveredDirectory> discovered_directories(const Config& config,
                                                        const std::vector<std::string>& files) {
  std::vector<DiscoveredDirectory> found;
  for_each_discovered(config, files, [&](const DiscoveryHit& hit) {
    found.push_back({hit.name, hit.directory});
  });
  return found;
}

Error stale_entry_error(const Config& config, const Service& entry) {
  return error_at(config, entry.pos,
                  "service `" + entry.name +
                      "` has no `paths` and no discovered directory; add `paths: [\"dir/\"]`");
}

std::vector<Service> resolve_services(const Config& config, const std::vector<std::string>& files,
                                      std::vector<Service>* stale) {
  std::map<std::string, Discovered> found;
  auto add = [&](const DiscoveryHit& hit) {
    if (!is_codebuild_project_name(hit.name)) {
      throw error_at(config, hit.pos,
                     "discovered directory `" + hit.directory + "` (" + origin(hit) +
                         ") makes the service name `" + hit.name +
                         "`, which is not a valid CodeBuild project name (letters, digits, - and "
                         "_, 2 to 255 characters); rename it or list the service under `services` "
                         "in svcdiff.yml");
    }
    auto [it, inserted] = found.try_emplace(hit.name);
    if (!inserted) {
      const Discovered& earlier = it->second;
      const DiscoveryHit first{earlier.service.directory, hit.name, {}, earlier.rule, {}};
      throw error_at(config, hit.pos,
                     "two discovered services are named `" + hit.name + "`: " + first.directory +
                         " (" + origin(first) + ") and " + hit.directory + " (" + origin(hit) +
                         "); " + duplicate_advice(config, first, hit));
    }
    Service& service = it->second.service;
    service.name = hit.name;
    service.project = hit.name;
    service.directory = hit.directory;
    service.paths.push_back({hit.directory + "/", {}});
    if (base_name(hit.require) == "buildspec.yml") {
      service.buildspec = hit.directory + "/" + hit.require;
    }
    service.discovered = true;
    it->second.rule = hit.rule;
  };

  for_each_discovered(config, files, add);

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
      if (stale == nullptr) throw stale_entry_error(config, merged);
      stale->push_back(std::move(merged));
      continue;
    }
    if (merged.directory.empty()) merged.directory = derive_directory(merged);
    // The key first: the right-hand side of `=` is evaluated (and moved from) before the left.
    std::string name = merged.name;
    found[name] = Discovered{std::move(merged), {}};
  }

  std::vector<Service> services;
  services.reserve(found.size());
  for (auto& [name, entry] : found) services.push_back(std::move(entry.service));
  return services;
}

}  // namespace svcdiff::config
