// --files-from text from arbitrary bytes (the first byte chooses -z): the
// reader returns repository paths or throws a one-line usage error; every
// path it returns is non-empty and relative, the list sorted and unique, and
// each path, quoted the way git quotes it, reads back as itself.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "cli/files_from.hpp"
#include "core/error.hpp"
#include "fuzz_check.hpp"

namespace {

// git's C-style quoting (core.quotePath): `"`, `\` and every byte outside
// printable ASCII escaped, octal for the bytes without a letter escape.
std::string git_quoted(std::string_view path) {
  std::string quoted = "\"";
  for (const unsigned char c : path) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      char octal[5];
      std::snprintf(octal, sizeof octal, "\\%03o", c);
      quoted += octal;
    } else {
      quoted += static_cast<char>(c);
    }
  }
  return quoted + "\"";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool nul_separated = (data[0] & 1) != 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  using svcdiff::fuzz::require;
  try {
    const auto changes = svcdiff::cli::parse_files_from(text, nul_separated, "/repo", "input");
    for (std::size_t i = 0; i < changes.size(); ++i) {
      const std::string& path = changes[i].path;
      require(!path.empty() && path.front() != '/', "a path is non-empty and relative", path);
      if (i > 0) require(changes[i - 1].path < path, "paths are sorted and unique", path);
      const auto again = svcdiff::cli::parse_files_from(git_quoted(path), false, "/repo", "again");
      require(again.size() == 1 && again[0].path == path, "a git-quoted path reads back", path);
    }
  } catch (const svcdiff::Error& error) {
    require(error.code() == svcdiff::ExitCode::usage, "a bad line is a usage error", error.what());
    svcdiff::fuzz::require_one_line(error.what());
  }
  return 0;
}
