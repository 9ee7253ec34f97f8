#pragma once

namespace svcdiff::cli {

// The whole program: parses argv, runs one command, prints errors, and
// returns the exit status of SPEC §7. The only place that catches.
int run(int argc, char** argv);

}  // namespace svcdiff::cli
