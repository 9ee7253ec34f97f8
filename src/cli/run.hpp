#pragma once

#include <string>

#include "core/error.hpp"

namespace svcdiff::cli {

// The whole program: parses argv, runs one command, prints errors, and
// returns the exit status of SPEC §7. The only place that catches.
int run(int argc, char** argv);

// The one line an error prints as: "<file>:<line>:<col>: error: <message>"
// when its location is known, else "svcdiff: error: <message>".
std::string error_line(const Error& error);

}  // namespace svcdiff::cli
