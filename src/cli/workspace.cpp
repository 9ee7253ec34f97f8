#include "cli/workspace.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string_view>
#include <system_error>
#include <unordered_set>
#include <utility>

#include "cache/linked_services.hpp"
#include "cache/result_cache.hpp"
#include "cli/discovery_tree.hpp"
#include "config/discovery.hpp"
#include "config/infer.hpp"
#include "config/loader.hpp"
#include "core/error.hpp"
#include "core/path_text.hpp"
#include "core/suggest.hpp"
#include "match/pattern.hpp"

namespace svcdiff::cli {
namespace fs = std::filesystem;
namespace {

// Shown in messages: relative to the current directory when below it.
std::string display_path(const fs::path& path) {
  std::error_code error;
  fs::path relative = fs::relative(path, fs::current_path(error), error);
  if (error || relative.empty() || *relative.begin() == "..") return path.string();
  return relative.string();
}

std::vector<match::Pattern> compile_all(const std::vector<config::PatternSpec>& specs) {
  std::vector<match::Pattern> patterns;
  patterns.reserve(specs.size());
  for (const auto& spec : specs) patterns.push_back(match::Pattern::compile(spec.text));
  return patterns;
}

// Files named `names` below `root` on disk: a checkout without .git, or the
// work tree for `validate`.
std::vector<std::string> find_files_on_disk(const fs::path& root,
                                            const std::vector<std::string>& names,
                                            const config::DiscoveryScope& scope) {
  std::vector<std::string> files;
  std::error_code error;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, error);
  if (error) throw runtime_error("cannot list " + root.string() + ": " + error.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (error) throw runtime_error("cannot list " + root.string() + ": " + error.message());
    const auto& entry = *it;
    std::string name = entry.path().filename().string();
    // Lexically, not fs::relative: that resolves symlinks, and a require
    // file that is a link would be recorded as its target's path.
    auto relative = [&] { return entry.path().lexically_relative(root).generic_string(); };
    // A symlink to a directory is no directory here (the iterator does not
    // follow it): a link named like a `require` file counts, as below.
    if (entry.is_directory(error) && !entry.is_symlink(error)) {
      if (name == ".git" || name == "node_modules" || !scope.may_descend(relative())) {
        it.disable_recursion_pending();
      }
      continue;
    }
    // A symlink counts whatever it points to, as in a commit (a tree entry
    // of mode link), so a directory and its commit find the same services.
    for (const auto& wanted : names) {
      if (name == wanted && (entry.is_symlink(error) || entry.is_regular_file(error))) {
        files.push_back(relative());
      }
    }
  }
  return files;
}

// Manifests for `infer`: from `commit`, or from the disk below `root` when
// there is no commit to read (or the work tree is wanted).
config::ManifestFiles manifest_files(const Workspace& workspace, const std::string& commit,
                                     bool from_disk) {
  if (workspace.repository && !commit.empty() && !from_disk) {
    const repo::Repository& repository = *workspace.repository;
    return {[&repository, commit](const std::string& path) {
              return repository.read_file(commit, path);
            },
            [&repository, commit](const std::string& dir) {
              return repository.list_files(commit, dir);
            }};
  }
  const std::string root = workspace.root;
  return {[root](const std::string& path) -> std::optional<std::string> {
            std::error_code error;
            if (!fs::is_regular_file(root + path, error)) return std::nullopt;
            std::ifstream in(root + path, std::ios::binary);
            if (!in) throw runtime_error("cannot read " + path);
            return std::string(std::istreambuf_iterator<char>(in), {});
          },
          [root](const std::string& dir) {
            std::vector<std::string> names;
            std::error_code error;
            for (fs::directory_iterator it(root + dir, error), end; !error && it != end;
                 it.increment(error)) {
              if (it->is_regular_file(error)) names.push_back(it->path().filename().string());
            }
            return names;
          }};
}

// Whether discovery may run on demand for `changes`: the config allows it
// (with `infer`, when every inferred edge is known: `edges_known`), and no
// change is global (a global change selects every service, so every one
// must be known).
bool may_discover_on_demand(const Workspace& workspace, const std::vector<ChangedPath>& changes,
                            bool edges_known, const Log& log) {
  const config::DiscoveryOnDemand rules(workspace.config);
  if (!rules.possible() && !(edges_known && rules.possible_with_known_edges())) return false;
  const std::vector<match::Pattern> global = compile_all(workspace.config.global);
  for (const auto& change : changes) {
    for (const auto& pattern : global) {
      if (pattern.matches(change.path, change.is_dir)) {
        log.debug("discovery in full: " + change.path + " matches global `" + pattern.source() +
                  "`");
        return false;
      }
    }
  }
  return true;
}

// What discovery makes of the files it needs in `tree` when it runs on
// demand for `changes`. With `edges` (infer's, all of them), also of the
// files of every service they link to the ones found (cache::linked_services).
// `not_found`: the `require` files along the changes that `tree` does not
// hold, sorted.
config::Discovery discover_on_demand(const Workspace& workspace, const DiscoveryTree& tree,
                                     const std::vector<ChangedPath>& changes, const Log& log,
                                     std::vector<std::string>& not_found,
                                     const cache::InferredEdges* edges = nullptr) {
  const config::DiscoveryOnDemand on_demand(workspace.config);
  std::vector<std::string_view> paths;
  paths.reserve(changes.size());
  for (const auto& change : changes) paths.emplace_back(change.path);
  const std::vector<std::string> along = on_demand.files_along(paths);
  std::vector<std::string> files = tree.existing_files(along);
  not_found.clear();
  std::set_difference(along.begin(), along.end(), files.begin(), files.end(),
                      std::back_inserter(not_found));

  // A discovered name must be unique among every match of the globs, and an
  // explicit or depended-on name takes its discovered directory wherever it
  // lies: look those names up among the matches, without reading below them.
  std::vector<std::string> names = on_demand.names_to_look_up();
  config::Discovery discovery(workspace.config, files);
  for (auto& name : discovery.names()) names.push_back(std::move(name));
  // Sorted and each once either way: begins_a_name bisects them.
  if (edges != nullptr) {
    names = cache::linked_services(*edges, names, workspace.reads_dependencies);
  } else {
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
  }
  if (!names.empty()) {
    // Asked once a directory below the globs (thousands): a hash, not a
    // bisection of string compares.
    const std::unordered_set<std::string_view> name_set(names.begin(), names.end());
    auto listed = [&name_set](std::string_view name) { return name_set.count(name) != 0; };
    // Only a rule with `naming: path` makes dashed names; without one the
    // dashed path of every directory (a copy each) need not be made.
    const auto path_named = [](const config::Discover& rule) {
      return rule.naming != config::DiscoverNaming::basename;
    };
    const auto& rules = workspace.config.discover;
    const bool dashed_names = std::any_of(rules.begin(), rules.end(), path_named);
    // Likewise a directory's basename is not hashed when no rule names by it
    // (matched_naming_by could only say no).
    const bool base_names = !std::all_of(rules.begin(), rules.end(), path_named);
    // When every rule names by path, a directory's dashed path begins the
    // name of everything below it: enter only directories that begin a name
    // looked up, not every tree the globs reach.
    const bool only_dashed_names = !rules.empty() &&
                                   !config::uses_default_discovery(workspace.config) &&
                                   std::all_of(rules.begin(), rules.end(), path_named);
    // Both tests below run for every directory the walk meets: each makes
    // its dashed path in a buffer of its own, kept, not a string a call.
    std::string dashed_prefix;
    auto begins_a_name = [&names, &dashed_prefix](std::string_view dir) {
      config::assign_discovered_name(dashed_prefix, dir, config::DiscoverNaming::path);
      dashed_prefix += '-';
      const auto next = std::lower_bound(names.begin(), names.end(), dashed_prefix);
      return next != names.end() && next->starts_with(dashed_prefix);
    };
    std::string dashed;
    auto named = [&](std::string_view dir) {
      // A glob names a directory by its basename or by its dashed path: only
      // a glob whose name for it is listed needs to run.
      using config::DiscoverNaming;
      if (base_names && listed(dir.substr(dir.rfind('/') + 1)) &&
          on_demand.matched_naming_by(dir, DiscoverNaming::basename)) {
        return true;
      }
      if (!dashed_names) return false;
      config::assign_discovered_name(dashed, dir, DiscoverNaming::path);
      return listed(dashed) && on_demand.matched_naming_by(dir, DiscoverNaming::path);
    };
    std::vector<std::string> candidates;
    auto descend = [&](std::string_view dir) {
      // The name test first: a bisection where the globs would run an NFA.
      return (!only_dashed_names || begins_a_name(dir)) && on_demand.may_match_below(dir);
    };
    for (const auto& dir : tree.find_directories(descend, named)) {
      for (auto& file : on_demand.files_in(dir)) {
        if (!std::binary_search(files.begin(), files.end(), file)) {
          candidates.push_back(std::move(file));
        }
      }
    }
    std::vector<std::string> more = tree.existing_files(candidates);
    if (!more.empty()) {
      files.insert(files.end(), more.begin(), more.end());
      discovery = config::Discovery(workspace.config, files);
    }
  }
  log.debug("discovery on demand: " + std::to_string(files.size()) + " files for " +
            std::to_string(changes.size()) + " changed paths");
  return discovery;
}

// Every file discovery finds at `commit` (or on disk without one).
std::vector<std::string> discover_everything(const Workspace& workspace, const std::string& commit,
                                             const std::vector<std::string>& names) {
  config::DiscoveryScope scope(workspace.config);
  if (!workspace.repository || commit.empty()) {
    return find_files_on_disk(workspace.root, names, scope);
  }
  std::vector<std::string> files;
  auto descend = [&scope](const std::string& dir) { return scope.may_descend(dir); };
  for (const auto& name : names) {
    auto found = workspace.repository->find_files_named(commit, name, descend);
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

// The result cache, when this run may use it: a commit read from the
// repository (never the work tree), and not turned off.
std::optional<cache::ResultCache> open_cache(Workspace& workspace, const std::string& commit,
                                             bool manifests_from_work_tree, const Log& log) {
  if (!workspace.repository || commit.empty() || manifests_from_work_tree) return std::nullopt;
  if (!workspace.cache_allowed || cache::disabled_by_environment()) {
    log.debug(workspace.cache_allowed ? "cache: off (SVCDIFF_NO_CACHE)"
                                      : "cache: off (--no-cache)");
    return std::nullopt;
  }
  if (workspace.cache_file) {
    cache::CacheFile file = std::move(*workspace.cache_file);
    workspace.cache_file.reset();
    return cache::ResultCache::open(*workspace.repository, workspace.config, commit,
                                    std::move(file));
  }
  return cache::ResultCache::open(*workspace.repository, workspace.config, commit);
}

// Infers the services' dependencies, or takes them from the cache when it
// still holds (`reuse`: returns true), and logs infer's warnings. With
// `record`, a result computed here and what infer read are kept there for
// the cache (reset when a read went through a symlink: what it read then
// depends on other paths).
bool infer_services(Workspace& workspace, const std::string& commit, bool from_work_tree,
                    const cache::InferRecord* reuse, std::optional<cache::InferRecord>& record,
                    const Log& log) {
  if (reuse != nullptr && cache::restore_edges(reuse->edges, workspace.services)) {
    for (const auto& warning : reuse->warnings) log.warn(warning);
    return true;
  }
  bool through_link = false;
  const config::ManifestFiles files =
      record ? cache::recorded_manifest_files(*workspace.repository, commit, *record, through_link)
             : manifest_files(workspace, commit, from_work_tree);
  std::vector<std::string> warnings =
      config::infer_dependencies(workspace.config, workspace.services, files);
  for (const auto& warning : warnings) log.warn(warning);
  if (!record) return false;
  if (through_link) {
    log.debug("cache: infer not kept (a manifest is a symlink)");
    record.reset();
    return false;
  }
  record->edges = cache::edges_of(workspace.services);
  record->warnings = std::move(warnings);
  return false;
}

std::size_t count_buildable(const std::vector<config::Service>& services) {
  return static_cast<std::size_t>(
      std::count_if(services.begin(), services.end(),
                    [](const config::Service& service) { return service.build; }));
}

// `warnings`: what the graph of every service said, logged instead of what
// this graph (of part of them) says.
void build_graph_and_classifier(Workspace& workspace, const Log& log,
                                const std::vector<std::string>* warnings = nullptr) {
  std::vector<graph::NodeSpec> nodes;
  std::vector<match::ServicePatterns> patterns;
  nodes.reserve(workspace.services.size());
  patterns.reserve(workspace.services.size());
  auto is_stale = [&workspace](const std::string& name) {
    return std::any_of(workspace.stale.begin(), workspace.stale.end(),
                       [&name](const config::Service& entry) { return entry.name == name; });
  };
  for (const auto& service : workspace.services) {
    auto where = [&](config::SourcePos pos) {
      if (!workspace.config.from_file) return Location{};
      return Location{workspace.config.file, pos.line, pos.column};
    };
    graph::NodeSpec node{service.name, {}, service.build, where(service.pos), {}, {}};
    for (std::size_t k = 0; k < service.depends_on.size(); ++k) {
      const std::string& dep = service.depends_on[k];
      // A dependency on an entry discovery no longer finds (its directory
      // or `require` deleted) goes the way of that entry: a warning, so the
      // commit that deletes a service still runs; `validate` reports it.
      if (is_stale(dep)) {
        log.warn("service `" + service.name + "` depends on `" + dep +
                 "`, which discovery no longer finds (deleted?); that dependency is dropped; "
                 "remove it from `depends_on`");
        continue;
      }
      node.depends_on.push_back(dep);
      if (k < service.depends_on_pos.size()) {
        node.depends_on_where.push_back(where(service.depends_on_pos[k]));
      }
    }
    for (const auto& edge : service.inferred) node.inferred.push_back({edge.service, edge.source});
    nodes.push_back(std::move(node));
    patterns.push_back({service.name, compile_all(service.paths), compile_all(service.exclude)});
  }
  workspace.graph = std::make_unique<graph::DependencyGraph>(std::move(nodes));
  for (const auto& warning : warnings ? *warnings : workspace.graph->warnings()) log.warn(warning);
  workspace.classifier = std::make_unique<match::PathClassifier>(
      compile_all(workspace.config.ignore), compile_all(workspace.config.global),
      std::move(patterns));
}

}  // namespace

std::size_t Workspace::find_service(const std::string& name) const {
  // The graph's name index once it is built (same indices): `changed` asks
  // for every discovered directory along a long range.
  if (graph && graph->size() == services.size()) return graph->find(name);
  for (std::size_t i = 0; i < services.size(); ++i) {
    if (services[i].name == name) return i;
  }
  return graph::DependencyGraph::npos;
}

std::size_t Workspace::require_service(const std::string& name) const {
  const std::size_t index = find_service(name);
  if (index != graph::DependencyGraph::npos) return index;
  throw usage_error("unknown service `" + name + "`" +
                    did_you_mean(name, service_names(), "; `svcdiff list` shows every service"));
}

std::optional<std::size_t> Workspace::buildable_count() const {
  if (buildable_in_full) return buildable_in_full;
  if (discovered_on_demand) return std::nullopt;
  return count_buildable(services);
}

std::vector<std::string> Workspace::service_names() const {
  std::vector<std::string> names;
  for (const auto& service : services) names.push_back(service.name);
  return names;
}

std::optional<std::string> repository_relative(const std::string& absolute,
                                               const std::string& root) {
  std::string base = root;
  if (base.empty() || base.back() != '/') base += '/';
  for (bool canonical : {false, true}) {
    std::error_code error;
    fs::path path = fs::path(absolute).lexically_normal();
    std::string top = base;
    if (canonical) {
      path = fs::weakly_canonical(path, error);
      top = fs::weakly_canonical(base, error).generic_string();
      if (error) continue;
      if (top.empty() || top.back() != '/') top += '/';
    }
    std::string text = path.generic_string();
    if (text + "/" == top) return "";
    if (text.rfind(top, 0) == 0) return text.substr(top.size());
  }
  return std::nullopt;
}

Place locate(const GlobalOptions& options) {
  Place place;
  const std::string start = options.repo_dir.empty() ? "." : options.repo_dir;
  std::error_code error;
  if (!fs::is_directory(start, error)) {
    throw usage_error("-C " + start +
                      (fs::exists(start, error)
                           ? ": not a directory; name the repository's directory"
                           : ": no such directory"));
  }
  place.start = fs::absolute(start).lexically_normal().string();
  place.repository = repo::Repository::discover({start, options.trust_repo_owner});
  if (place.repository && !place.repository->is_bare()) {
    place.root = place.repository->workdir();
  } else {
    place.root = place.start;
  }
  if (place.root.empty() || place.root.back() != '/') place.root += '/';
  return place;
}

ChangedPath path_from_start(const std::string& given, const Place& place) {
  ChangedPath path = given_path(given);
  if (given.empty()) return path;
  const fs::path joined = given.front() == '/' ? fs::path(given) : fs::path(place.start) / given;
  auto relative = repository_relative(joined.string(), place.root);
  if (!relative) {
    throw usage_error("`" + given + "` is outside the repository (" + place.root +
                      "); paths are relative to the current directory, as for git");
  }
  path.path = fs::path(*relative).lexically_normal().generic_string();
  while (!path.path.empty() && path.path.back() == '/') path.path.pop_back();
  if (path.path == ".") path.path.clear();
  return path;
}

namespace {

// svcdiff.yml's text as parsed, or as the result cache holds it parsed when
// the cache was written for these bytes: yaml-cpp is a quarter of a warm
// one-commit run. The cache file is read once, here, and load_services
// judges what was read.
config::Config parse_config(Workspace& workspace, std::string text, const std::string& name,
                            const Log& log) {
  if (workspace.repository && workspace.cache_allowed && !cache::disabled_by_environment()) {
    workspace.cache_file = cache::read_cache_file(*workspace.repository);
    if (auto config = cache::cached_config(*workspace.cache_file, text)) {
      log.debug("config: " + name + " as the result cache keeps it parsed (the same bytes)");
      config->file = name;
      config->from_file = true;
      config->bytes = std::move(text);
      return std::move(*config);
    }
  }
  return config::parse_config(text, name);
}

// A svcdiff.yml link that leads to no file: it would be read as no config
// at all (or HEAD's copy), so the link is named instead. Other failures
// (a loop, no permission) are left to read_config_file, which names them.
void refuse_dangling_link(const fs::path& file, const std::string& name) {
  std::error_code error;
  if (!fs::is_symlink(fs::symlink_status(file, error)) || fs::exists(file, error) || error) return;
  throw runtime_error(name + " is a symlink to `" +
                      text_path(fs::read_symlink(file, error).string()) +
                      "`, which does not exist; fix the link, or remove it");
}

// The work tree's svcdiff.yml is the config (README); one committed at HEAD
// and deleted from the disk must not be replaced by HEAD's copy without a
// word. A sparse checkout, or a clone not checked out, has not deleted it.
void refuse_deleted_config(const repo::Repository& repository, const std::string& name) {
  const auto head = repository.try_resolve_commit("HEAD");
  if (!head || repository.path_kind(*head, "svcdiff.yml") != repo::Repository::PathKind::file ||
      repository.leaves_out_of_work_tree("svcdiff.yml")) {
    return;
  }
  throw runtime_error(name +
                      " is committed at HEAD but deleted in the work tree; restore it (git "
                      "checkout HEAD -- svcdiff.yml) or commit its deletion");
}

}  // namespace

Workspace open_workspace(const GlobalOptions& options, const std::string& head_revision,
                         const Log& log) {
  return open_workspace(options, locate(options), head_revision, log);
}

Workspace open_workspace(const GlobalOptions& options, Place place,
                         const std::string& head_revision, const Log& log) {
  Workspace workspace;
  workspace.repository = std::move(place.repository);
  workspace.root = place.root;
  workspace.start = place.start;
  workspace.cache_allowed = !options.no_cache;
  std::error_code error;

  const fs::path file = fs::path(workspace.root) / "svcdiff.yml";
  const bool has_work_tree = !workspace.repository || !workspace.repository->is_bare();
  if (!options.config.empty()) {
    workspace.config = parse_config(
        workspace,
        config::read_config_file(options.config, options.config, config::ConfigFileKind::named),
        options.config, log);
  } else if (has_work_tree && fs::exists(fs::symlink_status(file, error))) {
    const std::string name = display_path(file);
    refuse_dangling_link(file, name);
    workspace.config = parse_config(
        workspace, config::read_config_file(file.string(), name, config::ConfigFileKind::found),
        name, log);
  } else if (workspace.repository) {
    if (has_work_tree) refuse_deleted_config(*workspace.repository, display_path(file));
    auto commit = workspace.repository->try_resolve_commit(head_revision);
    if (commit) {
      if (auto text = workspace.repository->read_file(*commit, "svcdiff.yml")) {
        workspace.config =
            parse_config(workspace, std::move(*text), "svcdiff.yml@" + head_revision, log);
      }
    }
  }
  if (!workspace.config.from_file) {
    log.debug("no svcdiff.yml: every directory holding a buildspec.yml is a service");
  }
  return workspace;
}

namespace {

// Discovery on demand with `infer`: the services along `changes`, those the
// config names, and every one infer's edges (from `cache`, valid at head)
// link to them; the graph of these alone. What the full graph would say
// that this one cannot (its warnings, how many services are built) comes
// from the cache too, so the run prints what a full one prints. False when
// the cached edges do not fit the services found (then nothing was logged).
bool load_with_cached_edges(Workspace& workspace, const cache::ResultCache& cache,
                            const std::vector<ChangedPath>& changes, const Log& log) {
  const cache::InferRecord& infer = *cache.inference();
  std::vector<std::string> not_found;
  config::Discovery discovery = discover_on_demand(workspace, DiscoveryTree(*cache.files()),
                                                   changes, log, not_found, &infer.edges);
  std::vector<config::Service> stale;
  std::vector<config::Service> services =
      config::resolve_services(workspace.config, std::move(discovery), &stale);
  if (!cache::restore_edges_among(infer.edges, services, !workspace.reads_dependencies)) {
    log.debug("discovery in full: infer's cached edges name a service not found on demand");
    return false;
  }
  workspace.services = std::move(services);
  workspace.stale = std::move(stale);
  workspace.discovered_on_demand = true;
  workspace.require_files_not_found = std::move(not_found);
  workspace.buildable_in_full = infer.buildable;
  log.debug("discovery on demand with infer's cached edges: " +
            std::to_string(workspace.services.size()) + " services");
  for (const auto& warning : infer.warnings) log.warn(warning);
  if (cache.stale()) {
    const std::string failure = cache.store(*cache.files(), &infer);
    log.debug(failure.empty() ? "cache: written" : "cache: not written (" + failure + ")");
  }
  build_graph_and_classifier(workspace, log, &infer.graph_warnings);
  return true;
}

}  // namespace

void load_services(Workspace& workspace, const std::string& commit, const Log& log,
                   bool manifests_from_work_tree, const std::vector<ChangedPath>* changes,
                   const SeenRequireFiles* seen) {
  const auto names = config::discovery_file_names(workspace.config);
  std::optional<cache::ResultCache>& cache = workspace.result_cache;
  cache = open_cache(workspace, commit, manifests_from_work_tree, log);
  const bool edges_known = cache && cache->inference() != nullptr && cache->files() != nullptr;
  bool on_demand = !names.empty() && changes != nullptr && workspace.repository &&
                   !commit.empty() && may_discover_on_demand(workspace, *changes, edges_known, log);
  if (cache && (cache->kept() || !on_demand)) log.debug("cache: " + cache->status());
  workspace.buildable_in_full.reset();
  workspace.discovered_at = workspace.repository ? commit : std::string();
  workspace.require_files_not_found.clear();
  if (on_demand && config::infers_anything(workspace.config)) {
    // On demand only with the cached edges.
    if (load_with_cached_edges(workspace, *cache, *changes, log)) return;
    on_demand = false;
  }
  workspace.discovered_on_demand = on_demand;

  // Every file discovery finds: from the cache when it still holds, else
  // read now -- always without on demand; with it, only to keep up a cache
  // this repository already has or SVCDIFF_CACHE_DIR asks for (a fresh clone
  // without it pays nothing extra).
  std::vector<std::string> found_now;
  bool found = false;
  cache::PathList found_list;  // found_now as the cache and DiscoveryTree take it
  const cache::PathList* all_files = nullptr;
  if (cache && cache->files()) {
    all_files = cache->files();
  } else if (!names.empty() && (!on_demand || (cache && cache->kept()))) {
    found_now = discover_everything(workspace, commit, names);
    found = true;
    // Packed only for the cache (on demand reads it only with one): a run
    // without the cache does not pay for it.
    if (cache) {
      found_list = cache::PathList(found_now);
      all_files = &found_list;
    }
  }
  std::optional<config::Discovery> discovery;
  if (on_demand) {
    auto& not_found = workspace.require_files_not_found;
    discovery =
        all_files
            ? discover_on_demand(workspace, DiscoveryTree(*all_files), *changes, log, not_found)
            : discover_on_demand(workspace, DiscoveryTree(*workspace.repository, commit, seen),
                                 *changes, log, not_found);
  } else if (found) {
    discovery.emplace(workspace.config, found_now);
  } else if (all_files) {
    discovery.emplace(workspace.config, all_files->strings());
  } else {
    discovery.emplace(workspace.config, std::vector<std::string>{});
  }
  workspace.stale.clear();
  workspace.services =
      config::resolve_services(workspace.config, std::move(*discovery), &workspace.stale);
  log.debug(std::to_string(workspace.services.size()) + " services");
  // No service at all after a full discovery: every answer would be an empty
  // list that looks like "nothing changed". Usually the wrong directory.
  if (!on_demand && workspace.services.empty()) {
    std::string root = fs::absolute(workspace.root).lexically_normal().string();
    if (root.size() > 1 && root.back() == '/') root.pop_back();
    log.warn(workspace.config.from_file
                 ? "no services: " + workspace.config.file +
                       " lists none and its `discover` rules find none; check their globs and "
                       "`require` (svcdiff list shows what they find)"
                 : "no services: no svcdiff.yml and no buildspec.yml below " + text_path(root) +
                       "; run svcdiff inside the monorepo (or pass -C DIR), or add a svcdiff.yml");
  }

  // Infer's result is kept only when it covers every service (not on demand),
  // with what the graph of every service says.
  std::optional<cache::InferRecord> record;
  if (cache && !on_demand) record.emplace();
  const cache::InferRecord* reuse = cache && !on_demand ? cache->inference() : nullptr;
  const bool reused =
      infer_services(workspace, commit, manifests_from_work_tree, reuse, record, log);
  build_graph_and_classifier(workspace, log);
  if (record && !reused) {
    record->graph_warnings = workspace.graph->warnings();
    record->buildable = count_buildable(workspace.services);
  }
  // A reused result is written back as the cache holds it, not copied.
  const cache::InferRecord* keep = reused ? reuse : record ? &*record : nullptr;
  if (cache && (all_files || names.empty()) &&
      (cache->stale() || (keep != nullptr && cache->inference() == nullptr))) {
    const std::string failure = cache->store(all_files ? *all_files : cache::PathList{}, keep);
    log.debug(failure.empty() ? "cache: written" : "cache: not written (" + failure + ")");
  }
}

Workspace open_workspace_at_head(const GlobalOptions& options, const Log& log, bool work_tree) {
  Workspace workspace = open_workspace(options, "HEAD", log);
  std::string head;
  if (workspace.repository && !(work_tree && !workspace.repository->is_bare())) {
    if (auto commit = workspace.repository->try_resolve_commit("HEAD")) head = *commit;
  }
  load_services(workspace, head, log);
  // Without a base nothing tells a deleted service from a wrong entry: warn
  // and go on. `validate` (work_tree) reports them as problems instead.
  if (!work_tree) {
    for (const auto& entry : workspace.stale) {
      log.warn("service `" + entry.name +
               "`: discovery finds no directory for it at head (deleted?); skipped; remove its "
               "entry from svcdiff.yml or give it `paths`");
    }
  }
  return workspace;
}

}  // namespace svcdiff::cli
