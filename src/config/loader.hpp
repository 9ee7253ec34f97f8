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

// How a config file came to be read: `found` where svcdiff looks for one
// (svcdiff.yml in the work tree), which must be a regular file; `named` by
// the user (-c), which may also be a pipe or a FIFO (`-c <(make-config)`,
// `-c /dev/stdin`), read as any reader of one would, waiting for its writer.
enum class ConfigFileKind { found, named };

// Reads `path` (svcdiff::Error with ExitCode::runtime when it cannot): at
// most one byte more than kMaxConfigBytes, enough for parse_config to refuse.
std::string read_config_file(const std::string& path, const std::string& shown_name,
                             ConfigFileKind kind);

// read_config_file, then parse_config(text, shown_name).
Config load_config_file(const std::string& path, const std::string& shown_name,
                        ConfigFileKind kind);

}  // namespace svcdiff::config
