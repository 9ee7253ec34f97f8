#pragma once

#include <string_view>

namespace svcdiff::match {

// git's wildmatch in WM_PATHNAME mode on raw bytes: `*`, `?` and `[...]` never
// match '/', and `**` as a whole segment spans directories. This is the bare
// matcher; the .gitignore rules on top of it live in Pattern.
bool wildmatch(std::string_view pattern, std::string_view text);

}  // namespace svcdiff::match
