// svcdiff.yml from arbitrary bytes: parse_config either returns a model or
// throws a one-line configuration error; anything else (another exception,
// a crash, a sanitizer report, a hang) is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/loader.hpp"
#include "core/error.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const svcdiff::config::Config config = svcdiff::config::parse_config(text, "svcdiff.yml");
    svcdiff::fuzz::require(config.services.size() <= svcdiff::config::kMaxServices,
                           "no more services than the limit");
  } catch (const svcdiff::Error& error) {
    svcdiff::fuzz::require(error.code() == svcdiff::ExitCode::config, "a config error exits 3",
                           error.what());
    svcdiff::fuzz::require_one_line(error.what());
  }
  return 0;
}
