#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "output/command_table.hpp"

namespace svcdiff::cli {

// The commands and options of `app`, read from CLI11's own table, for the
// completion scripts and the man page. Options in no help group (hidden) are
// left out; an option whose value is named DIR, FILE or PATH completes paths;
// an IsMember check gives the choices.
output::CommandTable read_command_table(const CLI::App& app, const std::string& default_command);

}  // namespace svcdiff::cli
