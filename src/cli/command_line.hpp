#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/options.hpp"
#include "output/command_table.hpp"

namespace svcdiff::cli {

// The command line of svcdiff: every command and option, bound to the option
// structs. CLI11's table is the one list of options and commands; nothing
// else spells them.
class CommandLine {
 public:
  CommandLine();
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  // Parses argv (`changed` when no command is named). Returns false when it
  // printed help or the version instead; throws svcdiff::Error (usage).
  bool parse(int argc, char** argv);

  // The command that was named (or inserted).
  std::string command() const;
  // Help for `topic`, or the top-level help when it is empty.
  std::string help(const std::string& topic);
  std::vector<std::string> command_names() const;
  // The commands and options as the completion scripts and the man page show them.
  output::CommandTable table();
  // CLI11's table itself, every option added, for tests that check the
  // scripts against it.
  const CLI::App& app() {
    add_every_option();
    return app_;
  }

  GlobalOptions global;
  ChangedOptions changed;
  InspectOptions inspect;
  AslCommandOptions asl;
  FingerprintOptions fingerprint;
  std::string help_topic;
  bool help_man = false;         // help --man: the man page (hidden)
  std::string completion_shell;  // completion SHELL

 private:
  // A command's options are added when first needed: parse() adds those of
  // the command argv names, and others only when a word needs them (an
  // option none of those added so far has); help and the table add all.
  using AddOptions = void (CommandLine::*)(CLI::App* command);
  struct Command {
    CLI::App* app = nullptr;
    AddOptions add_options = nullptr;  // null: none but the help flag
    bool added = false;
  };
  struct HelpFlag {
    std::string name, description;
  };
  void add_command(const std::string& name, const std::string& description, AddOptions add_options);
  void add_options(Command& command);
  void add_options_of(const std::string& name);
  void add_every_option();
  void add_revision_options(CLI::App* command);
  void add_changed_options(CLI::App* command);
  void add_explain_options(CLI::App* command);
  void add_list_options(CLI::App* command);
  void add_owners_options(CLI::App* command);
  void add_match_options(CLI::App* command);
  void add_graph_options(CLI::App* command);
  void add_asl_options(CLI::App* command);
  void add_fingerprint_options(CLI::App* command);
  void add_help_options(CLI::App* command);
  void add_completion_options(CLI::App* command);

  std::vector<std::string> with_default_command(int argc, char** argv);
  bool takes_value(const std::string& word);
  std::vector<std::string> option_names() const;
  void check_option_word(const std::string& word);
  void check_options_after(const std::vector<std::string>& args, std::size_t first);
  std::string unexpected_words() const;
  std::string parse_error_text(const CLI::ParseError& error) const;

  CLI::App app_;
  std::vector<Command> commands_;
  HelpFlag help_flag_;  // CLI11's, which each command gets as its options are added
};

}  // namespace svcdiff::cli
