// `changed`, `explain` and `graph`: they share the computation of SPEC §3–§5.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "cache/staleness.hpp"
#include "cli/commands.hpp"
#include "cli/discovery_tree.hpp"
#include "cli/files_from.hpp"
#include "cli/revisions.hpp"
#include "cli/walk_limit.hpp"
#include "cli/workspace.hpp"
#include "config/discovery.hpp"
#include "config/names.hpp"
#include "core/error.hpp"
#include "core/path_text.hpp"
#include "core/suggest.hpp"
#include "fingerprint/fingerprint.hpp"
#include "output/artifact.hpp"
#include "output/atomic_write.hpp"
#include "output/explain.hpp"
#include "output/formats.hpp"
#include "output/graph_text.hpp"
#include "output/step_summary.hpp"
#include "plan/selection.hpp"

namespace svcdiff::cli {
namespace {

struct Computation {
  Workspace workspace;
  Revisions revisions;
  std::vector<ChangedPath> changes;
  bool changes_left_out = false;  // the walk stopped early somewhere (ChangedWalkLimit)
  // Where the walk with a ChangedWalkLimit stopped early, when that walk ran:
  // a `require` deleted anywhere else shows among the changes.
  std::optional<std::vector<std::string>> left_out_in;
  // Changed directories the walk did not enter (diff_global_first): where a
  // `discover` glob matches one, a `require` deleted there went unseen.
  std::vector<std::string> not_entered;
  plan::Selection selection;
  bool base_known = false;
  // Discovered at base, gone at head: no longer services, but `removed`.
  std::vector<config::DiscoveredDirectory> gone;
  // Discovered at base, their `require` file deleted and their directory
  // left: no longer services, and not gone (SPEC §5), so not `removed`.
  std::vector<config::DiscoveredDirectory> without_require;
};

// Whether, and why, every service is selected regardless of changes.
struct SelectAll {
  bool select = false;
  plan::ReasonKind kind = plan::ReasonKind::all;
  std::string detail;
};

[[noreturn]] void conflict(const std::string& a, const std::string& b, const std::string& why) {
  throw usage_error("`" + a + "` and `" + b + "` cannot be used together: " + why);
}

// Values that name nothing: an empty -o or --base would fail only after git
// work, an empty --s3-split would put the wave files in the current directory.
void check_not_empty(const ChangedOptions& options) {
  check_revision_not_empty("--base", options.base);
  check_revision_not_empty("--head", options.head);
  if (options.output && options.output->empty()) {
    throw usage_error("--output is empty; name a file, or - for standard output");
  }
  if (options.files_from && options.files_from->empty()) {
    throw usage_error("--files-from is empty; name a file, or - for standard input");
  }
  if (options.s3_split && options.s3_split->empty()) {
    throw usage_error("--s3-split is empty; name the directory the wave files go to");
  }
}

// Only explicit flags conflict: a base from the environment (SVCDIFF_BASE in
// CodeBuild) is a default that --all or --files-from may override. Nor does
// --on-unknown-base: a policy for a base that --all and a list never need.
void check_conflicts(const ChangedOptions& options) {
  if (options.all && options.files_from) {
    conflict("--all", "--files-from", "--all selects every service whatever the list says");
  }
  if (options.all && options.base) {
    conflict("--all", "--base", "--all selects every service whatever changed since the base");
  }
  if (options.all && options.merge_base) {
    conflict("--all", "--merge-base", "--all diffs nothing, so there is no merge-base to take");
  }
  if (options.files_from && options.merge_base) {
    conflict("--merge-base", "--files-from", "the list replaces the diff from a base");
  }
  if (options.files_from && options.base) {
    conflict("--base", "--files-from", "the list replaces the diff from a base");
  }
  if (options.files_from && options.worktree) {
    conflict("--worktree", "--files-from",
             "the list replaces git's changes, the work tree's too; add those paths to the list");
  }
  if (options.nul_separated && !options.files_from) {
    throw usage_error("`-z` needs `--files-from`: it says how the paths there are separated");
  }
  if (options.worktree && options.head && *options.head != "HEAD") {
    conflict("--worktree", "--head " + *options.head,
             "the work tree's changes sit on top of HEAD; check out " + *options.head +
                 " or drop --worktree");
  }
}

// --s3-split's companions. Without --format the config's defaults.format
// decides, checked once the config is read (check_s3_split_format).
void check_s3_split(const ChangedOptions& options) {
  if (options.s3_uri && !options.s3_split) throw usage_error("--s3-uri needs --s3-split DIR");
  if (!options.s3_split) return;
  if (!options.s3_uri) throw usage_error("--s3-split needs --s3-uri s3://BUCKET/PREFIX");
  output::parse_s3_uri(*options.s3_uri);
  if (options.format && output::parse_format(*options.format) != output::Format::items) {
    throw usage_error("--s3-split needs --format items, not --format " + *options.format);
  }
}

// The command line alone, before any git work: options that would silently
// drop each other, and values that are known to be wrong.
void check_options(const ChangedOptions& options) {
  check_not_empty(options);
  check_conflicts(options);
  if (options.on_unknown_base && *options.on_unknown_base != "all" &&
      *options.on_unknown_base != "fail") {
    throw usage_error("--on-unknown-base must be `all` or `fail`, not `" +
                      *options.on_unknown_base + "`");
  }
  if (options.format && !output::parse_format(*options.format)) {
    const std::string& name = *options.format;
    std::string names;
    for (const auto& known : output::format_names()) names += (names.empty() ? "" : ", ") + known;
    throw usage_error("unknown format `" + name + "`" +
                      did_you_mean(name, output::format_names(), "; use " + names));
  }
  check_s3_split(options);
}

config::OnUnknownBase unknown_base_policy(const ChangedOptions& options,
                                          const config::Config& config) {
  if (options.on_unknown_base) {
    return *options.on_unknown_base == "fail" ? config::OnUnknownBase::fail
                                              : config::OnUnknownBase::all;
  }
  return config.defaults.on_unknown_base.value_or(config::OnUnknownBase::all);
}

// --format was checked by check_options; defaults.format by the loader.
output::Format choose_format(const ChangedOptions& options, const config::Config& config) {
  return *output::parse_format(
      options.format.value_or(config.defaults.format.value_or("services")));
}

// --s3-split with the format defaults.format chose (check_s3_split saw --format).
void check_s3_split_format(const ChangedOptions& options, const config::Config& config) {
  if (!options.s3_split || choose_format(options, config) == output::Format::items) return;
  throw usage_error("--s3-split needs --format items" +
                    (config.defaults.format ? ", and defaults.format in the config is `" +
                                                  *config.defaults.format + "`"
                                            : std::string()) +
                    "; add --format items");
}

std::string short_id(const std::string& id) { return id.empty() ? "(none)" : id.substr(0, 12); }

// The `require` files of the directories in `dirs` that no service at head
// has the name of: most are services at head under every name a glob gives
// them, so a `require` deleted there could make no service that is gone.
std::vector<std::string> require_files_of_others(const Workspace& workspace,
                                                 const config::DiscoveryOnDemand& rules,
                                                 const std::vector<std::string>& dirs) {
  const auto& discover = workspace.config.discover;
  const bool basenames_only = std::none_of(
      discover.begin(), discover.end(),
      [](const config::Discover& rule) { return rule.naming != config::DiscoverNaming::basename; });
  const auto is_service = [&](const std::string& name) {
    return workspace.find_service(name) != graph::DependencyGraph::npos;
  };
  std::vector<std::string> files;
  std::string name;
  for (const auto& dir : dirs) {
    // Where every glob names by basename, the service of that name in `dir`
    // answers without running the globs (asked of every changed directory).
    name.assign(dir, dir.rfind('/') + 1);
    if (basenames_only) {
      const std::size_t index = workspace.find_service(name);
      if (index != graph::DependencyGraph::npos && workspace.services[index].directory == dir) {
        continue;
      }
    }
    const std::vector<std::string> names = rules.names_of(dir);
    if (std::all_of(names.begin(), names.end(), is_service)) continue;
    for (auto& file : rules.files_in(dir)) files.push_back(std::move(file));
  }
  return files;
}

// The `require` files, missing at head, of the directories the walk may
// have left paths out of: those along the paths it did report (where it
// stopped early in a directory, its `require` may come later) and those it
// did not enter. Discovery on demand has looked the first up already; full
// discovery knows every service at head, so only the others are looked up.
std::vector<std::string> require_files_not_at_head(const Computation& result) {
  const Workspace& workspace = result.workspace;
  // Where the walk names the directories it stopped early in, only a file in
  // one (or below) may have been deleted unseen: the base is asked about
  // those alone (python-docs-samples, 1,000 commits: 1.2M instructions of
  // lookups at base otherwise).
  const auto maybe_unseen = [&result](std::vector<std::string> files) {
    if (!result.left_out_in || files.empty()) return files;
    const std::unordered_set<std::string_view> dirs(result.left_out_in->begin(),
                                                    result.left_out_in->end());
    std::erase_if(files, [&dirs](const std::string& file) {
      for (std::string_view dir(file);;) {
        const auto slash = dir.rfind('/');
        if (slash == std::string_view::npos) return true;
        dir = dir.substr(0, slash);
        if (dirs.count(dir) != 0) return false;
      }
    });
    return files;
  };
  if (workspace.discovered_on_demand && result.not_entered.empty()) {
    return maybe_unseen(workspace.require_files_not_found);
  }
  const config::DiscoveryOnDemand rules(workspace.config);
  std::vector<std::string_view> paths;
  paths.reserve(result.changes.size());
  for (const auto& change : result.changes) paths.push_back(change.path);
  std::vector<std::string> files = maybe_unseen(rules.files_along(paths));
  for (auto& file : require_files_of_others(workspace, rules, result.not_entered)) {
    files.push_back(std::move(file));
  }
  std::vector<std::string> unsure;
  for (auto& found : config::discovered_directories(workspace.config, files, true)) {
    if (workspace.find_service(found.name) == graph::DependencyGraph::npos) {
      unsure.push_back(std::move(found.file));
    }
  }
  std::sort(unsure.begin(), unsure.end());
  const auto at_head = workspace.repository->existing_files(result.revisions.head, unsure);
  std::erase_if(unsure, [&](const std::string& file) {
    return std::binary_search(at_head.begin(), at_head.end(), file);
  });
  return unsure;
}

// The `require` files the range deleted: those among the changes, and where
// the walk left paths out, those it may have left out that base holds.
std::vector<std::string> deleted_require_files(const Computation& result) {
  const Workspace& workspace = result.workspace;
  std::vector<std::string> deleted;
  for (const ChangedPath* change : cache::discovery_candidates(
           result.changes, config::discovery_file_names(workspace.config))) {
    if (change->kind == ChangeKind::deleted) deleted.push_back(change->path);
  }
  if (result.changes_left_out) {
    const auto at_base = workspace.repository->existing_files(result.revisions.base,
                                                              require_files_not_at_head(result));
    deleted.insert(deleted.end(), at_base.begin(), at_base.end());
  }
  std::sort(deleted.begin(), deleted.end());
  deleted.erase(std::unique(deleted.begin(), deleted.end()), deleted.end());
  return deleted;
}

// Services that discovery found at base and does not find at head because
// their `require` file was deleted (`deleted`, sorted): a deleted directory
// lists every file it held, so discovery over the deleted files finds them
// without reading the base tree. Those whose directory is gone go to
// result.gone when selected at base (`global`: a change to a global file
// selects every service, these too); those whose directory stays, to
// result.without_require. `changes` is sorted by path, as every change
// source leaves it.
void discovered_services_gone(Computation& result, const std::vector<std::string>& deleted,
                              bool global) {
  const Workspace& workspace = result.workspace;
  const auto& changes = result.changes;
  auto& gone = result.gone;
  const auto listed_in = [](const std::vector<config::DiscoveredDirectory>& list,
                            const std::string& name) {
    return std::any_of(list.begin(), list.end(),
                       [&](const auto& other) { return other.name == name; });
  };
  for (auto& found : config::discovered_directories(workspace.config, deleted, true)) {
    if (!config::is_codebuild_project_name(found.name) ||
        workspace.find_service(found.name) != graph::DependencyGraph::npos) {
      continue;
    }
    if (workspace.repository->is_directory(result.revisions.head, found.directory)) {
      if (!listed_in(result.without_require, found.name)) {
        result.without_require.push_back(std::move(found));
      }
      continue;
    }
    // Selected at base: a change below it that is not ignored. `changes` is
    // sorted by path, so those below it are one run (a scan of every change
    // for every gone directory: 2M instructions after 1,000 commits).
    const std::string prefix = found.directory + "/";
    bool selected = global;
    auto below = std::lower_bound(
        changes.begin(), changes.end(), prefix,
        [](const ChangedPath& change, const std::string& path) { return change.path < path; });
    for (; !selected && below != changes.end() && below->path.starts_with(prefix); ++below) {
      selected = workspace.classifier->classify(below->path, below->is_dir).ignored_by == nullptr;
    }
    if (selected && !listed_in(gone, found.name)) gone.push_back(std::move(found));
  }
  const auto by_name = [](const auto& a, const auto& b) { return a.name < b.name; };
  std::sort(gone.begin(), gone.end(), by_name);
  std::sort(result.without_require.begin(), result.without_require.end(), by_name);
}

// The change source of --files-from: the list comes from elsewhere; git
// only supplies the head, if any.
void changes_from_files(Computation& result, const ChangedOptions& options, const std::string& list,
                        const HeadRevision& head) {
  const repo::Repository* repository = result.workspace.repository_or_null();
  if (repository) {
    // Services are discovered at the head, so it must resolve (SPEC §3: a
    // misspelt --head is an error naming it, not a head left out); only an
    // empty repository's default HEAD names no commit.
    if (auto id = repository->try_resolve_commit(head.revision)) {
      result.revisions.head = *id;
    } else if (head.source != "HEAD") {
      result.revisions.head = repository->resolve_commit(head.revision, head_variable(head));
    }
  } else {
    result.revisions.head = head_without_repository(head);
  }
  result.revisions.head_source = head.source;
  result.revisions.rule = "files-from";
  result.revisions.rule_detail = "--files-from " + *options.files_from;
  result.changes = parse_files_from(list, options.nul_separated, result.workspace.root,
                                    *options.files_from == "-" ? "<stdin>" : *options.files_from);
  result.base_known = true;
}

// The change source of --all: no changes, every service.
SelectAll select_everything(Computation& result, const HeadRevision& head) {
  const repo::Repository* repository = result.workspace.repository_or_null();
  result.revisions.head = repository
                              ? repository->resolve_commit(head.revision, head_variable(head))
                              : head_without_repository(head);
  result.revisions.head_source = head.source;
  result.revisions.rule = "all";
  result.revisions.rule_detail = "--all";
  return {true, plan::ReasonKind::all, "--all: every service selected"};
}

// The change source of SPEC §3: head and base from flags, environment and
// config. The diff itself waits for the services (load_services), unless
// discovery runs on demand. An unknown base selects everything, or fails, as
// `policy` says.
SelectAll choose_base(Computation& result, const RevisionInputs& inputs,
                      config::OnUnknownBase policy, const Log& log) {
  result.revisions = choose_revisions(result.workspace.repository_or_null(), inputs);
  for (const auto& note : result.revisions.notes) log.info(note);
  for (const auto& warning : result.revisions.warnings) log.warn(warning);
  if (result.revisions.unknown_reason.empty()) {
    result.base_known = true;
    return {};
  }
  if (policy == config::OnUnknownBase::fail) {
    throw Error(ExitCode::unknown_base,
                "unknown base: " + result.revisions.unknown_reason + " (--on-unknown-base fail)");
  }
  SelectAll all{true, plan::ReasonKind::unknown_base,
                "unknown base: " + result.revisions.unknown_reason};
  log.warn(all.detail + "; selecting every service (--on-unknown-base all)");
  return all;
}

// A file GitHub Actions names for a step to append to; empty elsewhere.
std::string github_file(const char* variable) {
  const char* value = std::getenv(variable);
  return value == nullptr ? "" : value;
}

// --format items and the step summary print reasons; the other outputs do not.
bool prints_reasons(const ChangedOptions& options, const config::Config& config) {
  return choose_format(options, config) == output::Format::items ||
         !github_file("GITHUB_STEP_SUMMARY").empty();
}

// What prints reasons, and -v every path, needs the whole walk. So does
// zero-config discovery, whose `require` files may lie anywhere.
bool may_read_global_first(const ChangedOptions& options, const config::Config& config,
                           const Log& log) {
  return !log.shows_debug() && !options.worktree && !prints_reasons(options, config) &&
         !config::uses_default_discovery(config);
}

// The diff where a global file lies first (GlobalAreas): when one changed,
// every service is selected, and the rest of the diff is read only for the
// services it removes (RequireFilesOnly), not below every service. False,
// having read a few trees, when no global file changed; at once when a
// global pattern may match anywhere (GlobalAreas::cheap).
bool diff_global_first(Computation& result, const Log& log, SeenRequireFiles* seen) {
  const auto& r = result.revisions;
  const repo::Repository* repository = result.workspace.repository_or_null();
  if (repository == nullptr) return false;
  GlobalAreas areas(result.workspace.config);
  if (!areas.cheap()) return false;
  std::vector<ChangedPath> global = repository->changes(r.base, r.head, &areas, nullptr, seen);
  std::erase_if(global,
                [&](const ChangedPath& change) { return !areas.selects_everything(change); });
  if (global.empty()) return false;
  RequireFilesOnly require_files(result.workspace.config);
  result.changes = repository->changes(r.base, r.head, &require_files, nullptr, seen);
  result.changes.insert(result.changes.end(), global.begin(), global.end());
  sort_unique_by_path(result.changes);
  result.changes_left_out = true;
  result.not_entered = require_files.not_entered();
  log.info(text_path(global.front().path) +
           " is global: every service is selected; the rest of the diff was read only for "
           "services removed or left without their require file");
  return true;
}

// Whether discovery on demand will read the head tree, not a list of every
// discovery file: a result cache file there (or SVCDIFF_CACHE_DIR) gives one,
// and then what the walk saw of the `require` files would go unread.
bool discovery_reads_trees(const Workspace& workspace, bool worktree) {
  if (worktree || !workspace.cache_allowed || cache::disabled_by_environment()) return true;
  if (!cache::directory_from_environment().empty()) return false;
  return !workspace.cache_file || workspace.cache_file->kind != cache::CacheFile::Kind::regular;
}

void diff_revisions(Computation& result, bool worktree, repo::WalkLimit* limit,
                    SeenRequireFiles* seen, const Log& log) {
  const auto& r = result.revisions;
  if (r.base == r.head) {
    log.info("base equals head (" + short_id(r.head) +
             "): " + (worktree ? "no committed changes" : "nothing changed"));
  } else {
    result.changes =
        result.workspace.repository->changes(r.base, r.head, limit, &result.changes_left_out, seen);
  }
}

// Where `changed` writes: -o, else $GITHUB_OUTPUT for the github format in
// GitHub Actions, else defaults.output, else ABC.json; "-" is stdout.
std::string output_target(const ChangedOptions& options, const config::Config& config) {
  if (options.output) return *options.output;
  const auto format =
      output::parse_format(options.format.value_or(config.defaults.format.value_or("services")));
  if (format == output::Format::github) {
    if (std::string file = github_file("GITHUB_OUTPUT"); !file.empty()) return file;
  }
  return config.defaults.output.value_or("ABC.json");
}

void require_work_tree(const Place& place) {
  const std::optional<repo::Repository>& repository = place.repository;
  if (!repository) {
    throw usage_error(
        "--worktree needs a repository with a work tree, and there is no git "
        "repository at or above " +
        text_path(place.root) + "; drop --worktree, or run inside a clone");
  }
  if (repository->is_bare()) {
    throw usage_error("--worktree needs a repository with a work tree, and " +
                      text_path(repository->git_dir()) +
                      " is bare; drop --worktree, or run in a clone with a work tree");
  }
}

void add_worktree_changes(Computation& result, const ChangedOptions& options) {
  const repo::Repository* repository = result.workspace.repository_or_null();
  if (result.revisions.head.empty()) result.revisions.head = repository->resolve_commit("HEAD");
  auto local = repository->worktree_changes(result.revisions.head);
  // The artifact the previous run wrote is never a change.
  const std::string target = output_target(options, result.workspace.config);
  if (target != "-") {
    if (auto artifact = repository_relative(std::filesystem::absolute(target).string(),
                                            result.workspace.root)) {
      local.erase(
          std::remove_if(local.begin(), local.end(),
                         [&](const ChangedPath& change) { return change.path == *artifact; }),
          local.end());
    }
  }
  result.changes.insert(result.changes.end(), local.begin(), local.end());
  sort_unique_by_path(result.changes);
}

// A selected service whose directory existed at base and is gone at head
// cannot be built: report it as removed. Gone means nothing is left there: a
// directory that became a file or a submodule still matches its patterns (a
// submodule counts as a directory), and a deleted submodule is gone too.
void mark_removed_services(Computation& result) {
  const Workspace& workspace = result.workspace;
  const repo::Repository* repository = workspace.repository_or_null();
  const auto& r = result.revisions;
  if (!repository || r.base.empty() || r.base == r.head) return;
  // Head first: discovery has just read its trees, while each base tree is
  // read only for this (2,000 selected services: 15M instructions). Every
  // head lookup before any base one: the repository keeps one commit's trees,
  // and alternating read a shared parent again per service (4,000 removed
  // services: 2,550M instructions, 4,000 entries parsed twice each time).
  using Kind = repo::Repository::PathKind;
  // A service discovery found at head has its directory there (pds HEAD~100:
  // 351 lookups, 0.7M instructions): only the others are looked up.
  const bool discovered_at_head = workspace.discovered_at == r.head;
  std::vector<bool> none_at_head(workspace.services.size());
  for (std::size_t index : result.selection.listed) {
    const config::Service& service = workspace.services[index];
    if (service.directory.empty() || (service.discovered && discovered_at_head)) continue;
    none_at_head[index] = repository->path_kind(r.head, service.directory) == Kind::none;
  }
  plan::mark_removed(result.selection, *workspace.graph, [&](std::size_t index) {
    return none_at_head[index] &&
           repository->path_kind(r.base, workspace.services[index].directory) != Kind::none;
  });
  const auto& paths = result.selection.paths;
  const bool global = std::any_of(paths.begin(), paths.end(), [](const plan::PathOutcome& path) {
    return path.ignored_by == nullptr && path.global_by != nullptr;
  });
  discovered_services_gone(result, deleted_require_files(result), global);
}

// The `require` file the range deleted that made a directory that is still
// there the service `name` at base, when there is one; empty otherwise.
std::string deleted_require(const Computation& result, const std::string& name) {
  for (const auto& found : result.without_require) {
    if (found.name == name) return found.file;
  }
  return {};
}

// Entries whose discovered directory is gone: deleted since base (then the
// service is `removed`), left without its `require` or never there (a config
// error). Without a base to tell, a warning.
void judge_stale_entries(const Computation& result, const Log& log) {
  const config::Config& config = result.workspace.config;
  for (const auto& entry : result.workspace.stale) {
    auto gone = std::find_if(result.gone.begin(), result.gone.end(),
                             [&](const auto& directory) { return directory.name == entry.name; });
    if (gone != result.gone.end()) {
      // The deleting commit usually edits svcdiff.yml too: point at the entry left behind.
      log.warn("service `" + entry.name + "` (" + config.file + ":" +
               std::to_string(entry.pos.line) + "): its directory " + text_path(gone->directory) +
               " is gone at head; listed as removed. Remove its entry from " + config.file);
    } else if (!result.revisions.base.empty()) {
      throw config::stale_entry_error(config, entry, deleted_require(result, entry.name));
    } else {
      log.warn("service `" + entry.name +
               "`: discovery finds no directory for it at head, and without a base svcdiff "
               "cannot tell whether it was deleted; skipped");
    }
  }
}

// Discovered services whose `require` file the range deleted while their
// directory stays: nothing builds them any more, which may be an accident
// (an explicit entry for one is a config error, judge_stale_entries).
void warn_without_require(const Computation& result, const Log& log) {
  for (const auto& found : result.without_require) {
    const std::string file = text_path(found.file);
    log.warn("service `" + found.name + "`: " + file +
             " was deleted since the base and its directory " + text_path(found.directory) +
             " is still there, so discovery no longer finds the service and nothing builds it; "
             "restore " +
             file + " to keep it");
  }
}

// A computation lives until the process ends, which follows the command at
// once: a large monorepo's services, patterns and strings are left for the
// kernel to reclaim instead of being freed one by one (a tenth of a warm
// `explain` over 2,000 services). Held from a static, so a leak checker
// counts it as reachable, not lost.
Computation& new_computation() {
  static auto& computations =
      *std::make_unique<std::vector<std::unique_ptr<Computation>>>().release();
  return *computations.emplace_back(std::make_unique<Computation>());
}

// `log_revisions` false: the caller chose no rule (graph without a base), so
// none is logged. `on_demand`: the caller needs only the selected services
// and a few reasons each (`changed`), so discovery may look along the changes
// instead of everywhere, and the walk may stop early (ChangedWalkLimit)
// unless -v lists every path or the work tree's changes join in.
Computation& compute(const GlobalOptions& global, const ChangedOptions& options, const Log& log,
                     bool log_revisions = true, bool on_demand = false) {
  // Read before any git work, so an unreadable list fails first.
  const std::string list =
      options.files_from ? read_list(*options.files_from, "--files-from") : std::string();
  RevisionInputs inputs{options.base, options.head, options.merge_base, std::nullopt,
                        revision_environment()};
  Computation& result = new_computation();
  Place place = locate(global);
  // A usage error, so before the config is read and anything is resolved or
  // logged (a broken svcdiff.yml, or an unknown base's warning, came first).
  if (options.worktree) require_work_tree(place);
  result.workspace = open_workspace(global, std::move(place), head_revision(inputs).revision, log);
  inputs.config_base = result.workspace.config.defaults.base;
  check_s3_split_format(options, result.workspace.config);
  const config::OnUnknownBase policy = unknown_base_policy(options, result.workspace.config);

  SelectAll all;
  if (options.files_from) {
    changes_from_files(result, options, list, head_revision(inputs));
  } else if (options.all) {
    all = select_everything(result, head_revision(inputs));
  } else {
    all = choose_base(result, inputs, policy, log);
  }
  // Discovery on demand needs the changes first; otherwise the services come
  // first, so that a config error is the first thing said.
  // With `infer` too, load_services runs on demand when the result cache
  // knows every inferred edge, and in full otherwise; not with --worktree
  // (the work tree's manifests), nor when base equals head (nothing to gain,
  // and a broken manifest stays the first thing said).
  const config::DiscoveryOnDemand rules(result.workspace.config);
  // Only items' fingerprints read the dependencies of what is selected.
  result.workspace.reads_dependencies =
      choose_format(options, result.workspace.config) == output::Format::items;
  const bool nothing_to_diff =
      result.base_known && !options.files_from && result.revisions.base == result.revisions.head;
  const bool lazy = on_demand && !all.select &&
                    (rules.possible() ||
                     (rules.possible_with_known_edges() && !options.worktree && !nothing_to_diff));
  if (!lazy) load_services(result.workspace, result.revisions.head, log, options.worktree);
  // Discovery on demand then asks whether the directories along the changes
  // hold their `require`: the walk reads most of them anyway.
  std::optional<SeenRequireFiles> seen;
  if (lazy && discovery_reads_trees(result.workspace, options.worktree)) {
    seen.emplace(result.workspace.config);
  }
  if (result.base_known && !options.files_from) {
    const bool global_first = on_demand && !all.select && !nothing_to_diff &&
                              may_read_global_first(options, result.workspace.config, log) &&
                              diff_global_first(result, log, seen ? &*seen : nullptr);
    if (!global_first) {
      std::optional<ChangedWalkLimit> limit;
      if (on_demand && !log.shows_debug() && !options.worktree)
        limit.emplace(result.workspace.config,
                      prints_reasons(options, result.workspace.config) ? output::kItemReasons : 1);
      diff_revisions(result, options.worktree, limit ? &*limit : nullptr, seen ? &*seen : nullptr,
                     log);
      if (limit) result.left_out_in = limit->take_left_out_in();
    }
  }
  if (options.worktree) {
    // Under --all every service is selected whatever changed: the work
    // tree's changes would show only as reasons (items, the step summary)
    // and in -v's list, so `changed` reads them only for those.
    const bool answer_needs_them = !on_demand || !options.all || log.shows_debug() ||
                                   prints_reasons(options, result.workspace.config);
    if (answer_needs_them) add_worktree_changes(result, options);
  }
  if (lazy) {
    load_services(result.workspace, result.revisions.head, log, options.worktree, &result.changes,
                  seen ? &*seen : nullptr);
  }

  const Workspace& workspace = result.workspace;
  result.selection =
      plan::select_services({workspace.services, *workspace.classifier, *workspace.graph,
                             result.changes, all.select, all.kind, all.detail});
  mark_removed_services(result);
  judge_stale_entries(result, log);
  warn_without_require(result, log);

  if (!log_revisions) return result;
  // --files-from and --all use no base; "unknown" is for a base that was needed.
  const auto& r = result.revisions;
  std::string base_text = !r.base.empty()            ? short_id(r.base)
                          : r.unknown_reason.empty() ? "none"
                                                     : "unknown";
  log.info("head " + short_id(r.head) + " (" + r.head_source + "), base " + base_text + " (rule " +
           r.rule + (r.rule_detail.empty() ? "" : ": " + r.rule_detail) + ")");
  return result;
}

// The names of the summary: at most kSummaryNames, then "and N more".
constexpr std::size_t kSummaryNames = 20;

// "12 changed paths; 2 of 40 services selected: a, b (1 removed)": libraries
// are not services here, they are never built. Discovery on demand does not
// know how many services there are (unless the result cache kept it, with
// `infer`), so the "of 40" goes; a walk that stopped
// early does not know how many paths changed: "more than 12".
std::string summary_line(const Computation& result, const output::Artifact& artifact) {
  const std::optional<std::size_t> buildable = result.workspace.buildable_count();
  std::string names;
  for (std::size_t i = 0; i < artifact.services.size() && i < kSummaryNames; ++i) {
    names += (names.empty() ? "" : ", ") + artifact.services[i];
  }
  if (artifact.services.size() > kSummaryNames) {
    names += " and " + std::to_string(artifact.services.size() - kSummaryNames) + " more";
  }
  return (result.changes_left_out ? "more than " : "") + std::to_string(result.changes.size()) +
         " changed paths; " + std::to_string(artifact.services.size()) +
         (buildable ? " of " + std::to_string(*buildable) : "") + " services selected" +
         (names.empty() ? "" : ": " + names) +
         (artifact.removed.empty() ? ""
                                   : " (" + std::to_string(artifact.removed.size()) + " removed)");
}

// -v: every changed path, and why each selected service was selected.
void log_selection(const Computation& result, const Log& log) {
  // Escaping every path of a long range costs more than the selection did.
  if (!log.shows_debug()) return;
  for (const auto& change : result.changes) log.debug("changed: " + text_path(change.path));
  const auto& services = result.workspace.services;
  for (std::size_t index : result.selection.listed) {
    const auto& reasons = result.selection.reasons[index];
    if (reasons.empty()) continue;
    const auto& reason = reasons.front();
    std::string why;
    switch (reason.kind) {
      case plan::ReasonKind::file:
        why = text_path(reason.path).append(" matches `").append(reason.pattern).append("`");
        break;
      case plan::ReasonKind::global:
        why = text_path(reason.path).append(" matches global `").append(reason.pattern).append("`");
        break;
      case plan::ReasonKind::dependency:
        why = std::string("depends on ").append(reason.via);
        break;
      case plan::ReasonKind::all:
      case plan::ReasonKind::unknown_base:
        why = reason.detail;
        break;
    }
    log.debug("selected " + services[index].name + ": " + why);
  }
}

// Directories made for the wave files: removed again (innermost first, each
// if still empty) unless keep() is called, so a failed run leaves none.
class CreatedDirectories {
 public:
  CreatedDirectories() = default;
  CreatedDirectories(const CreatedDirectories&) = delete;
  CreatedDirectories& operator=(const CreatedDirectories&) = delete;
  ~CreatedDirectories() {
    std::error_code ignored;
    for (auto it = made_.rbegin(); it != made_.rend(); ++it) std::filesystem::remove(*it, ignored);
  }

  // As std::filesystem::create_directories, noting each directory it makes.
  void create(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> missing;
    std::error_code error;
    for (auto at = dir; !at.empty() && !std::filesystem::exists(at, error); at = at.parent_path()) {
      missing.push_back(at);
      if (at == at.parent_path()) break;
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
      if (!std::filesystem::create_directory(*it, error) && error) {
        throw runtime_error("cannot create " + it->string() + ": " + error.message());
      }
      made_.push_back(*it);
    }
  }
  void keep() { made_.clear(); }

 private:
  std::vector<std::filesystem::path> made_;
};

// --s3-split's wave files, staged beside their targets under DIR/<run>/ (the
// head, then CODEBUILD_BUILD_ID when set, so keys are unique per run) until
// the artifact naming their keys is written: a run that fails before then
// leaves none of them. Waves go before directories: destroyed first.
struct S3SplitFiles {
  CreatedDirectories directories;
  std::vector<output::StagedFile> waves;
  std::string run;
};

// Stages the wave files in `files`; returns the artifact that names their
// keys under --s3-uri (check_s3_split has checked both options).
std::string stage_s3_split(const ChangedOptions& options, const output::Artifact& artifact,
                           S3SplitFiles& files) {
  files.run = artifact.head;
  const char* build_id = std::getenv("CODEBUILD_BUILD_ID");
  if (build_id != nullptr && *build_id != '\0') files.run += "/" + std::string(build_id);
  const output::S3Split split =
      output::render_s3_split(artifact, output::parse_s3_uri(*options.s3_uri), files.run);
  const std::filesystem::path dir = *options.s3_split;
  for (const auto& [relative, content] : split.files) {
    const std::filesystem::path file = dir / relative;
    files.directories.create(file.parent_path());
    files.waves.emplace_back(file.string(), content);
  }
  return split.artifact;
}

// The wave files into place, once the artifact that names them is written.
void commit_s3_split(S3SplitFiles& files, const ChangedOptions& options, const Log& log) {
  for (auto& wave : files.waves) wave.commit();
  files.directories.keep();
  const std::string dir = *options.s3_split;
  log.info("wrote " + std::to_string(files.waves.size()) + " wave file" +
           (files.waves.size() == 1 ? "" : "s") + " under " + dir + "/" + files.run + "; copy " +
           dir + " to " + *options.s3_uri);
}

}  // namespace

int run_changed(const GlobalOptions& global, const ChangedOptions& options, const Log& log) {
  check_options(options);
  auto& result = compute(global, options, log, /*log_revisions=*/true, /*on_demand=*/true);
  const auto& workspace = result.workspace;
  auto format = choose_format(options, workspace.config);
  const std::string target = output_target(options, workspace.config);

  output::Artifact artifact = output::make_artifact(workspace.services, result.selection);
  artifact.base = result.revisions.base;
  artifact.head = result.revisions.head;
  artifact.base_rule = result.revisions.rule;
  for (const auto& gone : result.gone) artifact.removed.push_back(gone.name);
  std::sort(artifact.removed.begin(), artifact.removed.end());
  if (format == output::Format::items && artifact.head.empty()) {
    // Every service build would get SourceVersion null (SPEC §6 Identity).
    throw usage_error(
        std::string("--format items needs the head commit for the builds' SourceVersion, and ") +
        (workspace.repository ? "the repository has no commit yet" : "there is no .git here") +
        ": set --head, SVCDIFF_HEAD or CODEBUILD_RESOLVED_SOURCE_VERSION");
  }
  if (format == output::Format::items) {
    // Every listed item and the dependencies they name; each computed once.
    auto source = fingerprint_source(workspace, result.revisions.head);
    fingerprint::Fingerprinter fingerprinter(*source, workspace.services, *workspace.classifier,
                                             *workspace.graph);
    for (auto& wave : artifact.waves) {
      for (auto& item : wave) {
        item.fingerprint = fingerprinter.fingerprint(item.service);
      }
    }
  }
  std::vector<std::string> notes;
  std::string text;
  S3SplitFiles s3_split;
  if (options.s3_split) {
    text = stage_s3_split(options, artifact, s3_split);
  } else {
    text = output::render(artifact, format, notes);
  }
  for (const auto& note : notes) log.warn(note);
  // GitHub's protocol is append: the one exception to the atomic write.
  if (format == output::Format::github) {
    output::append_output(target, text);
  } else {
    output::write_output(target, text);
  }
  if (options.s3_split) commit_s3_split(s3_split, options, log);
  if (const std::string summary = github_file("GITHUB_STEP_SUMMARY"); !summary.empty()) {
    output::append_output(summary, output::render_step_summary(artifact));
  }

  log_selection(result, log);
  log.info(summary_line(result, artifact) + (target == "-" ? "" : "; wrote " + target));
  return 0;
}

int run_explain(const GlobalOptions& global, const ChangedOptions& options,
                const std::vector<std::string>& names, const Log& log) {
  check_options(options);
  auto& result = compute(global, options, log);
  const auto& workspace = result.workspace;
  const auto& selection = result.selection;
  std::vector<std::size_t> wanted;
  std::vector<const config::DiscoveredDirectory*> wanted_gone;
  auto find_gone = [&](const std::string& name) -> const config::DiscoveredDirectory* {
    for (const auto& gone : result.gone) {
      if (gone.name == name) return &gone;
    }
    return nullptr;
  };
  for (const auto& name : names) {
    std::size_t index = workspace.find_service(name);
    if (index == graph::DependencyGraph::npos && find_gone(name) != nullptr) {
      wanted_gone.push_back(find_gone(name));
      continue;
    }
    wanted.push_back(workspace.require_service(name));
  }
  if (names.empty()) {
    for (std::size_t i = 0; i < workspace.services.size(); ++i) wanted.push_back(i);
    for (const auto& gone : result.gone) wanted_gone.push_back(&gone);
  }

  std::vector<config::DiscoveredDirectory> gone;
  gone.reserve(wanted_gone.size());
  for (const auto* directory : wanted_gone) gone.push_back(*directory);
  std::cout << output::explain_text({workspace.services, selection, *workspace.graph, wanted, gone})
            << std::flush;
  return 0;
}

int run_graph(const GlobalOptions& global, const ChangedOptions& options, const std::string& format,
              const Log& log) {
  auto graph_format = output::parse_graph_format(format);
  if (!graph_format) {
    throw usage_error("unknown graph format `" + format + "`" +
                      did_you_mean(format, output::graph_format_names(), "; use mermaid or dot"));
  }
  check_options(options);  // as given: --all is added below
  // Mark changed services only when a base is given; otherwise just the graph.
  ChangedOptions quiet_options = options;
  bool mark = options.base || options.files_from || !revision_environment().empty();
  if (!mark) quiet_options.all = true;
  auto& result = compute(global, quiet_options, log, /*log_revisions=*/mark);
  const auto& graph = *result.workspace.graph;
  std::vector<output::NodeMark> marks(graph.size(), output::NodeMark::none);
  for (std::size_t i = 0; i < graph.size(); ++i) {
    if (!mark || !result.base_known || !result.selection.selected[i]) continue;
    const auto& reasons = result.selection.reasons[i];
    const bool dependent = !reasons.empty() && reasons.front().kind == plan::ReasonKind::dependency;
    marks[i] = dependent ? output::NodeMark::dependent : output::NodeMark::changed;
  }
  std::cout << output::graph_text(graph, marks, *graph_format) << std::flush;
  return 0;
}

}  // namespace svcdiff::cli
