#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace svcdiff::buildspec {

// One thing wrong with a buildspec; the cli prints `<file>:<line>: <message>`.
struct Problem {
  int line = 0;  // 1-based; the line of the key or value at fault
  std::string message;
};

// The largest buildspec svcdiff reads, as for svcdiff.yml: a bound on what a
// hostile file can make the YAML reader do.
inline constexpr std::size_t kMaxBuildspecBytes = std::size_t{1024} * 1024;  // 1 MiB

// Checks the text of one CodeBuild buildspec (SPEC §6): it parses as a single
// YAML document without duplicate keys, says `version: 0.2`, uses only known
// keys at each level (top level, env, phases and each phase, artifacts,
// secondary artifacts, reports, cache, proxy, batch), every `commands` and
// `finally` is a list of strings, `artifacts.files` and report `files` are
// lists of strings, variable names are valid environment variable names, and
// yes/no settings say yes or no. Unknown keys come with "did you mean".
// Returns the problems sorted by line; empty when the buildspec is fine. A
// text over kMaxBuildspecBytes is one problem, on line 1, and is not parsed.
std::vector<Problem> validate(std::string_view text);

// validate() on the file's contents. Throws svcdiff::Error (runtime) when the
// file cannot be read.
std::vector<Problem> validate_file(const std::filesystem::path& path);

}  // namespace svcdiff::buildspec
