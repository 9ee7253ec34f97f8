#include "cli/command_line.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/suggest.hpp"

namespace svcdiff::cli {

CommandLine::CommandLine()
    : app_{"svcdiff: which services of a monorepo changed between two commits", "svcdiff"} {
  app_.set_version_flag("--version", std::string("svcdiff ") + SVCDIFF_VERSION);
  app_.require_subcommand(0, 1);
  app_.fallthrough();
  app_.add_option("-C,--repo", global.repo_dir,
                  "Repository directory (default: search upward from .)");
  app_.add_option("-c,--config", global.config, "Config file (default: svcdiff.yml at the root)");
  app_.add_flag("-v,--verbose", global.verbosity, "More logs on stderr");
  app_.add_flag("-q,--quiet", global.quiet, "No logs, warnings or summary (errors still print)");
  app_.add_option("--color", global.color, "auto|always|never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app_.add_flag("--trust-repo-owner", global.trust_repo_owner,
                "Open a repository owned by another user");

  auto* changed_cmd = app_.add_subcommand(
      "changed", "Compute the changed services and write the artifact (default)");
  add_revision_options(changed_cmd);
  changed_cmd->add_option("-o,--output", changed.output,
                          "Output file (default ABC.json; - = stdout)");
  changed_cmd->add_option("--format", changed.format, "services|items|env|github|text");

  auto* explain_cmd = app_.add_subcommand("explain", "Why each service is (not) selected");
  add_revision_options(explain_cmd);
  explain_cmd->add_option("SERVICE", inspect.names, "Services to explain (default: all)");

  auto* list_cmd = app_.add_subcommand("list", "Every service the config defines or discovers");
  list_cmd->add_flag("--json", inspect.json, "Print JSON");

  auto* owners_cmd = app_.add_subcommand("owners", "Which services own these paths");
  owners_cmd->add_option("PATH", inspect.paths, "Paths relative to the repository root");
  owners_cmd->add_flag("--stdin", inspect.from_stdin, "Read paths from stdin, one a line");
  owners_cmd->add_flag("--json", inspect.json, "Print {\"path\":[\"service\",...]}");

  auto* match_cmd =
      app_.add_subcommand("match", "Does PATTERN select these paths (exit 0 if any, 1 if none)");
  match_cmd->add_option("PATTERN", inspect.pattern, "A svcdiff.yml pattern")->required();
  match_cmd->add_option("PATH", inspect.paths,
                        "Paths relative to the repository root (dir/ = a directory)");

  auto* graph_cmd = app_.add_subcommand("graph", "The dependency graph, changed services marked");
  add_revision_options(graph_cmd);
  graph_cmd->add_option("--format", inspect.graph_format, "mermaid|dot");

  auto& definition = asl.definition;
  auto* asl_cmd = app_.add_subcommand(
      "asl", "The Step Functions state machine definition (Amazon States Language)");
  asl_cmd->add_option("--style", asl.style,
                      "dynamic (Map over $.waves, items format) or choice (Map over $.services)");
  asl_cmd->add_option("--max-concurrency", definition.max_concurrency,
                      "Builds at once (0 = no limit)");
  asl_cmd->add_option("--retries", definition.retry_attempts,
                      "Retries of a throttled StartBuild (0 = none)");
  asl_cmd->add_option("--retry-interval", definition.retry_interval_seconds,
                      "Seconds before the first retry");
  asl_cmd->add_option("--comment", definition.comment, "The definition's Comment");
  asl_cmd->add_flag("!--no-source-version", definition.source_version,
                    "Do not pass the artifact's head as SourceVersion");
  asl_cmd->add_option("--waves-state", definition.waves_state_name, "Name of the Map over $.waves");
  asl_cmd->add_option("--wave-state", definition.wave_state_name, "Name of the Map over one wave");
  asl_cmd->add_option("--services-state", definition.services_state_name,
                      "Name of the Map over $.services");
  asl_cmd->add_option("--choice-state", definition.choice_state_name, "Name of the Choice state");
  asl_cmd->add_option("--skip-state", definition.skip_state_name, "Name of the default Pass state");
  asl_cmd->add_option("--build-state", definition.build_state_name, "Name of the StartBuild Task");

  app_.add_subcommand("validate", "Check the config and every service's buildspec");
  app_.add_subcommand("schema", "The JSON Schema of svcdiff.yml, for editors");

  auto* help_cmd = app_.add_subcommand("help", "Help for a command");
  help_cmd->add_option("COMMAND", help_topic, "Command");
}

void CommandLine::add_revision_options(CLI::App* command) {
  command->add_option("--base", changed.base, "Base revision (sha, branch, tag, HEAD~3)");
  command->add_option(
      "--head", changed.head,
      "Head revision (default: SVCDIFF_HEAD, CODEBUILD_RESOLVED_SOURCE_VERSION, HEAD)");
  command->add_flag("--merge-base", changed.merge_base, "Diff from merge-base(base, head)");
  command->add_flag("--worktree", changed.worktree,
                    "Also count staged, unstaged and untracked changes");
  command->add_option("--files-from", changed.files_from,
                      "Read changed paths from FILE (- = stdin); no git needed");
  command->add_flag("-z", changed.nul_separated, "--files-from paths are NUL-separated");
  command->add_flag("--all", changed.all, "Select every service");
  command->add_option("--on-unknown-base", changed.on_unknown_base, "all|fail (default all)");
}

std::vector<std::string> CommandLine::command_names() const {
  std::vector<std::string> names;
  for (const auto* command : app_.get_subcommands({})) names.push_back(command->get_name());
  return names;
}

// True when `word` names an option, of any command, that takes a value.
bool CommandLine::takes_value(const std::string& word) const {
  auto in = [&word](const CLI::App& app) {
    for (const auto* option : app.get_options()) {
      if (option->nonpositional() && option->get_items_expected_min() > 0 &&
          option->check_name(word)) {
        return true;
      }
    }
    return false;
  };
  if (in(app_)) return true;
  const auto commands = app_.get_subcommands({});
  return std::any_of(commands.begin(), commands.end(),
                     [&in](const CLI::App* command) { return in(*command); });
}

// `changed` is the default command: find the first word that is not an
// option or an option's value; if there is none, insert `changed`.
std::vector<std::string> CommandLine::with_default_command(int argc, char** argv) const {
  std::vector<std::string> args(argv + 1, argv + argc);
  const auto names = command_names();
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word == "--") break;
    if (takes_value(word)) {
      ++i;
      continue;
    }
    if (!word.empty() && word[0] == '-') {
      if (word == "-h" || word == "--help" || word == "--version") return args;
      continue;
    }
    if (std::find(names.begin(), names.end(), word) != names.end()) return args;
    throw usage_error("unknown command `" + word + "`" +
                      did_you_mean(word, names, "; see `svcdiff --help`"));
  }
  args.insert(args.begin(), "changed");
  return args;
}

bool CommandLine::parse(int argc, char** argv) {
  std::vector<std::string> args = with_default_command(argc, argv);
  std::reverse(args.begin(), args.end());  // CLI11 takes them reversed
  try {
    app_.parse(args);
  } catch (const CLI::CallForHelp&) {
    std::cout << app_.help();
    return false;
  } catch (const CLI::CallForVersion&) {
    std::cout << "svcdiff " << SVCDIFF_VERSION << "\n";
    return false;
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) {
      std::cout << app_.help();
      return false;
    }
    throw usage_error(std::string(error.what()) + "; see `svcdiff --help`");
  }
  return true;
}

std::string CommandLine::command() const {
  const auto parsed = app_.get_subcommands();
  return parsed.empty() ? "" : parsed.front()->get_name();
}

std::string CommandLine::help(const std::string& topic) const {
  if (topic.empty()) return app_.help();
  for (const auto* command : app_.get_subcommands({})) {
    if (command->get_name() == topic) return command->help();
  }
  throw usage_error("no command `" + topic + "`" + did_you_mean(topic, command_names()));
}

}  // namespace svcdiff::cli
