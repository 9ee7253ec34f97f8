#include "cli/files_from.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/workspace.hpp"
#include "core/error.hpp"
#include "core/path_text.hpp"

namespace svcdiff::cli {
namespace {

// `git diff --name-status` output: a status letter (with a score for
// renames and copies), a tab, the path. A real name with a tab is quoted.
bool is_name_status_line(std::string_view line) {
  const std::size_t tab = line.find('\t');
  if (tab == std::string_view::npos || tab == 0) return false;
  if (std::string_view("ACDMRTUXB").find(line[0]) == std::string_view::npos) return false;
  return std::all_of(line.begin() + 1, line.begin() + static_cast<std::ptrdiff_t>(tab),
                     [](char c) { return c >= '0' && c <= '9'; });
}

// One --files-from entry as a repository path: git's quoting undone, an
// absolute path inside the repository made relative; what cannot be a
// repository path is a usage error at its line.
ChangedPath files_from_entry(std::string line, bool nul_separated, const std::string& root,
                             const Location& at) {
  if (!nul_separated && !line.empty() && line.front() == '"') {
    auto unquoted = unquote_git_path(line);
    if (!unquoted) {
      throw Error(ExitCode::usage,
                  "`" + message_text(line) + "` is not a path as git quotes one; check the quoting",
                  at);
    }
    line = std::move(*unquoted);
  } else if (!nul_separated && is_name_status_line(line)) {
    throw Error(ExitCode::usage,
                "`" + message_text(line) +
                    "` is a `git diff --name-status` line; give svcdiff `git diff --name-only` "
                    "output",
                at);
  }
  if (!line.empty() && line.front() == '/') {
    auto relative = repository_relative(line, root);
    if (!relative) {
      throw Error(ExitCode::usage,
                  "`" + message_text(line) + "` is outside the repository (" + root +
                      "); give paths relative to its root",
                  at);
    }
    line = std::move(*relative);
  }
  // git never prints a `..` segment, and matching "a/../b/f" as written
  // would select what lies under `a/` too.
  for (std::size_t start = 0; start <= line.size();) {
    std::size_t end = line.find('/', start);
    if (end == std::string::npos) end = line.size();
    if (line.compare(start, end - start, "..") == 0) {
      throw Error(ExitCode::usage,
                  "`" + message_text(line) +
                      "` has a `..` segment; give repository paths as git prints them",
                  at);
    }
    start = end + 1;
  }
  return given_path(std::move(line));
}

}  // namespace

std::vector<ChangedPath> parse_files_from(std::string_view text, bool nul_separated,
                                          const std::string& root, const std::string& source_name) {
  const char separator = nul_separated ? '\0' : '\n';
  Location at{source_name, 0, 0};
  std::vector<ChangedPath> changes;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(start, end - start));
    start = end + 1;
    ++at.line;
    if (!nul_separated && !line.empty() && line.back() == '\r') line.pop_back();
    ChangedPath change = files_from_entry(std::move(line), nul_separated, root, at);
    if (!change.path.empty()) changes.push_back(std::move(change));
  }
  sort_unique_by_path(changes);
  return changes;
}

std::vector<ChangedPath> read_files_from(const std::string& source, bool nul_separated,
                                         const std::string& root) {
  std::string text;
  if (source == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::ifstream in(source, std::ios::binary);
    if (!in)
      throw runtime_error("cannot read --files-from " + source + ": no such file or not readable");
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  return parse_files_from(text, nul_separated, root, source == "-" ? "<stdin>" : source);
}

}  // namespace svcdiff::cli
