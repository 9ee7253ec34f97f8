#pragma once

#include <string>

namespace svcdiff::cli {

// Logs, warnings and the human summary, all on stderr (stdout carries only
// data). -q silences everything here; errors are printed by run() itself.
class Log {
 public:
  Log(bool quiet, int verbosity) : quiet_(quiet), verbosity_(verbosity) {}
  void info(const std::string& line) const;
  void warn(const std::string& line) const;
  void debug(const std::string& line) const;
  // Whether debug() prints: -v lists every changed path, so none may be left out.
  bool shows_debug() const { return !quiet_ && verbosity_ > 0; }

 private:
  bool quiet_;
  int verbosity_;
};

}  // namespace svcdiff::cli
