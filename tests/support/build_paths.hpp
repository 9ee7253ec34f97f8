#pragma once

#include <string>

namespace svcdiff::testing {

// Where CMake put the svcdiff binary, and the source tree the test data is
// read from. Only build_paths.cpp is compiled with these paths, so every other
// test object is the same in any checkout and compiler caches share it.
std::string svcdiff_binary();
std::string source_dir();

}  // namespace svcdiff::testing
