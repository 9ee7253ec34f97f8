// `changed`, `explain` and `graph`: they share the computation of SPEC §3–§5.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/commands.hpp"
#include "cli/revisions.hpp"
#include "cli/workspace.hpp"
#include "config/discovery.hpp"
#include "config/names.hpp"
#include "core/error.hpp"
#include "core/suggest.hpp"
#include "output/artifact.hpp"
#include "output/atomic_write.hpp"
#include "output/explain.hpp"
#include "output/formats.hpp"
#include "output/graph_text.hpp"
#include "plan/selection.hpp"

namespace svcdiff::cli {
namespace {

struct Computation {
  Workspace workspace;
  Revisions revisions;
  std::vector<ChangedPath> changes;
  plan::Selection selection;
  bool base_known = false;
  // Discovered at base, gone at head: no longer services, but `removed`.
  std::vector<config::DiscoveredDirectory> gone;
};

// Whether, and why, every service is selected regardless of changes.
struct SelectAll {
  bool select = false;
  plan::ReasonKind kind = plan::ReasonKind::all;
  std::string detail;
};

std::vector<ChangedPath> read_files_from(const std::string& source, bool nul_separated) {
  std::string text;
  if (source == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::ifstream in(source, std::ios::binary);
    if (!in)
      throw runtime_error("cannot read --files-from " + source + ": no such file or not readable");
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  char separator = nul_separated ? '\0' : '\n';
  std::vector<ChangedPath> changes;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(separator, start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    if (!nul_separated && !line.empty() && line.back() == '\r') line.pop_back();
    ChangedPath change = given_path(std::move(line));
    if (!change.path.empty()) changes.push_back(std::move(change));
  }
  sort_unique_by_path(changes);
  return changes;
}

config::OnUnknownBase unknown_base_policy(const ChangedOptions& options,
                                          const config::Config& config) {
  if (options.on_unknown_base) {
    if (*options.on_unknown_base == "all") return config::OnUnknownBase::all;
    if (*options.on_unknown_base == "fail") return config::OnUnknownBase::fail;
    throw usage_error("--on-unknown-base must be `all` or `fail`, not `" +
                      *options.on_unknown_base + "`");
  }
  return config.defaults.on_unknown_base.value_or(config::OnUnknownBase::all);
}

std::string short_id(const std::string& id) { return id.empty() ? "(none)" : id.substr(0, 12); }

// Services that discovery found at base and does not find at head because
// their directory is gone: a deleted directory lists every file it held, so
// discovery over the deleted files finds them without reading the base tree.
std::vector<config::DiscoveredDirectory> discovered_services_gone(
    const Workspace& workspace, const std::vector<ChangedPath>& changes, const std::string& head) {
  const auto names = config::discovery_file_names(workspace.config);
  std::vector<std::string> deleted;
  for (const auto& change : changes) {
    if (change.kind != ChangeKind::deleted) continue;
    const std::string name = change.path.substr(change.path.rfind('/') + 1);
    if (std::find(names.begin(), names.end(), name) != names.end()) deleted.push_back(change.path);
  }
  std::vector<config::DiscoveredDirectory> gone;
  if (deleted.empty()) return gone;
  for (auto& found : config::discovered_directories(workspace.config, deleted)) {
    if (!config::is_codebuild_project_name(found.name) ||
        workspace.find_service(found.name) != graph::DependencyGraph::npos ||
        workspace.repository->is_directory(head, found.directory)) {
      continue;
    }
    // Selected at base: a change below it that is not ignored.
    const std::string prefix = found.directory + "/";
    bool selected = std::any_of(changes.begin(), changes.end(), [&](const ChangedPath& change) {
      return change.path.rfind(prefix, 0) == 0 &&
             workspace.classifier->classify(change.path, change.is_dir).ignored_by == nullptr;
    });
    bool listed = std::any_of(gone.begin(), gone.end(),
                              [&](const auto& other) { return other.name == found.name; });
    if (selected && !listed) gone.push_back(std::move(found));
  }
  std::sort(gone.begin(), gone.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return gone;
}

// The change source of --files-from: the list comes from elsewhere; git
// only supplies the head, if any.
void changes_from_files(Computation& result, const ChangedOptions& options,
                        const HeadRevision& head) {
  const repo::Repository* repository = result.workspace.repository_or_null();
  if (repository) {
    if (auto id = repository->try_resolve_commit(head.revision)) result.revisions.head = *id;
  } else {
    result.revisions.head = head_without_repository(head);
  }
  result.revisions.head_source = head.source;
  result.revisions.rule = "files-from";
  result.revisions.rule_detail = "--files-from " + *options.files_from;
  result.changes = read_files_from(*options.files_from, options.nul_separated);
  result.base_known = true;
}

// The change source of --all: no changes, every service.
SelectAll select_everything(Computation& result, const HeadRevision& head) {
  const repo::Repository* repository = result.workspace.repository_or_null();
  result.revisions.head =
      repository ? repository->resolve_commit(head.revision) : head_without_repository(head);
  result.revisions.head_source = head.source;
  result.revisions.rule = "all";
  result.revisions.rule_detail = "--all";
  return {true, plan::ReasonKind::all, "--all: every service selected"};
}

// The change source of SPEC §3: head and base from flags, environment and
// config. The diff itself waits for the services (load_services). An
// unknown base selects everything, or fails, as `policy` says.
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

void diff_revisions(Computation& result, bool worktree, const Log& log) {
  const auto& r = result.revisions;
  if (r.base == r.head) {
    log.info("base equals head (" + short_id(r.head) +
             "): " + (worktree ? "no committed changes" : "nothing changed"));
  } else {
    result.changes = result.workspace.repository->changes(r.base, r.head);
  }
}

void add_worktree_changes(Computation& result) {
  const repo::Repository* repository = result.workspace.repository_or_null();
  if (!repository || repository->is_bare()) {
    throw usage_error("--worktree needs a repository with a work tree");
  }
  if (result.revisions.head.empty()) result.revisions.head = repository->resolve_commit("HEAD");
  auto local = repository->worktree_changes(result.revisions.head);
  result.changes.insert(result.changes.end(), local.begin(), local.end());
  sort_unique_by_path(result.changes);
}

// A selected service whose directory existed at base and is gone at head
// cannot be built: report it as removed.
void mark_removed_services(Computation& result) {
  const Workspace& workspace = result.workspace;
  const repo::Repository* repository = workspace.repository_or_null();
  const auto& r = result.revisions;
  if (!repository || r.base.empty() || r.base == r.head) return;
  plan::mark_removed(result.selection, *workspace.graph, [&](std::size_t index) {
    const auto& dir = workspace.services[index].directory;
    return !dir.empty() && repository->is_directory(r.base, dir) &&
           !repository->is_directory(r.head, dir);
  });
  result.gone = discovered_services_gone(workspace, result.changes, r.head);
}

Computation compute(const GlobalOptions& global, const ChangedOptions& options, const Log& log) {
  RevisionInputs inputs{options.base, options.head, options.merge_base, std::nullopt,
                        revision_environment()};
  Computation result;
  result.workspace = open_workspace(global, head_revision(inputs).revision, log);
  inputs.config_base = result.workspace.config.defaults.base;
  // Read in every mode, so a bad value is a usage error even when unused.
  const config::OnUnknownBase policy = unknown_base_policy(options, result.workspace.config);

  SelectAll all;
  if (options.files_from) {
    changes_from_files(result, options, head_revision(inputs));
  } else if (options.all) {
    all = select_everything(result, head_revision(inputs));
  } else {
    all = choose_base(result, inputs, policy, log);
  }
  load_services(result.workspace, result.revisions.head, log);
  if (result.base_known && !options.files_from) diff_revisions(result, options.worktree, log);
  if (options.worktree) add_worktree_changes(result);

  const Workspace& workspace = result.workspace;
  result.selection =
      plan::select_services({workspace.services, *workspace.classifier, *workspace.graph,
                             result.changes, all.select, all.kind, all.detail});
  mark_removed_services(result);

  // --files-from and --all use no base; "unknown" is for a base that was needed.
  const auto& r = result.revisions;
  std::string base_text = !r.base.empty()            ? short_id(r.base)
                          : r.unknown_reason.empty() ? "none"
                                                     : "unknown";
  log.info("head " + short_id(r.head) + " (" + r.head_source + "), base " + base_text + " (rule " +
           r.rule + (r.rule_detail.empty() ? "" : ": " + r.rule_detail) + ")");
  return result;
}

output::Format choose_format(const ChangedOptions& options, const config::Config& config) {
  std::string name = options.format.value_or(config.defaults.format.value_or("services"));
  auto format = output::parse_format(name);
  if (!format) {
    std::string names;
    for (const auto& known : output::format_names()) names += (names.empty() ? "" : ", ") + known;
    throw usage_error("unknown format `" + name + "`" +
                      did_you_mean(name, output::format_names(), "; use " + names));
  }
  return *format;
}

}  // namespace

int run_changed(const GlobalOptions& global, const ChangedOptions& options, const Log& log) {
  auto result = compute(global, options, log);
  const auto& workspace = result.workspace;
  auto format = choose_format(options, workspace.config);
  std::string target =
      options.output.value_or(workspace.config.defaults.output.value_or("ABC.json"));

  output::Artifact artifact = output::make_artifact(workspace.services, result.selection);
  artifact.base = result.revisions.base;
  artifact.head = result.revisions.head;
  artifact.base_rule = result.revisions.rule;
  for (const auto& gone : result.gone) artifact.removed.push_back(gone.name);
  std::sort(artifact.removed.begin(), artifact.removed.end());
  std::vector<std::string> notes;
  std::string text = output::render(artifact, format, notes);
  for (const auto& note : notes) log.warn(note);
  output::write_output(target, text);

  std::string names;
  for (const auto& name : artifact.services) names += (names.empty() ? "" : ", ") + name;
  log.info(std::to_string(result.changes.size()) + " changed paths; " +
           std::to_string(artifact.services.size()) + " of " +
           std::to_string(workspace.services.size()) + " services selected" +
           (names.empty() ? "" : ": " + names) +
           (artifact.removed.empty()
                ? ""
                : " (" + std::to_string(artifact.removed.size()) + " removed)") +
           (target == "-" ? "" : "; wrote " + target));
  return 0;
}

int run_explain(const GlobalOptions& global, const ChangedOptions& options,
                const std::vector<std::string>& names, const Log& log) {
  auto result = compute(global, options, log);
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
    if (index == graph::DependencyGraph::npos) {
      throw usage_error(
          "unknown service `" + name + "`" +
          did_you_mean(name, workspace.service_names(), "; `svcdiff list` shows every service"));
    }
    wanted.push_back(index);
  }
  if (names.empty()) {
    for (std::size_t i = 0; i < workspace.services.size(); ++i) wanted.push_back(i);
    for (const auto& gone : result.gone) wanted_gone.push_back(&gone);
  }

  std::vector<config::DiscoveredDirectory> gone;
  gone.reserve(wanted_gone.size());
  for (const auto* directory : wanted_gone) gone.push_back(*directory);
  std::cout << output::explain_text({workspace.services, selection, wanted, gone}) << std::flush;
  return 0;
}

int run_graph(const GlobalOptions& global, const ChangedOptions& options, const std::string& format,
              const Log& log) {
  auto graph_format = output::parse_graph_format(format);
  if (!graph_format) {
    throw usage_error("unknown graph format `" + format + "`" +
                      did_you_mean(format, output::graph_format_names(), "; use mermaid or dot"));
  }
  // Mark changed services only when a base is given; otherwise just the graph.
  ChangedOptions quiet_options = options;
  bool mark = options.base || options.files_from || !revision_environment().empty();
  if (!mark) quiet_options.all = true;
  auto result = compute(global, quiet_options, log);
  const auto& graph = *result.workspace.graph;
  std::vector<bool> marked(graph.size(), false);
  for (std::size_t i = 0; i < graph.size(); ++i) {
    marked[i] = mark && result.base_known && result.selection.selected[i];
  }
  std::cout << output::graph_text(graph, marked, *graph_format) << std::flush;
  return 0;
}

}  // namespace svcdiff::cli
