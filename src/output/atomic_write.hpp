#pragma once

#include <string>

namespace svcdiff::output {

// Writes `content` to `target` so that a reader sees the old file or the new
// one, never a part: a temporary file beside it, fsync, then rename. "-" is
// stdout; an existing target that is not a regular file (/dev/null, a pipe)
// is written in place. Throws svcdiff::Error (runtime) naming the file.
void write_output(const std::string& target, const std::string& content);

// Appends `content` to `target` (created if missing) in one write() on an
// O_APPEND descriptor: GitHub's $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY
// protocol is append, and one write keeps a block whole among other steps'
// writes. The one exception to the atomic write. "-" is stdout.
void append_output(const std::string& target, const std::string& content);

}  // namespace svcdiff::output
