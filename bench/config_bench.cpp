// Parsing a large explicit svcdiff.yml: yaml-cpp's floor for `changed` with a
// hand-written config (issue 10). 300 and 3,000 services, each with paths,
// depends_on and vars; items_per_second is services a second, bytes_per_second
// the config's size. Was a 2-second limit in the unit tests; a timing is a
// measurement, not a test.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <string>

#include "config/loader.hpp"

namespace {

std::string large_config(std::size_t services) {
  std::string text = "version: 1\nservices:\n";
  for (std::size_t i = 0; i < services; ++i) {
    const std::string name = "service_" + std::to_string(i);
    text += "  " + name + ":\n";
    text += "    paths: [\"services/" + name + "/\"]\n";
    text += "    depends_on: [common]\n    vars: {STAGE: prod}\n";
  }
  return text;
}

void BM_ParseConfig(benchmark::State& state) {
  const auto services = static_cast<std::size_t>(state.range(0));
  const std::string text = large_config(services);
  for (auto _ : state) {
    benchmark::DoNotOptimize(svcdiff::config::parse_config(text, "svcdiff.yml"));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * services));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseConfig)->Arg(300)->Arg(3000)->Unit(benchmark::kMillisecond);

}  // namespace
