#include "cli/workspace.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <system_error>

#include "config/discovery.hpp"
#include "config/infer.hpp"
#include "config/loader.hpp"
#include "core/error.hpp"
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
    if (entry.is_directory(error)) {
      if (name == ".git" || name == "node_modules" ||
          !scope.may_descend(fs::relative(entry.path(), root).generic_string())) {
        it.disable_recursion_pending();
      }
      continue;
    }
    for (const auto& wanted : names) {
      if (name == wanted && entry.is_regular_file(error)) {
        files.push_back(fs::relative(entry.path(), root).generic_string());
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

// The files discovery needs at `commit` when it runs on demand for
// `changes`, or nullopt when it must run in full.
std::optional<std::vector<std::string>> discover_on_demand(const Workspace& workspace,
                                                           const std::string& commit,
                                                           const std::vector<ChangedPath>& changes,
                                                           const Log& log) {
  const config::DiscoveryOnDemand on_demand(workspace.config);
  if (!on_demand.possible()) return std::nullopt;
  // A global change selects every service: every one must be known.
  const std::vector<match::Pattern> global = compile_all(workspace.config.global);
  for (const auto& change : changes) {
    for (const auto& pattern : global) {
      if (pattern.matches(change.path, change.is_dir)) {
        log.debug("discovery in full: " + change.path + " matches global `" + pattern.source() +
                  "`");
        return std::nullopt;
      }
    }
  }
  const repo::Repository& repository = *workspace.repository;
  std::vector<std::string> paths;
  paths.reserve(changes.size());
  for (const auto& change : changes) paths.push_back(change.path);
  std::vector<std::string> files = repository.existing_files(commit, on_demand.files_along(paths));

  // A discovered name must be unique among every match of the globs, and an
  // explicit or depended-on name takes its discovered directory wherever it
  // lies: look those names up among the matches, without reading below them.
  std::vector<std::string> names = on_demand.names_to_look_up();
  for (const auto& found : config::discovered_directories(workspace.config, files)) {
    names.push_back(found.name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  if (!names.empty()) {
    auto listed = [&names](const std::string& name) {
      return std::binary_search(names.begin(), names.end(), name);
    };
    auto named = [&](const std::string& dir) {
      // A glob names a directory by its basename or by its dashed path: when
      // neither is listed, no glob needs to run.
      std::string dashed = dir;
      std::replace(dashed.begin(), dashed.end(), '/', '-');
      if (!listed(dir.substr(dir.rfind('/') + 1)) && !listed(dashed)) return false;
      const std::vector<std::string> own = on_demand.names_of(dir);
      return std::any_of(own.begin(), own.end(), listed);
    };
    std::vector<std::string> candidates;
    for (const auto& dir : repository.find_directories(
             commit, [&](const std::string& dir) { return on_demand.may_match_below(dir); },
             named)) {
      for (auto& file : on_demand.files_in(dir)) {
        if (!std::binary_search(files.begin(), files.end(), file)) {
          candidates.push_back(std::move(file));
        }
      }
    }
    std::vector<std::string> more = repository.existing_files(commit, candidates);
    files.insert(files.end(), more.begin(), more.end());
  }
  log.debug("discovery on demand: " + std::to_string(files.size()) + " files for " +
            std::to_string(changes.size()) + " changed paths");
  return files;
}

}  // namespace

std::size_t Workspace::find_service(const std::string& name) const {
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
    throw usage_error("-C " + start + ": no such directory");
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

Workspace open_workspace(const GlobalOptions& options, const std::string& head_revision,
                         const Log& log) {
  Workspace workspace;
  Place place = locate(options);
  workspace.repository = std::move(place.repository);
  workspace.root = place.root;
  workspace.start = place.start;
  std::error_code error;

  if (!options.config.empty()) {
    workspace.config = config::load_config_file(options.config, options.config);
  } else if (fs::path file = fs::path(workspace.root) / "svcdiff.yml";
             (!workspace.repository || !workspace.repository->is_bare()) &&
             fs::exists(file, error)) {
    workspace.config = config::load_config_file(file.string(), display_path(file));
  } else if (workspace.repository) {
    auto commit = workspace.repository->try_resolve_commit(head_revision);
    if (commit) {
      if (auto text = workspace.repository->read_file(*commit, "svcdiff.yml")) {
        workspace.config = config::parse_config(*text, "svcdiff.yml@" + head_revision);
      }
    }
  }
  if (!workspace.config.from_file) {
    log.debug("no svcdiff.yml: every directory holding a buildspec.yml is a service");
  }
  return workspace;
}

void load_services(Workspace& workspace, const std::string& commit, const Log& log,
                   bool manifests_from_work_tree, const std::vector<ChangedPath>* changes) {
  std::vector<std::string> files;
  auto names = config::discovery_file_names(workspace.config);
  std::optional<std::vector<std::string>> on_demand;
  if (!names.empty() && changes != nullptr && workspace.repository && !commit.empty()) {
    on_demand = discover_on_demand(workspace, commit, *changes, log);
  }
  workspace.discovered_on_demand = on_demand.has_value();
  if (on_demand) {
    files = std::move(*on_demand);
  } else if (!names.empty()) {
    config::DiscoveryScope scope(workspace.config);
    if (workspace.repository && !commit.empty()) {
      auto descend = [&scope](const std::string& dir) { return scope.may_descend(dir); };
      for (const auto& name : names) {
        auto found = workspace.repository->find_files_named(commit, name, descend);
        files.insert(files.end(), found.begin(), found.end());
      }
    } else {
      files = find_files_on_disk(workspace.root, names, scope);
    }
  }
  workspace.stale.clear();
  workspace.services = config::resolve_services(workspace.config, files, &workspace.stale);
  log.debug(std::to_string(workspace.services.size()) + " services");
  for (const auto& warning :
       config::infer_dependencies(workspace.config, workspace.services,
                                  manifest_files(workspace, commit, manifests_from_work_tree))) {
    log.warn(warning);
  }

  std::vector<graph::NodeSpec> nodes;
  std::vector<match::ServicePatterns> patterns;
  for (const auto& service : workspace.services) {
    auto where = [&](config::SourcePos pos) {
      if (!workspace.config.from_file) return Location{};
      return Location{workspace.config.file, pos.line, pos.column};
    };
    graph::NodeSpec node{
        service.name, service.depends_on, service.build, where(service.pos), {}, {}};
    for (const auto& pos : service.depends_on_pos) node.depends_on_where.push_back(where(pos));
    for (const auto& edge : service.inferred) node.inferred.push_back({edge.service, edge.source});
    nodes.push_back(std::move(node));
    patterns.push_back({service.name, compile_all(service.paths), compile_all(service.exclude)});
  }
  workspace.graph = std::make_unique<graph::DependencyGraph>(std::move(nodes));
  for (const auto& warning : workspace.graph->warnings()) log.warn(warning);
  workspace.classifier = std::make_unique<match::PathClassifier>(
      compile_all(workspace.config.ignore), compile_all(workspace.config.global),
      std::move(patterns));
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
