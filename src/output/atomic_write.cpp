#include "output/atomic_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <utility>

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

// Closes a descriptor it owns.
struct Descriptor {
  int fd = -1;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

// /dev/stdout and its spellings name the descriptor svcdiff already holds:
// written as "-", through that descriptor, so a `>>` redirection still appends.
bool names_standard_output(const std::string& target) {
  return target == "/dev/stdout" || target == "/dev/fd/1" || target == "/proc/self/fd/1";
}

// Another open descriptor by name (/dev/stderr, /dev/fd/3): reopening it by
// path would truncate a file opened for appending, or land on svcdiff's own.
bool names_a_descriptor(const std::string& target) {
  return target == "/dev/stderr" || target.starts_with("/dev/fd/") ||
         target.starts_with("/proc/self/fd/");
}

// What is at `target` now (nothing: exists false), after the checks every
// write makes: a directory, or a link to a regular file or to nothing, is
// refused. A link to a device or pipe (/dev/stdout on a terminal) is not.
struct Target {
  bool exists = false;
  struct stat info {};
};

Target examine(const std::string& target) {
  Target found;
  found.exists = ::stat(target.c_str(), &found.info) == 0;
  struct stat link {};
  // Replacing a link would drop it; writing through it would write wherever
  // a committed link points.
  if (::lstat(target.c_str(), &link) == 0 && S_ISLNK(link.st_mode) &&
      (!found.exists || S_ISREG(found.info.st_mode))) {
    if (names_a_descriptor(target)) {
      throw runtime_error("cannot write " + target +
                          ": it names an open file descriptor, which svcdiff does not reopen; "
                          "use --output - and redirect standard output");
    }
    throw runtime_error("cannot write " + target +
                        ": it is a symbolic link, which svcdiff does not follow or replace; "
                        "remove it or name the real file with --output");
  }
  if (found.exists && S_ISDIR(found.info.st_mode)) {
    throw runtime_error("cannot write " + target +
                        ": it is a directory; name a file with --output");
  }
  return found;
}

void write_in_place(const std::string& target, const std::string& content) {
  Descriptor out{::open(target.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC)};
  if (out.fd < 0) throw write_error(target, "open", errno);
  write_all(out.fd, content, target);
}

}  // namespace

StagedFile::StagedFile(std::string target, const std::string& content)
    : target_(std::move(target)) {
  const Target found = examine(target_);
  if (found.exists && !S_ISREG(found.info.st_mode)) {
    throw runtime_error("cannot write " + target_ + ": it is not a regular file; remove it");
  }
  auto slash = target_.rfind('/');
  std::string dir = slash == std::string::npos ? "" : target_.substr(0, slash + 1);
  std::string base = slash == std::string::npos ? target_ : target_.substr(slash + 1);
  std::string temp = dir + "." + base + ".svcdiff-XXXXXX";
  Descriptor out{::mkstemp(temp.data())};
  if (out.fd < 0) {
    const int error = errno;
    throw write_error(target_, "create a temporary file in " + (dir.empty() ? "." : dir), error);
  }
  temp_ = std::move(temp);  // from here on the destructor removes it
  write_all(out.fd, content, target_);
  // Keep the mode an existing artifact had; a new one gets the usual 0644 less umask.
  mode_t mode = 0666;
  if (found.exists) {
    mode = found.info.st_mode & 07777;
  } else {
    mode_t mask = ::umask(0);
    ::umask(mask);
    mode &= ~mask;
  }
  if (::fchmod(out.fd, mode) != 0) throw write_error(target_, "chmod", errno);
  if (::fsync(out.fd) != 0) throw write_error(target_, "fsync", errno);
  const int fd = out.fd;
  out.fd = -1;
  if (::close(fd) != 0) throw write_error(target_, "close", errno);
}

StagedFile::StagedFile(StagedFile&& other) noexcept
    : target_(std::move(other.target_)), temp_(std::exchange(other.temp_, std::string())) {}

StagedFile::~StagedFile() {
  if (!temp_.empty()) ::unlink(temp_.c_str());
}

void StagedFile::commit() {
  if (::rename(temp_.c_str(), target_.c_str()) != 0) throw write_error(target_, "rename", errno);
  temp_.clear();
}

void write_output(const std::string& target, const std::string& content) {
  if (target == "-" || names_standard_output(target)) {
    std::cout << content << std::flush;
    if (!std::cout) throw runtime_error("cannot write to standard output");
    return;
  }
  const Target found = examine(target);
  if (found.exists && !S_ISREG(found.info.st_mode)) {
    write_in_place(target, content);
    return;
  }
  StagedFile(target, content).commit();
}

void append_output(const std::string& target, const std::string& content) {
  if (target == "-") {
    write_output(target, content);
    return;
  }
  Descriptor out{::open(target.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666)};
  if (out.fd < 0) throw write_error(target, "open", errno);
  // write_all issues a single write() unless the kernel takes less (a full disk).
  write_all(out.fd, content, target);
  const int fd = out.fd;
  out.fd = -1;
  if (::close(fd) != 0) throw write_error(target, "close", errno);
}

}  // namespace svcdiff::output
