// The buildspec validator on arbitrary bytes: it returns problems, each on
// one line with a line number inside the text, and never throws or crashes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "buildspec/validate.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  for (const auto& problem : svcdiff::buildspec::validate(text)) {
    svcdiff::fuzz::require_one_line(problem.message);
    svcdiff::fuzz::require(problem.line >= 0 && problem.line <= lines + 1,
                           "a problem's line is inside the text", problem.message);
  }
  return 0;
}
