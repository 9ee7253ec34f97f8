#include "cli/files_from.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "cli/standard_streams.hpp"
#include "cli/workspace.hpp"
#include "core/error.hpp"
#include "core/path_text.hpp"

namespace svcdiff::cli {
namespace {

// Standard input, or a file opened here and closed when done.
struct ListDescriptor {
  int fd = STDIN_FILENO;
  bool owned = false;
  ListDescriptor() = default;
  ListDescriptor(const ListDescriptor&) = delete;
  ListDescriptor& operator=(const ListDescriptor&) = delete;
  ~ListDescriptor() {
    if (owned) ::close(fd);
  }
};

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

std::string read_list(const std::string& source, const std::string& option) {
  const bool from_stdin = source == "-";
  const std::string what = from_stdin ? "cannot read standard input for " + option + ": "
                                      : "cannot read " + option + " " + source + ": ";
  const std::string advice =
      from_stdin ? "; pipe the paths in, one a line" : "; name the file that lists the paths";
  // An unreadable list read as empty would select nothing: every failure is an error.
  ListDescriptor list;
  if (!from_stdin) {
    list.fd = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
    if (list.fd < 0) {
      throw runtime_error(what + std::strerror(errno) +
                          "; check the path (relative to the current directory)");
    }
    list.owned = true;
  }
  // guard_standard_streams put /dev/null where a closed standard input was.
  if (from_stdin && closed_at_start().input) throw runtime_error(what + "it is closed" + advice);
  const int fd = list.fd;
  struct stat info {};
  if (::fstat(fd, &info) != 0) throw runtime_error(what + std::strerror(errno) + advice);
  if (S_ISDIR(info.st_mode)) {
    throw runtime_error(what + "it is a directory" + advice);
  }
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw runtime_error(what + std::strerror(errno) + advice);
    }
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

}  // namespace svcdiff::cli
