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

// parse_files_from over the file `source` ("-": stdin).
std::vector<ChangedPath> read_files_from(const std::string& source, bool nul_separated,
                                         const std::string& root);

}  // namespace svcdiff::cli
