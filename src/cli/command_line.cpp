#include "cli/command_line.hpp"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <optional>
#include <utility>

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
  app_.require_subcommand(0, 1);
  app_.fallthrough();
  // Commands are made without the help flag CLI11 would build for each as
  // it makes it: add_options gives a command its own, first, as CLI11 would.
  help_flag_ = {app_.get_help_ptr()->get_name(false, true), app_.get_help_ptr()->get_description()};
  app_.set_help_flag();
  // A command's options are added when argv needs them (add_options_of):
  // building every command's cost a sixth of a warm one-commit run.
  add_command("changed", "Compute the changed services and write the artifact (default)",
              &CommandLine::add_changed_options);
  add_command("explain", "Why each service is (not) selected", &CommandLine::add_explain_options);
  add_command("list", "Every service the config defines or discovers",
              &CommandLine::add_list_options);
  add_command("owners", "Which services own these paths", &CommandLine::add_owners_options);
  add_command("match", "Does PATTERN select these paths (exit 0 if any, 1 if none)",
              &CommandLine::add_match_options);
  add_command("graph", "The dependency graph, changed services marked",
              &CommandLine::add_graph_options);
  add_command("asl", "The Step Functions state machine definition (Amazon States Language)",
              &CommandLine::add_asl_options);
  add_command("fingerprint",
              "Each service's input fingerprint, from the head commit or a plain directory",
              &CommandLine::add_fingerprint_options);
  add_command("validate", "Check the config and every service's buildspec", nullptr);
  add_command("schema", "The JSON Schema of svcdiff.yml, for editors", nullptr);
  add_command("help", "Help for a command", &CommandLine::add_help_options);
  add_command("completion", "A shell completion script", &CommandLine::add_completion_options);
  // Back on the top level, the first of its options, as CLI11 put it there.
  app_.set_help_flag(help_flag_.name, help_flag_.description);

  app_.set_version_flag("--version", std::string("svcdiff ") + SVCDIFF_VERSION);
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
}

void CommandLine::add_command(const std::string& name, const std::string& description,
                              AddOptions add_options) {
  commands_.push_back({app_.add_subcommand(name, description), add_options});
}

void CommandLine::add_options(Command& command) {
  if (command.added) return;
  command.added = true;
  command.app->set_help_flag(help_flag_.name, help_flag_.description);
  if (command.add_options != nullptr) (this->*command.add_options)(command.app);
}

void CommandLine::add_options_of(const std::string& name) {
  for (auto& command : commands_) {
    if (command.app->get_name() == name) add_options(command);
  }
}

void CommandLine::add_every_option() {
  for (auto& command : commands_) add_options(command);
}

void CommandLine::add_changed_options(CLI::App* command) {
  add_revision_options(command);
  command
      ->add_option(
          "-o,--output", changed.output,
          "Output file, relative to the current directory even with -C, as is defaults.output "
          "(default ABC.json, or $GITHUB_OUTPUT for --format github; - = stdout)")
      ->type_name("FILE");
  command->add_option("--format", changed.format, "services|items|env|github|text")
      ->type_name("{services,items,env,github,text}");
  command
      ->add_option("--s3-split", changed.s3_split,
                   "Items: write each wave's items to DIR/<run>/wave-N.json and an "
                   "artifact naming their keys (for `svcdiff asl --map distributed`)")
      ->type_name("DIR");
  command->add_option("--s3-uri", changed.s3_uri,
                      "s3://BUCKET/PREFIX that DIR is copied to (with --s3-split)");
}

void CommandLine::add_explain_options(CLI::App* command) {
  add_revision_options(command);
  command->add_option("SERVICE", inspect.names, "Services to explain (default: all)");
}

void CommandLine::add_list_options(CLI::App* command) {
  command->add_flag("--json", inspect.json, "Print JSON");
}

void CommandLine::add_owners_options(CLI::App* command) {
  command->add_option("PATH", inspect.paths, "Paths, relative to the current directory (as git)");
  command->add_flag("--stdin", inspect.from_stdin, "Read paths from stdin, one a line");
  command->add_flag(
      "--json", inspect.json,
      "Print {\"path\":{\"services\":[...],\"rule\":\"service|ignored|global|none\"}}");
}

void CommandLine::add_match_options(CLI::App* command) {
  command->add_option("PATTERN", inspect.pattern, "A svcdiff.yml pattern")->required();
  command->add_option("PATH", inspect.paths,
                      "Paths, relative to the current directory (dir/ = a directory)");
}

void CommandLine::add_graph_options(CLI::App* command) {
  add_revision_options(command);
  command->add_option("--format", inspect.graph_format, "mermaid|dot")->type_name("{mermaid,dot}");
}

void CommandLine::add_asl_options(CLI::App* command) {
  auto& definition = asl.definition;
  command
      ->add_option("--style", asl.style,
                   "dynamic (Map over $.waves, items format) or choice (Map over $.services)")
      ->type_name("{dynamic,choice}");
  command
      ->add_option("--map", asl.map,
                   "inline (the artifact's waves) or distributed (waves in S3, --s3-split; "
                   "child executions)")
      ->type_name("{inline,distributed}");
  command
      ->add_option("--ledger", asl.ledger,
                   "Skip services whose fingerprint this build ledger holds, record each "
                   "successful build in it (dynamic style); TABLE may be a ${Name} placeholder "
                   "for DefinitionSubstitutions")
      ->type_name("dynamodb:TABLE");
  command->add_option("--max-concurrency", definition.max_concurrency,
                      "Builds at once (0 = no limit; inline at most 40, distributed up to 10000)");
  command->add_option("--timeout-seconds", definition.timeout_seconds,
                      "The execution's TimeoutSeconds (default 86400, a day; 0 = none)");
  command->add_flag("--compact", asl.compact, "Print the definition without whitespace");
  command->add_option("--retries", definition.retry_attempts,
                      "Retries of a throttled StartBuild (0 = none)");
  command->add_option("--retry-interval", definition.retry_interval_seconds,
                      "Seconds before the first retry");
  command->add_option("--comment", definition.comment, "The definition's Comment");
  command->add_flag("!--no-source-version", definition.source_version,
                    "Do not pass the artifact's head as SourceVersion");
  command->add_option("--waves-state", definition.waves_state_name,
                      "Name of the Choice that loops over the waves");
  command->add_option("--wave-state", definition.wave_state_name, "Name of the Map over one wave");
  command->add_option("--services-state", definition.services_state_name,
                      "Name of the Map over $.services");
  command->add_option("--choice-state", definition.choice_state_name, "Name of the Choice state");
  command->add_option("--skip-state", definition.skip_state_name, "Name of the default Pass state");
  command->add_option("--build-state", definition.build_state_name, "Name of the StartBuild Task");
}

void CommandLine::add_fingerprint_options(CLI::App* command) {
  command->add_option("SERVICE", fingerprint.services, "Services (default: every service)");
  command->add_option("--head", fingerprint.head,
                      "Commit to read (default: as `changed` chooses its head)");
  command->add_flag("--dir", fingerprint.directory,
                    "Hash the files on disk (-C or the current directory), even in a "
                    "repository");
  command->add_flag("--json", fingerprint.json, "Print JSON");
  command->add_flag("--inputs", fingerprint.inputs,
                    "Print the bytes each fingerprint hashes (README: Fingerprints)");
}

void CommandLine::add_help_options(CLI::App* command) {
  command->add_option("COMMAND", help_topic, "Command");
  // In no group, so hidden: the build writes the man page with it.
  command->add_flag("--man", help_man, "The man page (roff)")->group("");
}

void CommandLine::add_completion_options(CLI::App* command) {
  command->add_option("SHELL", completion_shell, "bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember(output::completion_shells()));
}

output::CommandTable CommandLine::table() {
  add_every_option();
  return read_command_table(app_, "changed");
}

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

// True when `word` names an option, of any command, that takes a value. A
// name takes a value in every command that has it or in none (a test holds
// the table to it), so the options added so far answer when one of them
// has the name; the others are added only when none has.
bool CommandLine::takes_value(const std::string& word) {
  auto in = [&word](const CLI::App& app) -> std::optional<bool> {
    for (const auto* option : app.get_options()) {
      if (option->nonpositional() && option->check_name(word)) {
        return option->get_items_expected_min() > 0;
      }
    }
    return std::nullopt;
  };
  auto known = [&]() -> std::optional<bool> {
    if (auto answer = in(app_)) return answer;
    for (const auto* command : app_.get_subcommands({})) {
      if (auto answer = in(*command)) return answer;
    }
    return std::nullopt;
  };
  if (auto answer = known()) return *answer;
  add_every_option();
  return known().value_or(false);
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
void CommandLine::check_option_word(const std::string& word) {
  const std::string name = word.substr(0, word.find('='));
  // "-vv", "-Cdir": the first letter decides.
  const std::string key = name.rfind("--", 0) == 0 ? name : name.substr(0, 2);
  if (auto names = option_names(); std::binary_search(names.begin(), names.end(), key)) return;
  add_every_option();
  const auto names = option_names();
  if (std::binary_search(names.begin(), names.end(), key)) return;
  throw usage_error("unknown option `" + name + "`" +
                    did_you_mean(name, names, "; see `svcdiff --help`"));
}

// `changed` is the default command: find the first word that is not an
// option or an option's value; if there is none, insert `changed`.
std::vector<std::string> CommandLine::with_default_command(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const auto names = command_names();
  // CLI11 reads the options of the command it is given and of no other:
  // those of the commands argv names (or of `changed`, when it names none)
  // are added now, and answer most words below without the others'.
  bool named = false;
  for (const auto& word : args) {
    if (std::find(names.begin(), names.end(), word) == names.end()) continue;
    add_options_of(word);
    named = true;
  }
  if (!named) add_options_of("changed");
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
  add_options_of("changed");
  args.insert(args.begin(), "changed");
  return args;
}

// The words after the command: each option must exist.
void CommandLine::check_options_after(const std::vector<std::string>& args, std::size_t first) {
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

// The words CLI11 left over, in the order given. CLI11 2.1's message joins
// them reversed ("dot --format" for `list --format dot`).
std::string CommandLine::unexpected_words() const {
  std::vector<std::string> words = app_.remaining(false);
  for (const auto* command : app_.get_subcommands()) {
    if (words.empty()) words = command->remaining(false);
  }
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : " ") + word;
  return text;
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
    return "unexpected argument `" + unexpected_words() + "`" + see;
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
    add_every_option();
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
  if (global.config.empty() && app_.get_option("--config")->count() > 0) {
    throw usage_error("--config is empty; name the config file, or leave -c out for svcdiff.yml");
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

std::string CommandLine::help(const std::string& topic) {
  add_every_option();
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
