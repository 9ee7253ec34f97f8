#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "output/command_table.hpp"

namespace svcdiff::output {

// The shells `svcdiff completion` writes a script for.
const std::vector<std::string>& completion_shells();

// The completion script for `shell` (one of completion_shells()), or nullopt
// for another shell. Every command and option of `table` appears in it.
std::optional<std::string> completion_script(const CommandTable& table, std::string_view shell);

}  // namespace svcdiff::output
