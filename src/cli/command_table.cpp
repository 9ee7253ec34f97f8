#include "cli/command_table.hpp"

#include "cli/revisions.hpp"

namespace svcdiff::cli {
namespace {

// "TEXT:{auto,always,never}" -> {"auto", "always", "never"}.
std::vector<std::string> choices_in(const std::string& type_name) {
  std::vector<std::string> choices;
  const auto open = type_name.find('{');
  const auto close = type_name.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return choices;
  std::size_t start = open + 1;
  while (start < close) {
    std::size_t end = type_name.find(',', start);
    if (end == std::string::npos || end > close) end = close;
    if (end > start) choices.push_back(type_name.substr(start, end - start));
    start = end + 1;
  }
  return choices;
}

output::OptionSpec read_option(const CLI::Option& option) {
  output::OptionSpec spec;
  for (const auto& name : option.get_snames()) spec.names.push_back("-" + name);
  for (const auto& name : option.get_lnames()) spec.names.push_back("--" + name);
  spec.description = option.get_description();
  if (!option.nonpositional()) {
    spec.value = option.get_name();
  } else if (option.get_items_expected_min() > 0) {
    const std::string type = option.get_type_name();
    spec.value = type.substr(0, type.find(':'));
  }
  if (!spec.value.empty()) {
    const std::string type = option.get_type_name();
    spec.choices = choices_in(type);
    const std::string kind = option.nonpositional() ? spec.value : type.substr(0, type.find(':'));
    spec.takes_path = kind == "DIR" || kind == "FILE" || kind == "PATH";
  }
  return spec;
}

bool shown(const CLI::Option* option) { return !option->get_group().empty(); }

}  // namespace

output::CommandTable read_command_table(const CLI::App& app, const std::string& default_command) {
  output::CommandTable table;
  table.program = app.get_name();
  table.summary = app.get_description();
  const std::string prefix = table.program + ": ";
  if (table.summary.rfind(prefix, 0) == 0) table.summary.erase(0, prefix.size());
  table.version = std::string("svcdiff ") + SVCDIFF_VERSION;
  table.default_command = default_command;
  table.environment = revision_variables();
  for (const CLI::Option* option : app.get_options(shown)) {
    table.global_options.push_back(read_option(*option));
  }
  std::vector<std::string> names;
  for (const CLI::App* command : app.get_subcommands({})) {
    output::CommandSpec spec;
    spec.name = command->get_name();
    spec.description = command->get_description();
    for (const CLI::Option* option : command->get_options(shown)) {
      (option->nonpositional() ? spec.options : spec.operands).push_back(read_option(*option));
    }
    names.push_back(spec.name);
    table.commands.push_back(std::move(spec));
  }
  // `help COMMAND` completes command names.
  for (auto& command : table.commands) {
    if (command.name == "help" && !command.operands.empty()) command.operands[0].choices = names;
  }
  return table;
}

}  // namespace svcdiff::cli
