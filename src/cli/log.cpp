#include "cli/log.hpp"

#include <iostream>

namespace svcdiff::cli {

void Log::info(const std::string& line) const {
  if (!quiet_) std::cerr << "svcdiff: " << line << '\n';
}

void Log::warn(const std::string& line) const {
  if (!quiet_) std::cerr << "svcdiff: warning: " << line << '\n';
}

void Log::debug(const std::string& line) const {
  if (!quiet_ && verbosity_ > 0) std::cerr << "svcdiff: " << line << '\n';
}

}  // namespace svcdiff::cli
