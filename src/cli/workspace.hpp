#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cache/result_cache.hpp"
#include "cli/log.hpp"
#include "cli/options.hpp"
#include "config/model.hpp"
#include "core/changed_path.hpp"
#include "graph/dependency_graph.hpp"
#include "match/path_classifier.hpp"
#include "repo/repository.hpp"

namespace svcdiff::cli {

class SeenRequireFiles;

// Where a command runs: the repository (if any) found from -C or the current
// directory, the work tree root (or the start directory) with a trailing '/',
// and the start directory itself (absolute), which user paths are relative to.
struct Place {
  std::optional<repo::Repository> repository;
  std::string root;
  std::string start;
};
Place locate(const GlobalOptions& options);

// `absolute` as a path inside `root` ('/'-separated, "" for the root itself),
// or nullopt when it lies outside.
std::optional<std::string> repository_relative(const std::string& absolute,
                                               const std::string& root);

// A path a user gives `owners` or `match`: relative to the start directory
// (as git takes paths), or absolute; a trailing '/' marks a directory.
// Throws a usage error for a path outside the repository.
ChangedPath path_from_start(const std::string& given, const Place& place);

// Everything a command reads before it computes: the repository (if any),
// the config and the services it defines or discovers, their graph and the
// compiled patterns.
struct Workspace {
  std::optional<repo::Repository> repository;
  std::string root;   // work tree root (or the start directory), with a trailing '/'
  std::string start;  // -C or the current directory, absolute
  config::Config config;
  std::vector<config::Service> services;  // sorted by name
  // Entries relying on discovery that found no directory at head: a deleted
  // service (removed, with a base) or a config error (see load_services).
  std::vector<config::Service> stale;
  std::unique_ptr<graph::DependencyGraph> graph;
  std::unique_ptr<match::PathClassifier> classifier;
  // Discovery ran on demand: `services` holds the discovered services along
  // the changes (and every explicit one), not every service.
  bool discovered_on_demand = false;
  // The commit whose trees discovery read ("": the disk, or no discovery
  // yet): a discovered service's directory holds its `require` there.
  std::string discovered_at;
  // Discovery on demand: the `require` files it looked for along the changes
  // and did not find at head, sorted (`changed` asks the base whether any
  // was deleted there, where its walk stopped early).
  std::vector<std::string> require_files_not_found;
  // With `infer` on demand (infer's edges from the result cache): how many
  // services of the full list are built, which that cache kept.
  std::optional<std::size_t> buildable_in_full;
  // The result cache (src/cache) may be read and written: not --no-cache.
  bool cache_allowed = true;
  // The cache file, read by open_workspace for the config it may hold, until
  // load_services judges it.
  std::optional<cache::CacheFile> cache_file;
  // The result cache load_services judged: kept with the workspace, which a
  // command keeps until the process exits (its thousands of strings are
  // never freed one by one).
  std::optional<cache::ResultCache> result_cache;
  // The command reads the dependencies of what it selects (the fingerprints
  // of --format items): discovery on demand with infer's edges resolves them.
  bool reads_dependencies = true;

  const repo::Repository* repository_or_null() const { return repository ? &*repository : nullptr; }
  std::size_t find_service(const std::string& name) const;
  std::vector<std::string> service_names() const;
  // How many services of the full list are built (`build: true`); unknown
  // when discovery ran on demand and nothing kept the number.
  std::optional<std::size_t> buildable_count() const;
  // Index of `name`; a usage error with "did you mean" when there is none.
  std::size_t require_service(const std::string& name) const;
};

// Opens the repository (when there is one) and loads the config: -c, else
// svcdiff.yml in the work tree, else svcdiff.yml in `head_revision` (a bare
// repository), else none (discovery defaults).
Workspace open_workspace(const GlobalOptions& options, const std::string& head_revision,
                         const Log& log);
// The same in a place already located: a command checks it first (`--worktree`
// needs a work tree) so that a usage error comes before any config error.
Workspace open_workspace(const GlobalOptions& options, Place place,
                         const std::string& head_revision, const Log& log);

// Second half of open_workspace, split so `changed` can resolve the head
// first: discovery at `commit` (or on disk without a repository), the graph,
// the classifier. `infer` reads manifests from `commit` too, or from the work
// tree with `manifests_from_work_tree` (`--worktree`). With `changes`,
// discovery may run on demand: it looks for discovered services only along
// the changed paths (and up the names the config lists), unless discovery has
// no globs or a change is global; with `infer`, only when the result cache
// holds infer's edges at `commit`, and then it also resolves every service
// those edges link to the ones it found (see cache::linked_services).
// `seen`: what the diff walk saw of the `require` files at `commit`, which
// discovery on demand need not look up again.
void load_services(Workspace& workspace, const std::string& commit, const Log& log,
                   bool manifests_from_work_tree = false,
                   const std::vector<ChangedPath>* changes = nullptr,
                   const SeenRequireFiles* seen = nullptr);

// open_workspace + load_services as of HEAD (or the files on disk without a
// repository, or with `work_tree` set and a work tree): for commands that do
// not diff. `validate` reads the work tree, since it runs before a commit.
Workspace open_workspace_at_head(const GlobalOptions& options, const Log& log,
                                 bool work_tree = false);

}  // namespace svcdiff::cli
