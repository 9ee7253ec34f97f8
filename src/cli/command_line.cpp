#include "cli/command_line.hpp"

#include <algorithm>
#include <cctype>
#include <iostream>

#include "cli/command_table.hpp"
#include "core/error.hpp"
#include "core/suggest.hpp"
#include "output/shell_completion.hpp"

namespace svcdiff::cli {
namespace {

// "-1", "2.5": a value, not an option.
bool is_number(const std::string& word) {
  return word.size() > 1 && word[0] == '-' &&
         (std::isdigit(static_cast<unsigned char>(word[1])) != 0);
}

}  // namespace

CommandLine::CommandLine()
    : app_{"svcdiff: which services of a monorepo changed between two commits", "svcdiff"} {
  app_.set_version_flag("--version", std::string("svcdiff ") + SVCDIFF_VERSION);
  app_.require_subcommand(0, 1);
  app_.fallthrough();
  // DIR and FILE also tell the completion scripts to complete paths; a type
  // name {a,b} gives them the values (checked by hand, in svcdiff's words).
  app_.add_option("-C,--repo", global.repo_dir,
                  "Repository directory (default: search upward from the current directory)")
      ->type_name("DIR");
  app_.add_option(
          "-c,--config", global.config,
          "Config file, relative to the current directory even with -C (default: svcdiff.yml at "
          "the root)")
      ->type_name("FILE");
  app_.add_flag("-v,--verbose", global.verbosity, "More logs on stderr");
  app_.add_flag("-q,--quiet", global.quiet, "No logs, warnings or summary (errors still print)");
  app_.add_option("--color", global.color, "auto|always|never")->type_name("{auto,always,never}");
  app_.add_flag("--trust-repo-owner", global.trust_repo_owner,
                "Open a repository owned by another user");
  app_.add_flag("--no-cache", global.no_cache,
                "Neither read nor write the result cache (in the git directory, or "
                "SVCDIFF_CACHE_DIR; as SVCDIFF_NO_CACHE=1)");

  auto* changed_cmd = app_.add_subcommand(
      "changed", "Compute the changed services and write the artifact (default)");
  add_revision_options(changed_cmd);
  changed_cmd
      ->add_option(
          "-o,--output", changed.output,
          "Output file, relative to the current directory even with -C, as is defaults.output "
          "(default ABC.json, or $GITHUB_OUTPUT for --format github; - = stdout)")
      ->type_name("FILE");
  changed_cmd->add_option("--format", changed.format, "services|items|env|github|text")
      ->type_name("{services,items,env,github,text}");
  changed_cmd
      ->add_option("--s3-split", changed.s3_split,
                   "Items: write each wave's items to DIR/<run>/wave-N.json and an "
                   "artifact naming their keys (for `svcdiff asl --map distributed`)")
      ->type_name("DIR");
  changed_cmd->add_option("--s3-uri", changed.s3_uri,
                          "s3://BUCKET/PREFIX that DIR is copied to (with --s3-split)");

  auto* explain_cmd = app_.add_subcommand("explain", "Why each service is (not) selected");
  add_revision_options(explain_cmd);
  explain_cmd->add_option("SERVICE", inspect.names, "Services to explain (default: all)");

  auto* list_cmd = app_.add_subcommand("list", "Every service the config defines or discovers");
  list_cmd->add_flag("--json", inspect.json, "Print JSON");

  auto* owners_cmd = app_.add_subcommand("owners", "Which services own these paths");
  owners_cmd->add_option("PATH", inspect.paths,
                         "Paths, relative to the current directory (as git)");
  owners_cmd->add_flag("--stdin", inspect.from_stdin, "Read paths from stdin, one a line");
  owners_cmd->add_flag(
      "--json", inspect.json,
      "Print {\"path\":{\"services\":[...],\"rule\":\"service|ignored|global|none\"}}");

  auto* match_cmd =
      app_.add_subcommand("match", "Does PATTERN select these paths (exit 0 if any, 1 if none)");
  match_cmd->add_option("PATTERN", inspect.pattern, "A svcdiff.yml pattern")->required();
  match_cmd->add_option("PATH", inspect.paths,
                        "Paths, relative to the current directory (dir/ = a directory)");

  auto* graph_cmd = app_.add_subcommand("graph", "The dependency graph, changed services marked");
  add_revision_options(graph_cmd);
  graph_cmd->add_option("--format", inspect.graph_format, "mermaid|dot")
      ->type_name("{mermaid,dot}");

  auto& definition = asl.definition;
  auto* asl_cmd = app_.add_subcommand(
      "asl", "The Step Functions state machine definition (Amazon States Language)");
  asl_cmd
      ->add_option("--style", asl.style,
                   "dynamic (Map over $.waves, items format) or choice (Map over $.services)")
      ->type_name("{dynamic,choice}");
  asl_cmd
      ->add_option("--map", asl.map,
                   "inline (the artifact's waves) or distributed (waves in S3, --s3-split; "
                   "child executions)")
      ->type_name("{inline,distributed}");
  asl_cmd
      ->add_option("--ledger", asl.ledger,
                   "Skip services whose fingerprint this build ledger holds, record each "
                   "successful build in it (dynamic style)")
      ->type_name("dynamodb:TABLE");
  asl_cmd->add_option("--max-concurrency", definition.max_concurrency,
                      "Builds at once (0 = no limit; inline at most 40, distributed up to 10000)");
  asl_cmd->add_option("--timeout-seconds", definition.timeout_seconds,
                      "The execution's TimeoutSeconds (default 86400, a day; 0 = none)");
  asl_cmd->add_flag("--compact", asl.compact, "Print the definition without whitespace");
  asl_cmd->add_option("--retries", definition.retry_attempts,
                      "Retries of a throttled StartBuild (0 = none)");
  asl_cmd->add_option("--retry-interval", definition.retry_interval_seconds,
                      "Seconds before the first retry");
  asl_cmd->add_option("--comment", definition.comment, "The definition's Comment");
  asl_cmd->add_flag("!--no-source-version", definition.source_version,
                    "Do not pass the artifact's head as SourceVersion");
  asl_cmd->add_option("--waves-state", definition.waves_state_name,
                      "Name of the Choice that loops over the waves");
  asl_cmd->add_option("--wave-state", definition.wave_state_name, "Name of the Map over one wave");
  asl_cmd->add_option("--services-state", definition.services_state_name,
                      "Name of the Map over $.services");
  asl_cmd->add_option("--choice-state", definition.choice_state_name, "Name of the Choice state");
  asl_cmd->add_option("--skip-state", definition.skip_state_name, "Name of the default Pass state");
  asl_cmd->add_option("--build-state", definition.build_state_name, "Name of the StartBuild Task");

  auto* fingerprint_cmd = app_.add_subcommand(
      "fingerprint", "Each service's input fingerprint, from the head commit or a plain directory");
  fingerprint_cmd->add_option("SERVICE", fingerprint.services, "Services (default: every service)");
  fingerprint_cmd->add_option("--head", fingerprint.head,
                              "Commit to read (default: as `changed` chooses its head)");
  fingerprint_cmd->add_flag("--dir", fingerprint.directory,
                            "Hash the files on disk (-C or the current directory), even in a "
                            "repository");
  fingerprint_cmd->add_flag("--json", fingerprint.json, "Print JSON");
  fingerprint_cmd->add_flag("--inputs", fingerprint.inputs,
                            "Print the bytes each fingerprint hashes (README: Fingerprints)");

  app_.add_subcommand("validate", "Check the config and every service's buildspec");
  app_.add_subcommand("schema", "The JSON Schema of svcdiff.yml, for editors");

  auto* help_cmd = app_.add_subcommand("help", "Help for a command");
  help_cmd->add_option("COMMAND", help_topic, "Command");
  // In no group, so hidden: the build writes the man page with it.
  help_cmd->add_flag("--man", help_man, "The man page (roff)")->group("");

  auto* completion_cmd = app_.add_subcommand("completion", "A shell completion script");
  completion_cmd->add_option("SHELL", completion_shell, "bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember(output::completion_shells()));
}

output::CommandTable CommandLine::table() const { return read_command_table(app_, "changed"); }

void CommandLine::add_revision_options(CLI::App* command) {
  command->add_option("--base", changed.base, "Base revision (sha, branch, tag, HEAD~3)");
  command->add_option(
      "--head", changed.head,
      "Head revision (default: SVCDIFF_HEAD, CODEBUILD_RESOLVED_SOURCE_VERSION, GITHUB_SHA, HEAD)");
  command->add_flag("--merge-base", changed.merge_base, "Diff from merge-base(base, head)");
  command->add_flag("--worktree", changed.worktree,
                    "Also count staged, unstaged and untracked changes");
  command
      ->add_option(
          "--files-from", changed.files_from,
          "Read changed paths from FILE (- = stdin; relative to the current directory); no git "
          "needed")
      ->type_name("FILE");
  command->add_flag("-z", changed.nul_separated, "--files-from paths are NUL-separated");
  command->add_flag("--all", changed.all, "Select every service");
  command->add_option("--on-unknown-base", changed.on_unknown_base, "all|fail (default all)")
      ->type_name("{all,fail}");
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

// Every option name of every command, with its dashes ("--base", "-C").
std::vector<std::string> CommandLine::option_names() const {
  std::vector<std::string> names{"-h", "--help", "--version"};
  auto add = [&names](const CLI::App& app) {
    for (const auto* option : app.get_options()) {
      for (const auto& name : option->get_snames()) names.push_back("-" + name);
      for (const auto& name : option->get_lnames()) names.push_back("--" + name);
      for (const auto& name : option->get_fnames()) {
        if (name.rfind("no-", 0) == 0) names.push_back("--" + name);
      }
    }
  };
  add(app_);
  for (const auto* command : app_.get_subcommands({})) add(*command);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

// An option the table does not know: svcdiff's own message, before CLI11
// reads `--bse HEAD` as an unknown command `HEAD`.
void CommandLine::check_option_word(const std::string& word) const {
  const std::string name = word.substr(0, word.find('='));
  const auto names = option_names();
  // "-vv", "-Cdir": the first letter decides.
  const std::string key = name.rfind("--", 0) == 0 ? name : name.substr(0, 2);
  if (std::binary_search(names.begin(), names.end(), key)) return;
  throw usage_error("unknown option `" + name + "`" +
                    did_you_mean(name, names, "; see `svcdiff --help`"));
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
    if (word.size() > 1 && word[0] == '-') {
      if (word == "-h" || word == "--help" || word == "--version") return args;
      check_option_word(word);
      continue;
    }
    if (std::find(names.begin(), names.end(), word) != names.end()) {
      check_options_after(args, i + 1);
      return args;
    }
    throw usage_error("unknown command `" + word + "`" +
                      did_you_mean(word, names, "; see `svcdiff --help`"));
  }
  args.insert(args.begin(), "changed");
  return args;
}

// The words after the command: each option must exist.
void CommandLine::check_options_after(const std::vector<std::string>& args,
                                      std::size_t first) const {
  for (std::size_t i = first; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word == "--") return;
    if (takes_value(word)) {
      ++i;
    } else if (word.size() > 1 && word[0] == '-' && !is_number(word)) {
      check_option_word(word);
    }
  }
}

// CLI11's parse errors in svcdiff's words.
std::string CommandLine::parse_error_text(const CLI::ParseError& error) const {
  const std::string what = error.what();
  const std::string see =
      "; see `svcdiff " + (command().empty() ? "" : command() + " ") + "--help`";
  auto after = [&what](const std::string& marker) {
    const std::size_t at = what.find(marker);
    return at == std::string::npos ? std::string() : what.substr(at + marker.size());
  };
  if (what.rfind("Could not convert: ", 0) == 0) {
    const std::string rest = after("Could not convert: ");
    const std::size_t equals = rest.find(" = ");
    return "`" + rest.substr(0, equals) + "` takes a whole number, not `" +
           (equals == std::string::npos ? "" : rest.substr(equals + 3)) + "`";
  }
  if (what.find(": At Most ") != std::string::npos) {
    return "`" + what.substr(0, what.find(": At Most ")) +
           "` is given more than once; give it once";
  }
  if (what.find(" was not expected: ") != std::string::npos ||
      what.find(" were not expected: ") != std::string::npos) {
    return "unexpected argument `" + after("expected: ") + "`" + see;
  }
  const std::string required = " is required";
  if (what.size() > required.size() &&
      what.compare(what.size() - required.size(), required.size(), required) == 0) {
    return "missing " + what.substr(0, what.size() - required.size()) + see;
  }
  return what + see;
}

bool CommandLine::parse(int argc, char** argv) {
  std::vector<std::string> args = with_default_command(argc, argv);
  std::reverse(args.begin(), args.end());  // CLI11 takes them reversed
  try {
    app_.parse(args);
  } catch (const CLI::CallForHelp&) {
    std::cout << (command().empty() ? help("") : app_.help());
    return false;
  } catch (const CLI::CallForVersion&) {
    std::cout << "svcdiff " << SVCDIFF_VERSION << "\n";
    return false;
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) {
      std::cout << help("");
      return false;
    }
    throw usage_error(parse_error_text(error));
  }
  if (global.color != "auto" && global.color != "always" && global.color != "never") {
    throw usage_error("--color must be auto, always or never, not `" + global.color + "`" +
                      did_you_mean(global.color, {"auto", "always", "never"}));
  }
  for (const auto* option : app_.get_subcommand("asl")->get_options()) {
    if (option->count() > 0) asl.given.push_back(option->get_name());
  }
  return true;
}

std::string CommandLine::command() const {
  const auto parsed = app_.get_subcommands();
  return parsed.empty() ? "" : parsed.front()->get_name();
}

std::string CommandLine::help(const std::string& topic) const {
  if (topic.empty()) {
    // The formatter directly: app_.help() would show the parsed command's.
    return app_.get_formatter()->make_help(&app_, app_.get_name(), CLI::AppFormatMode::Normal) +
           "\nWith no command, svcdiff runs `changed`:\n\n" +
           app_.get_subcommand("changed")->help(app_.get_name());
  }
  for (const auto* command : app_.get_subcommands({})) {
    if (command->get_name() == topic) return command->help();
  }
  throw usage_error("no command `" + topic + "`" +
                    did_you_mean(topic, command_names(), "; `svcdiff help` lists the commands"));
}

}  // namespace svcdiff::cli
