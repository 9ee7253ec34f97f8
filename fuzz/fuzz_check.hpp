#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace svcdiff::fuzz {

// A property the code must keep on every input: print what broke and abort,
// which libFuzzer reports as a finding and saves the input for.
inline void require(bool ok, const char* what, std::string_view detail = {}) {
  if (ok) return;
  std::fprintf(stderr, "fuzz: property broken: %s: %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

// An svcdiff error message is one line (SPEC: errors are one line).
inline void require_one_line(std::string_view message) {
  require(!message.empty() && message.find('\n') == std::string_view::npos &&
              message.find('\r') == std::string_view::npos,
          "an error message is one non-empty line", message);
}

}  // namespace svcdiff::fuzz
