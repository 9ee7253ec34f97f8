#pragma once

#include <stdexcept>
#include <string>

namespace svcdiff {

// Exit statuses of SPEC §7. The cli maps every escaped error to one of these.
enum class ExitCode : int {
  ok = 0,
  runtime = 1,       // I/O, git
  usage = 2,         // bad command line
  config = 3,        // svcdiff.yml or a buildspec is wrong
  unknown_base = 4,  // no usable base under --on-unknown-base fail
};

// The one error type thrown inside svcdiff. `what()` is the full one-line
// message without the "svcdiff: error: " prefix, which the cli adds unless the
// message already starts with a file position.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message, bool has_position = false)
      : std::runtime_error(message), code_(code), has_position_(has_position) {}
  ExitCode code() const { return code_; }
  // True when the message starts with `file:line:col:` (printed as is).
  bool has_position() const { return has_position_; }

 private:
  ExitCode code_;
  bool has_position_;
};

inline Error runtime_error(const std::string& message) { return Error(ExitCode::runtime, message); }
inline Error usage_error(const std::string& message) { return Error(ExitCode::usage, message); }
inline Error config_error(const std::string& message) { return Error(ExitCode::config, message); }
// A config error at a known position: "<file>:<line>:<col>: error: <message>".
inline Error config_error_at(const std::string& file, int line, int column,
                             const std::string& message) {
  std::string text = file + ":" + std::to_string(line);
  if (column > 0) text += ":" + std::to_string(column);
  return Error(ExitCode::config, text + ": error: " + message, true);
}

}  // namespace svcdiff
