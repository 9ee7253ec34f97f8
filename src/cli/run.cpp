#include "cli/run.hpp"

#include <CLI/CLI.hpp>
#include <cstring>
#include <iostream>
#include <set>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/suggest.hpp"

namespace svcdiff::cli {
namespace {

const std::vector<std::string>& command_names() {
  static const std::vector<std::string> names{"changed", "explain", "list",     "owners", "match",
                                              "graph",   "asl",     "validate", "schema", "help"};
  return names;
}

// `changed` is the default command: find the first word that is not an
// option or an option's value; if there is none, insert `changed`.
std::vector<std::string> with_default_command(int argc, char** argv) {
  static const std::set<std::string> takes_value{"-C",       "--repo",       "-c",
                                                 "--config", "--color",      "--base",
                                                 "--head",   "--files-from", "--on-unknown-base",
                                                 "-o",       "--output",     "--format"};
  std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word == "--") break;
    if (takes_value.count(word) != 0) {
      ++i;
      continue;
    }
    if (!word.empty() && word[0] == '-') {
      if (word == "-h" || word == "--help" || word == "--version") return args;
      continue;
    }
    const auto& names = command_names();
    if (std::find(names.begin(), names.end(), word) != names.end()) return args;
    std::string message = "unknown command `" + word + "`";
    if (auto near = nearest(word, names))
      message += "; did you mean `" + *near + "`?";
    else
      message += "; see `svcdiff --help`";
    throw usage_error(message);
  }
  args.insert(args.begin(), "changed");
  return args;
}

void add_changed_options(CLI::App* command, ChangedOptions& options) {
  command->add_option("--base", options.base, "Base revision (sha, branch, tag, HEAD~3)");
  command->add_option(
      "--head", options.head,
      "Head revision (default: SVCDIFF_HEAD, CODEBUILD_RESOLVED_SOURCE_VERSION, HEAD)");
  command->add_flag("--merge-base", options.merge_base, "Diff from merge-base(base, head)");
  command->add_flag("--worktree", options.worktree,
                    "Also count staged, unstaged and untracked changes");
  command->add_option("--files-from", options.files_from,
                      "Read changed paths from FILE (- = stdin); no git needed");
  command->add_flag("-z", options.nul_separated, "--files-from paths are NUL-separated");
  command->add_flag("--all", options.all, "Select every service");
  command->add_option("--on-unknown-base", options.on_unknown_base, "all|fail (default all)");
}

}  // namespace

int run(int argc, char** argv) {
  GlobalOptions global;
  ChangedOptions changed;
  std::vector<std::string> names;
  std::vector<std::string> paths;
  std::string pattern;
  std::string graph_format = "mermaid";
  std::string help_topic;
  bool json = false;
  bool from_stdin = false;

  CLI::App app{"svcdiff: which services of a monorepo changed between two commits", "svcdiff"};
  app.set_version_flag("--version", std::string("svcdiff ") + SVCDIFF_VERSION);
  app.require_subcommand(0, 1);
  app.fallthrough();
  app.add_option("-C,--repo", global.repo_dir,
                 "Repository directory (default: search upward from .)");
  app.add_option("-c,--config", global.config, "Config file (default: svcdiff.yml at the root)");
  app.add_flag("-v,--verbose", global.verbosity, "More logs on stderr");
  app.add_flag("-q,--quiet", global.quiet, "No logs, warnings or summary (errors still print)");
  app.add_option("--color", global.color, "auto|always|never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("--trust-repo-owner", global.trust_repo_owner,
               "Open a repository owned by another user");

  auto* changed_cmd = app.add_subcommand(
      "changed", "Compute the changed services and write the artifact (default)");
  add_changed_options(changed_cmd, changed);
  changed_cmd->add_option("-o,--output", changed.output,
                          "Output file (default ABC.json; - = stdout)");
  changed_cmd->add_option("--format", changed.format, "services|items|env|github|text");

  auto* explain_cmd = app.add_subcommand("explain", "Why each service is (not) selected");
  add_changed_options(explain_cmd, changed);
  explain_cmd->add_option("SERVICE", names, "Services to explain (default: all)");

  auto* list_cmd = app.add_subcommand("list", "Every service the config defines or discovers");
  list_cmd->add_flag("--json", json, "Print JSON");

  auto* owners_cmd = app.add_subcommand("owners", "Which services own these paths");
  owners_cmd->add_option("PATH", paths, "Paths relative to the repository root");
  owners_cmd->add_flag("--stdin", from_stdin, "Read paths from stdin, one a line");
  owners_cmd->add_flag("--json", json, "Print {\"path\":[\"service\",...]}");

  auto* match_cmd =
      app.add_subcommand("match", "Does PATTERN select these paths (exit 0 if any, 1 if none)");
  match_cmd->add_option("PATTERN", pattern, "A svcdiff.yml pattern")->required();
  match_cmd->add_option("PATH", paths,
                        "Paths relative to the repository root (dir/ = a directory)");

  auto* graph_cmd = app.add_subcommand("graph", "The dependency graph, changed services marked");
  add_changed_options(graph_cmd, changed);
  graph_cmd->add_option("--format", graph_format, "mermaid|dot");

  asl::AslOptions asl_options;
  std::string asl_style = "dynamic";
  auto* asl_cmd = app.add_subcommand(
      "asl", "The Step Functions state machine definition (Amazon States Language)");
  asl_cmd->add_option("--style", asl_style,
                      "dynamic (Map over $.waves, items format) or choice (Map over $.services)");
  asl_cmd->add_option("--max-concurrency", asl_options.max_concurrency,
                      "Builds at once (0 = no limit)");
  asl_cmd->add_option("--retries", asl_options.retry_attempts,
                      "Retries of a throttled StartBuild (0 = none)");
  asl_cmd->add_option("--retry-interval", asl_options.retry_interval_seconds,
                      "Seconds before the first retry");
  asl_cmd->add_option("--comment", asl_options.comment, "The definition's Comment");
  asl_cmd->add_flag("!--no-source-version", asl_options.source_version,
                    "Do not pass the artifact's head as SourceVersion");
  asl_cmd->add_option("--waves-state", asl_options.waves_state_name,
                      "Name of the Map over $.waves");
  asl_cmd->add_option("--wave-state", asl_options.wave_state_name, "Name of the Map over one wave");
  asl_cmd->add_option("--services-state", asl_options.services_state_name,
                      "Name of the Map over $.services");
  asl_cmd->add_option("--choice-state", asl_options.choice_state_name, "Name of the Choice state");
  asl_cmd->add_option("--skip-state", asl_options.skip_state_name,
                      "Name of the default Pass state");
  asl_cmd->add_option("--build-state", asl_options.build_state_name, "Name of the StartBuild Task");

  auto* validate_cmd =
      app.add_subcommand("validate", "Check the config and every service's buildspec");
  auto* schema_cmd = app.add_subcommand("schema", "The JSON Schema of svcdiff.yml, for editors");

  auto* help_cmd = app.add_subcommand("help", "Help for a command");
  help_cmd->add_option("COMMAND", help_topic, "Command");

  std::vector<std::string> args;
  try {
    args = with_default_command(argc, argv);
    std::reverse(args.begin(), args.end());  // CLI11 takes them reversed
    app.parse(args);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::CallForVersion&) {
    std::cout << "svcdiff " << SVCDIFF_VERSION << "\n";
    return 0;
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) {
      std::cout << app.help();
      return 0;
    }
    std::string message = error.what();
    std::cerr << "svcdiff: error: " << message << "; see `svcdiff --help`\n";
    return static_cast<int>(ExitCode::usage);
  } catch (const Error& error) {
    std::cerr << "svcdiff: error: " << error.what() << "\n";
    return static_cast<int>(error.code());
  }

  Log log(global.quiet, global.verbosity);
  try {
    if (*changed_cmd) return run_changed(global, changed, log);
    if (*explain_cmd) return run_explain(global, changed, names, log);
    if (*list_cmd) return run_list(global, json, log);
    if (*owners_cmd) return run_owners(global, paths, from_stdin, json, log);
    if (*match_cmd) return run_match(pattern, paths);
    if (*graph_cmd) return run_graph(global, changed, graph_format, log);
    if (*asl_cmd) {
      auto style = asl::parse_style(asl_style);
      if (!style)
        throw usage_error("--style must be `dynamic` or `choice`, not `" + asl_style + "`");
      asl_options.style = *style;
      return run_asl(global, asl_options, log);
    }
    if (*validate_cmd) return run_validate(global, log);
    if (*schema_cmd) return run_schema();
    if (*help_cmd) {
      if (help_topic.empty()) {
        std::cout << app.help();
        return 0;
      }
      for (auto* command : app.get_subcommands({})) {
        if (command->get_name() == help_topic) {
          std::cout << command->help();
          return 0;
        }
      }
      std::string message = "no command `" + help_topic + "`";
      if (auto near = nearest(help_topic, command_names()))
        message += "; did you mean `" + *near + "`?";
      throw usage_error(message);
    }
    std::cout << app.help();
    return 0;
  } catch (const Error& error) {
    if (error.has_position()) {
      std::cerr << error.what() << "\n";
    } else {
      std::cerr << "svcdiff: error: " << error.what() << "\n";
    }
    return static_cast<int>(error.code());
  } catch (const std::exception& error) {
    std::cerr << "svcdiff: error: " << error.what() << "\n";
    return static_cast<int>(ExitCode::runtime);
  }
}

}  // namespace svcdiff::cli
