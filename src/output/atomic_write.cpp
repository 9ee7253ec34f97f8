#include "output/atomic_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "core/error.hpp"

namespace svcdiff::output {
namespace {

Error write_error(const std::string& target, const std::string& what, int error) {
  return runtime_error("cannot write " + target + ": " + what + ": " + std::strerror(error) +
                       "; check the directory exists and is writable");
}

void write_all(int fd, const std::string& content, const std::string& target) {
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw write_error(target, "write", errno);
    }
    done += static_cast<std::size_t>(n);
  }
}

// Closes a descriptor and removes a temporary file unless released.
struct TempFile {
  int fd = -1;
  std::string path;
  bool keep = false;
  ~TempFile() {
    if (fd >= 0) ::close(fd);
    if (!keep && !path.empty()) ::unlink(path.c_str());
  }
};

}  // namespace

void write_output(const std::string& target, const std::string& content) {
  if (target == "-") {
    std::cout << content << std::flush;
    if (!std::cout) throw runtime_error("cannot write to standard output");
    return;
  }
  struct stat info {};
  bool exists = ::stat(target.c_str(), &info) == 0;
  struct stat link {};
  // A link to a regular file (or to nothing) is refused: replacing it would
  // drop the link, writing through it would write wherever a committed link
  // points. A link to a device or pipe (/dev/stdout) is written in place below.
  if (::lstat(target.c_str(), &link) == 0 && S_ISLNK(link.st_mode) &&
      (!exists || S_ISREG(info.st_mode))) {
    throw runtime_error("cannot write " + target +
                        ": it is a symbolic link, which svcdiff does not follow or replace; "
                        "remove it or name the real file with --output");
  }
  if (exists && !S_ISREG(info.st_mode)) {
    if (S_ISDIR(info.st_mode)) {
      throw runtime_error("cannot write " + target +
                          ": it is a directory; name a file with --output");
    }
    int fd = ::open(target.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) throw write_error(target, "open", errno);
    TempFile guard{fd, "", true};
    write_all(fd, content, target);
    return;
  }

  auto slash = target.rfind('/');
  std::string dir = slash == std::string::npos ? "" : target.substr(0, slash + 1);
  std::string base = slash == std::string::npos ? target : target.substr(slash + 1);
  TempFile temp;
  temp.path = dir + "." + base + ".svcdiff-XXXXXX";
  temp.fd = ::mkstemp(temp.path.data());
  if (temp.fd < 0) {
    int error = errno;
    temp.path.clear();
    throw write_error(target, "create a temporary file in " + (dir.empty() ? "." : dir), error);
  }
  write_all(temp.fd, content, target);
  // Keep the mode an existing artifact had; a new one gets the usual 0644 less umask.
  mode_t mode = 0666;
  if (exists) {
    mode = info.st_mode & 07777;
  } else {
    mode_t mask = ::umask(0);
    ::umask(mask);
    mode &= ~mask;
  }
  if (::fchmod(temp.fd, mode) != 0) throw write_error(target, "chmod", errno);
  if (::fsync(temp.fd) != 0) throw write_error(target, "fsync", errno);
  if (::close(temp.fd) != 0) {
    temp.fd = -1;
    throw write_error(target, "close", errno);
  }
  temp.fd = -1;
  if (::rename(temp.path.c_str(), target.c_str()) != 0) throw write_error(target, "rename", errno);
  temp.keep = true;
}

void append_output(const std::string& target, const std::string& content) {
  if (target == "-") {
    write_output(target, content);
    return;
  }
  int fd = ::open(target.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) throw write_error(target, "open", errno);
  TempFile guard{fd, "", true};
  // write_all issues a single write() unless the kernel takes less (a full disk).
  write_all(fd, content, target);
  if (::close(fd) != 0) {
    guard.fd = -1;
    throw write_error(target, "close", errno);
  }
  guard.fd = -1;
}

}  // namespace svcdiff::output
