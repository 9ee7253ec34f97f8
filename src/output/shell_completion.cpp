#include "output/shell_completion.hpp"

namespace svcdiff::output {
namespace {

std::string joined(const std::vector<std::string>& words, const std::string& separator = " ") {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : separator) + word;
  return out;
}

std::vector<std::string> command_names(const CommandTable& table) {
  std::vector<std::string> names;
  for (const auto& command : table.commands) names.push_back(command.name);
  return names;
}

const CommandSpec* find_command(const CommandTable& table, const std::string& name) {
  for (const auto& command : table.commands) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

// Options in effect after `command`: the global ones and the command's own.
std::vector<const OptionSpec*> options_of(const CommandTable& table, const CommandSpec* command) {
  std::vector<const OptionSpec*> options;
  for (const auto& option : table.global_options) options.push_back(&option);
  if (command != nullptr) {
    for (const auto& option : command->options) options.push_back(&option);
  }
  return options;
}

// Text inside single quotes for a POSIX shell, zsh and fish alike.
std::string single_quoted(const std::string& text, const std::string& quote_escape) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += quote_escape;
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string sh_quoted(const std::string& text) { return single_quoted(text, "'\\''"); }

std::string bash_script(const CommandTable& table) {
  const std::string& p = table.program;
  const CommandSpec* fallback = find_command(table, table.default_command);
  std::string out = "# bash completion for " + p + " (written by `" + p +
                    " completion bash`)\n"
                    "_" +
                    p +
                    "() {\n"
                    "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
                    "  local command='' i\n"
                    "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
                    "    case ${COMP_WORDS[i]} in\n"
                    "      " +
                    joined(command_names(table), "|") +
                    ") command=${COMP_WORDS[i]}; break ;;\n"
                    "    esac\n"
                    "  done\n";
  // The value of the option just typed.
  std::vector<std::string> path_options;
  std::vector<std::string> plain_options;
  std::string choice_cases;
  auto add_value_options = [&](const std::vector<OptionSpec>& options) {
    for (const auto& option : options) {
      if (option.value.empty()) continue;
      const std::string names = joined(option.names, "|");
      if (!option.choices.empty()) {
        choice_cases += "    " + names + ") mapfile -t COMPREPLY < <(compgen -W " +
                        sh_quoted(joined(option.choices)) + " -- \"$cur\"); return ;;\n";
      } else if (option.takes_path) {
        path_options.push_back(names);
      } else {
        plain_options.push_back(names);
      }
    }
  };
  add_value_options(table.global_options);
  for (const auto& command : table.commands) add_value_options(command.options);
  out += "  case $prev in\n" + choice_cases;
  if (!path_options.empty()) {
    out += "    " + joined(path_options, "|") +
           ") mapfile -t COMPREPLY < <(compgen -f -- \"$cur\"); return ;;\n";
  }
  if (!plain_options.empty()) out += "    " + joined(plain_options, "|") + ") return ;;\n";
  out += "  esac\n  local words\n  case $command in\n";
  auto option_words = [&](const CommandSpec* command) {
    std::vector<std::string> words;
    for (const OptionSpec* option : options_of(table, command)) {
      for (const auto& name : option->names) words.push_back(name);
    }
    return joined(words);
  };
  for (const auto& command : table.commands) {
    std::string words = option_words(&command);
    for (const auto& operand : command.operands) {
      for (const auto& choice : operand.choices) words += " " + choice;
    }
    out += "    " + command.name + ") words=" + sh_quoted(words) + " ;;\n";
  }
  // No command yet: the commands, and the options of the default command.
  out += "    *) words=" + sh_quoted(joined(command_names(table)) + " " + option_words(fallback)) +
         " ;;\n  esac\n"
         "  mapfile -t COMPREPLY < <(compgen -W \"$words\" -- \"$cur\")\n"
         "}\n"
         "complete -o default -F _" +
         p + " " + p + "\n";
  return out;
}

// A zsh _arguments description: brackets and colons are its syntax.
std::string zsh_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '[' || c == ']' || c == ':' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string zsh_quoted(const std::string& text) { return single_quoted(text, "'\\''"); }

std::string zsh_option_specs(const std::vector<const OptionSpec*>& options) {
  std::string out;
  for (const OptionSpec* option : options) {
    std::string action;
    if (!option->value.empty()) {
      action = ":" + zsh_text(option->value) + ":";
      if (!option->choices.empty()) {
        action += "(" + joined(option->choices) + ")";
      } else if (option->takes_path) {
        action += "_files";
      } else {
        action += " ";
      }
    }
    for (const auto& name : option->names) {
      out += "    " + zsh_quoted(name + "[" + zsh_text(option->description) + "]" + action) + "\n";
    }
  }
  return out;
}

std::string zsh_script(const CommandTable& table) {
  const std::string& p = table.program;
  std::string commands;
  for (const auto& command : table.commands) {
    commands += "    " + zsh_quoted(zsh_text(command.name) + ":" + command.description) + "\n";
  }
  std::string out = "#compdef " + p + "\n# zsh completion for " + p + " (written by `" + p +
                    " completion zsh`)\n"
                    "_" +
                    p +
                    "() {\n"
                    "  local -a commands args\n"
                    "  commands=(\n" +
                    commands +
                    "  )\n"
                    "  local command='' word\n"
                    "  for word in ${words[2,CURRENT-1]}; do\n"
                    "    case $word in\n"
                    "      (" +
                    joined(command_names(table), "|") +
                    ") command=$word; break ;;\n"
                    "    esac\n"
                    "  done\n"
                    "  case $command in\n";
  for (const auto& command : table.commands) {
    out += "    (" + command.name + ")\n      args=(\n" +
           zsh_option_specs(options_of(table, &command));
    for (std::size_t i = 0; i < command.operands.size(); ++i) {
      const OptionSpec& operand = command.operands[i];
      const std::string position = i + 1 == command.operands.size() ? "*" : std::to_string(i + 1);
      const std::string action = operand.choices.empty() ? (operand.takes_path ? "_files" : " ")
                                                         : "(" + joined(operand.choices) + ")";
      out += "    " + zsh_quoted(position + ":" + zsh_text(operand.value) + ":" + action) + "\n";
    }
    out += "      ) ;;\n";
  }
  out += "    (*)\n      args=(\n" +
         zsh_option_specs(options_of(table, find_command(table, table.default_command))) +
         "    '1: :->command'\n      ) ;;\n"
         "  esac\n"
         "  local state\n"
         "  _arguments -s $args\n"
         "  if [[ $state == command ]]; then\n"
         "    _describe -t commands '" +
         p +
         " command' commands\n"
         "  fi\n"
         "}\n"
         "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n"
         "  _" +
         p +
         " \"$@\"\n"
         "else\n"
         "  compdef _" +
         p + " " + p +
         "\n"
         "fi\n";
  return out;
}

std::string fish_quoted(const std::string& text) { return single_quoted(text, "\\'"); }

std::string fish_option(const std::string& program, const std::string& condition,
                        const OptionSpec& option) {
  std::string out = "complete -c " + program + " -n " + fish_quoted(condition);
  for (const auto& name : option.names) {
    if (name.rfind("--", 0) == 0) {
      out += " -l " + name.substr(2);
    } else if (name.size() == 2) {
      out += " -s " + name.substr(1);
    } else {
      out += " -o " + name.substr(1);
    }
  }
  if (!option.value.empty()) {
    out += option.takes_path ? " -r -F" : " -x";
    if (!option.choices.empty()) out += " -a " + fish_quoted(joined(option.choices));
  }
  return out + " -d " + fish_quoted(option.description) + "\n";
}

std::string fish_script(const CommandTable& table) {
  const std::string& p = table.program;
  const std::string names = joined(command_names(table));
  const std::string no_command = "not __fish_seen_subcommand_from " + names;
  std::string out = "# fish completion for " + p + " (written by `" + p + " completion fish`)\n";
  out += "complete -c " + p + " -f\n";
  for (const auto& command : table.commands) {
    out += "complete -c " + p + " -n " + fish_quoted(no_command) + " -a " + command.name + " -d " +
           fish_quoted(command.description) + "\n";
  }
  for (const auto& option : table.global_options) out += fish_option(p, "true", option);
  if (const CommandSpec* fallback = find_command(table, table.default_command)) {
    for (const auto& option : fallback->options) out += fish_option(p, no_command, option);
  }
  for (const auto& command : table.commands) {
    const std::string seen = "__fish_seen_subcommand_from " + command.name;
    for (const auto& option : command.options) out += fish_option(p, seen, option);
    for (const auto& operand : command.operands) {
      if (!operand.choices.empty()) {
        out += "complete -c " + p + " -n " + fish_quoted(seen) + " -a " +
               fish_quoted(joined(operand.choices)) + "\n";
      } else if (operand.takes_path) {
        out += "complete -c " + p + " -n " + fish_quoted(seen) + " -F\n";
      }
    }
  }
  return out;
}

}  // namespace

const std::vector<std::string>& completion_shells() {
  static const std::vector<std::string> shells{"bash", "zsh", "fish"};
  return shells;
}

std::optional<std::string> completion_script(const CommandTable& table, std::string_view shell) {
  if (shell == "bash") return bash_script(table);
  if (shell == "zsh") return zsh_script(table);
  if (shell == "fish") return fish_script(table);
  return std::nullopt;
}

}  // namespace svcdiff::output
