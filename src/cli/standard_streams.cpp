#include "cli/standard_streams.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <iostream>

namespace svcdiff::cli {
namespace {

ClosedStreams closed;

// Opens `device` as descriptor `fd`, which is closed: open() returns the
// lowest free number, which is `fd` when every lower one is open.
bool reopen(int fd, const char* device, int flags) {
  const int opened = ::open(device, flags | O_CLOEXEC);
  if (opened < 0) return false;
  if (opened == fd) {
    ::fcntl(fd, F_SETFD, 0);  // as inherited: not closed on exec
    return true;
  }
  const bool moved = ::dup2(opened, fd) == fd;
  ::close(opened);
  return moved;
}

bool is_closed(int fd) { return ::fcntl(fd, F_GETFD) < 0 && errno == EBADF; }

}  // namespace

void guard_standard_streams() {
  closed.input = is_closed(STDIN_FILENO);
  if (closed.input) reopen(STDIN_FILENO, "/dev/null", O_RDONLY);
  closed.output = is_closed(STDOUT_FILENO);
  // /dev/full: what is written fails, and the run says so (flush_standard_output).
  if (closed.output) reopen(STDOUT_FILENO, "/dev/full", O_WRONLY);
  closed.error = is_closed(STDERR_FILENO);
  if (closed.error) reopen(STDERR_FILENO, "/dev/null", O_WRONLY);
}

const ClosedStreams& closed_at_start() { return closed; }

bool flush_standard_output(const char** reason) {
  std::cout.flush();
  const bool lost = std::fflush(stdout) != 0 || std::ferror(stdout) != 0 || !std::cout.good();
  if (!lost) return true;
  // errno no longer tells: the write that failed may have been any buffer's.
  *reason = closed.output ? "it was closed when svcdiff started"
                          : "a write failed (a full disk, or a pipe or file closed early)";
  return false;
}

}  // namespace svcdiff::cli
