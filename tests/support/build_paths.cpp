#include "support/build_paths.hpp"

namespace svcdiff::testing {

std::string svcdiff_binary() { return SVCDIFF_BINARY; }
std::string source_dir() { return SVCDIFF_SOURCE_DIR; }

}  // namespace svcdiff::testing
