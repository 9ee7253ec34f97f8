#include "output/man_page.hpp"

namespace svcdiff::output {
namespace {

// Text for roff: a backslash is its escape character, `-` in option names
// must be a real minus, and a line may not start with a control character.
std::string roff(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

std::string upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

std::string option_entry(const OptionSpec& option) {
  std::string out = ".TP\n";
  std::string names;
  for (const auto& name : option.names) {
    names += (names.empty() ? "" : ", ") + std::string("\\fB") + roff(name) + "\\fR";
  }
  out += names;
  if (!option.value.empty()) out += " \\fI" + roff(option.value) + "\\fR";
  out += "\n" + roff(option.description);
  if (!option.choices.empty()) {
    std::string choices;
    for (const auto& choice : option.choices) choices += (choices.empty() ? "" : ", ") + choice;
    out += " (" + roff(choices) + ")";
  }
  return out + "\n";
}

}  // namespace

std::string man_page(const CommandTable& table) {
  const std::string& p = table.program;
  std::string out = ".\\\" Written by `" + p + " help --man`; do not edit.\n";
  out += ".TH " + upper(p) + " 1 \"\" \"" + roff(table.version) + "\" \"User Commands\"\n";
  out += ".SH NAME\n" + p + " \\- " + roff(table.summary) + "\n";
  out += ".SH SYNOPSIS\n";
  for (const auto& command : table.commands) {
    out += ".B " + p + "\n";
    out += command.name == table.default_command ? "[\\fB" + command.name + "\\fR]"
                                                 : "\\fB" + command.name + "\\fR";
    out += " [\\fIoptions\\fR]";
    for (const auto& operand : command.operands) out += " [\\fI" + roff(operand.value) + "\\fR...]";
    out += "\n.br\n";
  }
  out += ".SH DESCRIPTION\n\\fB" + p + "\\fR: " + roff(table.summary) +
         ". Without a command, \\fB" + roff(table.default_command) +
         "\\fR runs. Logs, warnings and the summary go to standard error; standard output "
         "carries only data.\n";
  out += ".SH COMMANDS\n";
  for (const auto& command : table.commands) {
    out += ".SS " + roff(command.name) + "\n" + roff(command.description) + ".\n";
    for (const auto& operand : command.operands) out += option_entry(operand);
    for (const auto& option : command.options) out += option_entry(option);
  }
  out += ".SH GLOBAL OPTIONS\n";
  for (const auto& option : table.global_options) out += option_entry(option);
  if (!table.environment.empty()) {
    std::string names;
    for (const auto& name : table.environment) {
      names += (names.empty() ? "" : ", ") + std::string("\\fB") + roff(name) + "\\fR";
    }
    out +=
        ".SH ENVIRONMENT\nAfter \\fB\\-\\-head\\fR and \\fB\\-\\-base\\fR, these choose the "
        "head and base commits (see the README, \"Which commits\"): " +
        names + ".\n";
  }
  out +=
      ".SH EXIT STATUS\n"
      ".TP\n.B 0\nSuccess, also when nothing changed.\n"
      ".TP\n.B 1\nA runtime error: I/O, git.\n"
      ".TP\n.B 2\nA usage error.\n"
      ".TP\n.B 3\nA configuration error.\n"
      ".TP\n.B 4\nThe base is unknown under \\fB\\-\\-on\\-unknown\\-base fail\\fR.\n";
  out += ".SH SEE ALSO\n\\fBgit\\fR(1)\n";
  return out;
}

}  // namespace svcdiff::output
