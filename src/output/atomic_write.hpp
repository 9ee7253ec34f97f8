#pragma once

#include <string>

namespace svcdiff::output {

// `content` written to a temporary file beside `target` (fsynced, with the
// mode an existing target has) and renamed onto it by commit(); destroyed
// uncommitted, it removes the temporary. Files that must appear together or
// not at all (the --s3-split wave files and their artifact) are staged, then
// committed once nothing can fail but the renames. The target must be a
// regular file or nothing; throws svcdiff::Error (runtime) naming it.
class StagedFile {
 public:
  StagedFile(std::string target, const std::string& content);
  StagedFile(StagedFile&& other) noexcept;
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;
  StagedFile& operator=(StagedFile&&) = delete;
  ~StagedFile();
  void commit();

 private:
  std::string target_;
  std::string temp_;  // empty once committed (or moved from)
};

// Writes `content` to `target` so that a reader sees the old file or the new
// one, never a part: a temporary file beside it, fsync, then rename. "-" is
// stdout, and so are /dev/stdout, /dev/fd/1 and /proc/self/fd/1; an existing
// target that is not a regular file (/dev/null, a pipe) is written in place.
// Throws svcdiff::Error (runtime) naming the file.
void write_output(const std::string& target, const std::string& content);

// Appends `content` to `target` (created if missing) in one write() on an
// O_APPEND descriptor: GitHub's $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY
// protocol is append, and one write keeps a block whole among other steps'
// writes. The one exception to the atomic write. "-" is stdout.
void append_output(const std::string& target, const std::string& content);

}  // namespace svcdiff::output
