#pragma once

#include <optional>
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

// A position in a file, for messages. line 0: unknown; column 0: the whole line.
struct Location {
  std::string file;
  int line = 0;
  int column = 0;

  bool known() const { return !file.empty() && line > 0; }
  friend bool operator==(const Location&, const Location&) = default;
};

// The one error type thrown inside svcdiff. `what()` is the one-line message
// alone; cli::run adds "svcdiff: error: " or, with a location,
// "<file>:<line>:<col>: error: ".
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  Error(ExitCode code, const std::string& message, Location location)
      : std::runtime_error(message), code_(code) {
    if (location.known()) location_ = std::move(location);
  }
  ExitCode code() const { return code_; }
  const std::optional<Location>& location() const { return location_; }

 private:
  ExitCode code_;
  std::optional<Location> location_;
};

inline Error runtime_error(const std::string& message) { return Error(ExitCode::runtime, message); }
inline Error usage_error(const std::string& message) { return Error(ExitCode::usage, message); }
inline Error config_error(const std::string& message) { return Error(ExitCode::config, message); }
// A config error at `location` (without a position when it is unknown).
inline Error config_error_at(Location location, const std::string& message) {
  return Error(ExitCode::config, message, std::move(location));
}

}  // namespace svcdiff
