// `changed`, `explain` and `graph`: they share the computation of SPEC §3–§5.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/revisions.hpp"
#include "cli/workspace.hpp"
#include "config/discovery.hpp"
#include "config/names.hpp"
#include "core/error.hpp"
#include "core/suggest.hpp"
#include "output/artifact.hpp"
#include "output/atomic_write.hpp"
#include "output/formats.hpp"
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

Computation compute(const GlobalOptions& global, const ChangedOptions& options, const Log& log) {
  RevisionInputs inputs{options.base, options.head, options.merge_base, std::nullopt,
                        revision_environment()};
  Computation result;
  result.workspace = open_workspace(global, head_revision(inputs).revision, log);
  Workspace& workspace = result.workspace;
  inputs.config_base = workspace.config.defaults.base;
  const repo::Repository* repository = workspace.repository ? &*workspace.repository : nullptr;
  // Read in every mode, so a bad value is a usage error even when unused.
  const config::OnUnknownBase policy = unknown_base_policy(options, workspace.config);

  bool select_all = false;
  plan::ReasonKind all_kind = plan::ReasonKind::all;
  std::string all_detail;
  HeadRevision head = head_revision(inputs);
  if (options.files_from || options.all) result.revisions.head_source = head.source;
  if (options.files_from) {
    // The change list comes from elsewhere; git only supplies the head, if any.
    if (repository) {
      if (auto id = repository->try_resolve_commit(head.revision)) result.revisions.head = *id;
    } else {
      result.revisions.head = head_without_repository(head);
    }
    result.revisions.rule = "files-from";
    result.revisions.rule_detail = "--files-from " + *options.files_from;
    result.changes = read_files_from(*options.files_from, options.nul_separated);
    result.base_known = true;
  } else if (options.all) {
    result.revisions.head =
        repository ? repository->resolve_commit(head.revision) : head_without_repository(head);
    result.revisions.rule = "all";
    result.revisions.rule_detail = "--all";
    select_all = true;
    all_detail = "--all: every service selected";
  } else {
    result.revisions = choose_revisions(repository, inputs);
    for (const auto& note : result.revisions.notes) log.info(note);
    for (const auto& warning : result.revisions.warnings) log.warn(warning);
    if (!result.revisions.unknown_reason.empty()) {
      if (policy == config::OnUnknownBase::fail) {
        throw Error(ExitCode::unknown_base, "unknown base: " + result.revisions.unknown_reason +
                                                " (--on-unknown-base fail)");
      }
      select_all = true;
      all_kind = plan::ReasonKind::unknown_base;
      all_detail = "unknown base: " + result.revisions.unknown_reason;
      log.warn(all_detail + "; selecting every service (--on-unknown-base all)");
    } else {
      result.base_known = true;
    }
  }

  load_services(workspace, result.revisions.head, log);

  if (result.base_known && !options.files_from) {
    const auto& r = result.revisions;
    if (r.base == r.head) {
      log.info("base equals head (" + short_id(r.head) +
               "): " + (options.worktree ? "no committed changes" : "nothing changed"));
    } else {
      result.changes = repository->changes(r.base, r.head);
    }
  }
  if (options.worktree) {
    if (!repository || repository->is_bare()) {
      throw usage_error("--worktree needs a repository with a work tree");
    }
    if (result.revisions.head.empty()) result.revisions.head = repository->resolve_commit("HEAD");
    auto local = repository->worktree_changes(result.revisions.head);
    result.changes.insert(result.changes.end(), local.begin(), local.end());
    sort_unique_by_path(result.changes);
  }

  result.selection =
      plan::select_services({workspace.services, *workspace.classifier, *workspace.graph,
                             result.changes, select_all, all_kind, all_detail});
  const auto& r = result.revisions;
  if (repository && !r.base.empty() && r.base != r.head) {
    // A selected service whose directory existed at base and is gone at head
    // cannot be built: report it as removed.
    plan::mark_removed(result.selection, *workspace.graph, [&](std::size_t index) {
      const auto& dir = workspace.services[index].directory;
      return !dir.empty() && repository->is_directory(r.base, dir) &&
             !repository->is_directory(r.head, dir);
    });
    result.gone = discovered_services_gone(workspace, result.changes, r.head);
  }

  // --files-from and --all use no base; "unknown" is for a base that was needed.
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
    std::string message = "unknown format `" + name + "`";
    if (auto near = nearest(name, output::format_names()))
      message += "; did you mean `" + *near + "`?";
    else
      message += "; use services, items, env, github or text";
    throw usage_error(message);
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
      std::string message = "unknown service `" + name + "`";
      if (auto near = nearest(name, workspace.service_names()))
        message += "; did you mean `" + *near + "`?";
      else
        message += "; `svcdiff list` shows every service";
      throw usage_error(message);
    }
    wanted.push_back(index);
  }
  if (names.empty()) {
    for (std::size_t i = 0; i < workspace.services.size(); ++i) wanted.push_back(i);
    for (const auto& gone : result.gone) wanted_gone.push_back(&gone);
  }

  std::ostringstream out;
  for (std::size_t index : wanted) {
    const auto& service = workspace.services[index];
    bool removed = std::find(selection.removed.begin(), selection.removed.end(), index) !=
                   selection.removed.end();
    out << service.name;
    if (!service.build) out << " (library)";
    if (removed) {
      out << ": removed: its directory " << service.directory
          << " is gone at head, nothing to build\n";
    } else if (!selection.selected[index]) {
      out << ": not selected\n";
    } else if (service.build) {
      out << ": selected, wave " << selection.wave[index] << "\n";
    } else {
      out << ": changed; selects the services that depend on it, is never built itself\n";
    }
    for (const auto& reason : selection.reasons[index]) {
      switch (reason.kind) {
        case plan::ReasonKind::file:
          out << "  changed: " << output::json_safe(reason.path) << " matches `" << reason.pattern
              << "`\n";
          break;
        case plan::ReasonKind::global:
          out << "  global: " << output::json_safe(reason.path) << " matches global `"
              << reason.pattern << "`, which selects every service\n";
          break;
        case plan::ReasonKind::dependency: {
          // Follow the chain down to what changed.
          out << "  depends on " << reason.via;
          std::size_t via = workspace.find_service(reason.via);
          while (via != graph::DependencyGraph::npos && !selection.reasons[via].empty() &&
                 selection.reasons[via].front().kind == plan::ReasonKind::dependency) {
            out << ", which depends on " << selection.reasons[via].front().via;
            via = workspace.find_service(selection.reasons[via].front().via);
          }
          out << ", which changed\n";
          break;
        }
        case plan::ReasonKind::all:
        case plan::ReasonKind::unknown_base:
          out << "  " << reason.detail << "\n";
          break;
      }
    }
    if (!selection.selected[index]) {
      const auto& patterns = workspace.classifier->services()[index];
      std::size_t mentioned = 0;
      for (const auto& outcome : selection.paths) {
        if (mentioned == 10) break;
        for (const auto& pattern : patterns.paths) {
          if (!pattern.matches(outcome.path)) continue;
          if (outcome.ignored_by != nullptr) {
            out << "  " << output::json_safe(outcome.path) << " matches `" << pattern.source()
                << "` but is ignored by `" << outcome.ignored_by->source() << "`\n";
          } else {
            for (const auto& exclude : patterns.exclude) {
              if (exclude.matches(outcome.path)) {
                out << "  " << output::json_safe(outcome.path) << " matches `" << pattern.source()
                    << "` but is excluded by `" << exclude.source() << "`\n";
                break;
              }
            }
          }
          ++mentioned;
          break;
        }
      }
      std::string list;
      for (const auto& pattern : service.paths) list += (list.empty() ? "" : ", ") + pattern.text;
      out << "  no changed path selects it (paths: " << list << ")";
      if (!service.depends_on.empty()) {
        out << "; nothing it depends on changed (";
        for (std::size_t i = 0; i < service.depends_on.size(); ++i)
          out << (i ? ", " : "") << service.depends_on[i];
        out << ")";
      }
      out << "\n";
    }
  }
  for (const auto* gone : wanted_gone) {
    out << gone->name << ": removed: its directory " << gone->directory
        << " is gone at head, nothing to build\n";
  }
  std::cout << out.str() << std::flush;
  return 0;
}

int run_graph(const GlobalOptions& global, const ChangedOptions& options, const std::string& format,
              const Log& log) {
  if (format != "mermaid" && format != "dot") {
    throw usage_error("unknown graph format `" + format + "`; use mermaid or dot");
  }
  // Mark changed services only when a base is given; otherwise just the graph.
  ChangedOptions quiet_options = options;
  bool mark = options.base || options.files_from || !revision_environment().empty();
  if (!mark) quiet_options.all = true;
  auto result = compute(global, quiet_options, log);
  const auto& workspace = result.workspace;
  const auto& graph = *workspace.graph;
  auto marked = [&](std::size_t i) {
    return mark && result.base_known && result.selection.selected[i];
  };
  std::ostringstream out;
  // Names are valid CodeBuild project names ([A-Za-z0-9_-]): quoted, they are
  // safe in both languages. Mermaid ids are not quoted, and a name such as
  // `end` or `a--b` breaks its parser, so nodes there are s0, s1, ...
  if (format == "mermaid") {
    auto id = [](std::size_t i) { return "s" + std::to_string(i); };
    out << "graph TD\n";
    for (std::size_t i = 0; i < graph.size(); ++i) {
      const auto& node = graph.node(i);
      out << "  " << id(i) << (node.build ? "[\"" : "[(\"") << node.name
          << (node.build ? "\"]" : "\")]") << "\n";
    }
    for (std::size_t i = 0; i < graph.size(); ++i) {
      for (std::size_t dep : graph.dependencies(i))
        out << "  " << id(i) << " --> " << id(dep) << "\n";
    }
    std::string changed;
    for (std::size_t i = 0; i < graph.size(); ++i) {
      if (marked(i)) changed += (changed.empty() ? "" : ",") + id(i);
    }
    if (!changed.empty()) {
      out << "  classDef changed fill:#f96,stroke:#333\n";
      out << "  class " << changed << " changed\n";
    }
  } else {
    out << "digraph svcdiff {\n  rankdir=LR;\n";
    for (std::size_t i = 0; i < graph.size(); ++i) {
      const auto& node = graph.node(i);
      out << "  \"" << node.name << "\" [shape=" << (node.build ? "box" : "ellipse");
      if (marked(i)) out << ", style=filled, fillcolor=orange";
      out << "];\n";
    }
    for (std::size_t i = 0; i < graph.size(); ++i) {
      for (std::size_t dep : graph.dependencies(i)) {
        out << "  \"" << graph.node(i).name << "\" -> \"" << graph.node(dep).name << "\";\n";
      }
    }
    out << "}\n";
  }
  std::cout << out.str() << std::flush;
  return 0;
}

}  // namespace svcdiff::cli
