#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "config/model.hpp"

namespace svcdiff::config {

// Limits on svcdiff.yml (SPEC §4); each error names the one it hit.
inline constexpr std::size_t kMaxConfigBytes = std::size_t{1024} * 1024;  // 1 MiB
inline constexpr int kMaxNestingDepth = 16;
inline constexpr std::size_t kMaxServices = 10000;
inline constexpr std::size_t kMaxListEntries = 10000;  // any one list or `vars` map
inline constexpr std::size_t kMaxStringBytes = 4096;   // any one value (patterns included)

// Parses svcdiff.yml text into the model. `file` is the name shown in
// messages. Checks the whole schema, but nothing that needs other services or
// the repository (unknown `depends_on` names, cycles, discovery). Throws
// svcdiff::Error (ExitCode::config) "<file>:<line>:<col>: error: <what>".
Config parse_config(std::string_view text, const std::string& file);

// Reads `path` (svcdiff::Error with ExitCode::runtime when it cannot): at
// most one byte more than kMaxConfigBytes, enough for parse_config to refuse.
std::string read_config_file(const std::string& path, const std::string& shown_name);

// read_config_file, then parse_config(text, shown_name).
Config load_config_file(const std::string& path, const std::string& shown_name);

}  // namespace svcdiff::config
