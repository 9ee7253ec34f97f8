#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/changed_path.hpp"

namespace svcdiff::cli {

// The changed paths of `--files-from` text (`git diff --name-only` output, or
// NUL-separated with -z): git's C-style quoting undone, absolute paths inside
// `root` made repository-relative, sorted and unique. A line that cannot be a
// repository path (a `--name-status` line, broken quoting, a path outside the
// repository) is a usage error naming `source_name` and the line.
std::vector<ChangedPath> parse_files_from(std::string_view text, bool nul_separated,
                                          const std::string& root, const std::string& source_name);

// The whole of the list `source` names ("-": standard input), for `option`
// ("--files-from", "owners --stdin") to name in messages. A list that cannot
// be read (closed standard input, a directory, a read error) is a runtime
// error, never an empty list.
std::string read_list(const std::string& source, const std::string& option);

}  // namespace svcdiff::cli
