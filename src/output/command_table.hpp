#pragma once

#include <string>
#include <vector>

namespace svcdiff::output {

// The command line as completion scripts and the man page describe it:
// plain data, read from the parser's own table by cli (never a second list).
struct OptionSpec {
  std::vector<std::string> names;    // "-C", "--repo"
  std::string value;                 // the value's name ("DIR"); empty for a flag
  std::vector<std::string> choices;  // the values it accepts, when it says
  bool takes_path = false;           // complete file names
  std::string description;
};

struct CommandSpec {
  std::string name;
  std::string description;
  std::vector<OptionSpec> options;
  std::vector<OptionSpec> operands;  // positional arguments ("SERVICE"): names empty
};

struct CommandTable {
  std::string program;  // "svcdiff"
  std::string summary;  // one line: what the program does
  std::string version;  // "svcdiff 0.1.0"
  std::string default_command;
  std::vector<std::string> environment;  // the variables that choose the commits, in order
  std::vector<OptionSpec> global_options;
  std::vector<CommandSpec> commands;
};

}  // namespace svcdiff::output
