// Pattern compilation and matching on arbitrary bytes. The first line is the
// pattern, every further line a path. Compiling either works or throws a
// one-line config error; matching never crashes, and whenever a pattern
// matches a path, may_match_below() is true for every directory above it
// (the tree walk skips subtrees on its word, so a wrong "no" loses changes).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "fuzz_check.hpp"
#include "match/pattern.hpp"
#include "match/wildmatch.hpp"

namespace {

// A path as git hands them over: relative, no empty, `.` or `..` segment.
bool is_git_path(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.back() == '/') return false;
  const std::string wrapped = "/" + std::string(path) + "/";
  return wrapped.find("//") == std::string::npos && wrapped.find("/./") == std::string::npos &&
         wrapped.find("/../") == std::string::npos;
}

void check_path(const svcdiff::match::Pattern& pattern, std::string_view path) {
  if (!is_git_path(path)) return;
  for (const bool is_dir : {false, true}) {
    if (!pattern.matches(path, is_dir)) continue;
    for (std::size_t slash = path.find('/'); slash != std::string_view::npos;
         slash = path.find('/', slash + 1)) {
      svcdiff::fuzz::require(pattern.may_match_below(path.substr(0, slash)) ||
                                 pattern.matches_directory(path.substr(0, slash)),
                             "a matching path's directory may match below", path);
    }
    svcdiff::fuzz::require(pattern.may_match_below(""), "the root may match below", path);
  }
  (void)pattern.matches_directory(path);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view source = input.substr(0, newline);
  // The bare matcher takes any pattern, even one the config would refuse.
  (void)svcdiff::match::wildmatch(source, input);
  try {
    const svcdiff::match::Pattern pattern = svcdiff::match::Pattern::compile(source);
    std::size_t start = newline == std::string_view::npos ? input.size() : newline + 1;
    while (start < input.size()) {
      std::size_t end = input.find('\n', start);
      if (end == std::string_view::npos) end = input.size();
      check_path(pattern, input.substr(start, end - start));
      start = end + 1;
    }
  } catch (const svcdiff::Error& error) {
    svcdiff::fuzz::require(error.code() == svcdiff::ExitCode::config, "a bad pattern exits 3",
                           error.what());
    svcdiff::fuzz::require_one_line(error.what());
  }
  return 0;
}
