// Commands for the Step Functions and CodeBuild side: asl and validate.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "asl/state_machine.hpp"
#include "buildspec/validate.hpp"
#include "cli/commands.hpp"
#include "cli/workspace.hpp"
#include "core/error.hpp"
#include "core/path_text.hpp"
#include "match/pattern.hpp"

namespace svcdiff::cli {
namespace fs = std::filesystem;
namespace {

std::string service_where(const Workspace& workspace, const config::Service& service) {
  if (!workspace.config.from_file || service.pos.line == 0)
    return workspace.config.from_file ? workspace.config.file : "(discovered)";
  return workspace.config.file + ":" + std::to_string(service.pos.line);
}

// Why a service's buildspec could not be read, for validate: a link that
// leads nowhere, or a directory, is named as such ("does not exist" sent
// users looking for a file that is there). `head`: the commit it was read
// from (a bare repository's HEAD), where `through_link` says whether the
// lookup went through a link; else it was read from the disk.
std::string missing_buildspec(const Workspace& workspace, const config::Service& service,
                              const std::optional<std::string>& head, bool through_link) {
  const std::string what = service_where(workspace, service) + ": service `" + service.name +
                           "`: buildspec " + text_path(service.buildspec);
  // What to do about a directory: CodeBuild reads a file.
  const std::string name_a_file = "; point `buildspec` at the buildspec file in it (" +
                                  text_path(service.buildspec + "/buildspec.yml") +
                                  ", say), or put the file in its place";
  std::error_code error;
  const fs::path file = fs::path(workspace.root) / service.buildspec;
  if (!head) {
    const fs::file_status status = fs::symlink_status(file, error);
    if (fs::is_symlink(status)) {
      const std::string target = text_path(fs::read_symlink(file, error).string());
      if (fs::is_directory(file, error)) {
        return what + " is a symlink to `" + target +
               "`, which is a directory; point the link at the buildspec file in it";
      }
      return what + " is a symlink to `" + target +
             "`, which leads to no file; fix the link, or put the buildspec there";
    }
    if (fs::is_directory(status)) return what + " is a directory" + name_a_file;
  } else if (workspace.repository->followed_kind(*head, service.buildspec) ==
             repo::Repository::PathKind::directory) {
    return through_link ? what +
                              " is a symlink that leads to a directory at HEAD; point the link "
                              "at the buildspec file in it"
                        : what + " is a directory at HEAD" + name_a_file;
  }
  if (through_link) {
    return what +
           " is a symlink that leads to no file at HEAD; fix the link, or put the "
           "buildspec there";
  }
  return what + " does not exist; fix `buildspec` or add the file";
}

// The submodule at `head` that the directories of `pattern`'s literal prefix
// reach, outermost first; empty when none does.
std::string submodule_reached(const repo::Repository& repository, const std::string& head,
                              const match::Pattern& pattern) {
  const std::string_view prefix = pattern.literal_prefix();
  if (prefix.empty()) return {};  // unanchored, or a wildcard first: no one path
  for (std::size_t end = prefix.find('/');; end = prefix.find('/', end + 1)) {
    std::string dir(prefix.substr(0, end));
    if (repository.path_kind(head, dir) == repo::Repository::PathKind::submodule) return dir;
    if (end == std::string_view::npos) return {};
  }
}

// A pattern reaching only inside a submodule at `head` (`vendor/lib/**`, or
// `vendor/lib/src/`, with the submodule `vendor/lib`) never matches its bump:
// git lists no path inside a submodule, and a bump changes the submodule's
// own path (SPEC §4). Unless another pattern of the list (`key`: `ignore`,
// ...) matches that path, a hint for validate: not a problem, nothing is
// wrong with the config as written.
void hint_at_submodules(const Workspace& workspace, const std::string& head, const std::string& key,
                        const std::vector<config::PatternSpec>& specs, const Log& log) {
  std::vector<match::Pattern> patterns;
  patterns.reserve(specs.size());
  for (const auto& spec : specs) patterns.push_back(match::Pattern::compile(spec.text));
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const std::string dir = submodule_reached(*workspace.repository, head, patterns[i]);
    const auto matches_dir = [&dir](const match::Pattern& pattern) {
      return pattern.matches(dir, /*is_dir=*/true);
    };
    if (dir.empty() || std::any_of(patterns.begin(), patterns.end(), matches_dir)) continue;
    const std::string quoted = "`" + message_text(dir) + "`";
    // At the submodule (`dir/**`, `dir/*`): meant for its bumps. Deeper:
    // meant for some of its files, which no change here names.
    const std::string what =
        dir.size() == patterns[i].literal_prefix().size()
            ? " does not match " + quoted +
                  ", a submodule at HEAD: a bump of it changes that path itself, and git lists "
                  "no path inside it; write " +
                  quoted + " instead, or add it beside the pattern"
            : " lies inside " + quoted +
                  ", a submodule at HEAD, where git lists no path, so it matches nothing; a bump "
                  "of the submodule changes " +
                  quoted + " itself: write " + quoted + " if the pattern is meant for that";
    const config::SourcePos& pos = specs[i].pos;
    log.warn(one_line(workspace.config.file + ":" + std::to_string(pos.line) + ":" +
                      std::to_string(pos.column) + ": `" + key + "`: `" +
                      message_text(specs[i].text) + "`" + what));
  }
}

// hint_at_submodules for every list of patterns the config writes, at HEAD.
void hint_at_submodules(const Workspace& workspace, const Log& log) {
  const config::Config& config = workspace.config;
  if (!workspace.repository || !config.from_file) return;
  const std::optional<std::string> head = workspace.repository->try_resolve_commit("HEAD");
  if (!head) return;
  hint_at_submodules(workspace, *head, "ignore", config.ignore, log);
  hint_at_submodules(workspace, *head, "global", config.global, log);
  for (const auto& service : config.services) {
    const std::string key = "services." + service.name;
    hint_at_submodules(workspace, *head, key + ".paths", service.paths, log);
    hint_at_submodules(workspace, *head, key + ".exclude", service.exclude, log);
  }
}

}  // namespace

int run_asl(const GlobalOptions& global, const AslCommandOptions& command, const Log& log) {
  auto style = asl::parse_style(command.style);
  if (!style)
    throw usage_error("--style must be `dynamic` or `choice`, not `" + command.style + "`");
  // A state name of the other style would be silently unused.
  const std::vector<std::string> dynamic_only{"--waves-state", "--wave-state"};
  const std::vector<std::string> choice_only{"--services-state", "--choice-state", "--skip-state"};
  for (const auto& name : *style == asl::Style::choice ? dynamic_only : choice_only) {
    if (std::find(command.given.begin(), command.given.end(), name) != command.given.end()) {
      throw usage_error("`" + name + "` and `--style " + command.style +
                        "` cannot be used together: the " + command.style +
                        " style has no such state");
    }
  }
  auto map = asl::parse_map_mode(command.map);
  if (!map) throw usage_error("--map must be `inline` or `distributed`, not `" + command.map + "`");
  asl::AslOptions options = command.definition;
  options.style = *style;
  options.map = *map;
  if (!command.ledger.empty()) options.ledger_table = asl::parse_ledger(command.ledger);
  std::vector<asl::AslService> services;
  if (options.style == asl::Style::choice) {
    // The choice style names every buildable project; the dynamic one reads
    // projects from the artifact and needs no config at all.
    Workspace workspace = open_workspace_at_head(global, log);
    for (const auto& service : workspace.services) {
      if (service.build) services.push_back({service.name, service.project});
    }
  }
  std::cout << asl::print_definition(asl::state_machine(services, options), command.compact)
            << std::flush;
  return 0;
}

int run_validate(const GlobalOptions& global, const Log& log) {
  // Config errors (syntax, keys, names, cycles) throw with their position.
  Workspace workspace = open_workspace_at_head(global, log, /*work_tree=*/true);
  hint_at_submodules(workspace, log);
  std::ostringstream problems;
  std::size_t count = 0;
  std::size_t checked = 0;
  for (const auto& entry : workspace.stale) {
    problems << one_line(service_where(workspace, entry) + ": service `" + entry.name +
                         "` relies on discovery, which finds no directory for it (deleted?); "
                         "remove the entry, or give it `paths`")
             << "\n";
    ++count;
  }
  // A bare repository has no files on disk: read the buildspecs from HEAD.
  std::optional<std::string> head;
  if (workspace.repository && workspace.repository->is_bare()) {
    head = workspace.repository->try_resolve_commit("HEAD");
  }
  for (const auto& service : workspace.services) {
    if (!service.build || service.buildspec.empty()) continue;
    std::optional<std::vector<buildspec::Problem>> found;
    const fs::path file = fs::path(workspace.root) / service.buildspec;
    std::error_code error;
    bool through_link = false;
    if (head) {
      auto text = workspace.repository->read_file(*head, service.buildspec, &through_link);
      if (text) found = buildspec::validate(*text);
    } else if (fs::is_regular_file(file, error)) {
      found = buildspec::validate_file(file);
    }
    if (!found) {
      problems << one_line(missing_buildspec(workspace, service, head, through_link)) << "\n";
      ++count;
      continue;
    }
    ++checked;
    for (const auto& problem : *found) {
      // The path is the config's (or a directory name discovery found).
      problems << one_line(service.buildspec + ":" + std::to_string(problem.line) + ": " +
                           problem.message)
               << "\n";
      ++count;
    }
  }
  std::cout << problems.str() << std::flush;
  if (count > 0) {
    log.info(std::to_string(count) + " problem" + (count == 1 ? "" : "s") + " found");
    return static_cast<int>(ExitCode::config);
  }
  log.info("ok: " + std::to_string(workspace.services.size()) + " services, " +
           std::to_string(checked) + " buildspecs checked");
  return 0;
}

}  // namespace svcdiff::cli
