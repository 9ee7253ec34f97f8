#pragma once

#include <string>

#include "output/command_table.hpp"

namespace svcdiff::output {

// The svcdiff(1) man page in roff (man macros), written from the same table
// as --help and the completion scripts.
std::string man_page(const CommandTable& table);

}  // namespace svcdiff::output
