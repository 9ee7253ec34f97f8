// PathClassifier (the path -> service index) on 1,000,000 paths against 50,
// 500 and 5,000 services, configured the way a large monorepo is: two
// directory patterns a service (its directory and a shared file), an
// exclude, a few unanchored ignore patterns and one global directory. The
// target (issue 10) is at least a million paths a second at 5,000 services;
// items_per_second in the output is paths a second.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include "match/path_classifier.hpp"
#include "match/pattern.hpp"

namespace {

using svcdiff::match::PathClassifier;
using svcdiff::match::Pattern;
using svcdiff::match::ServicePatterns;

constexpr std::size_t kPaths = 1'000'000;

std::string service_dir(std::size_t i) {
  return "services/domain" + std::to_string(i % 40) + "/svc" + std::to_string(i);
}

PathClassifier make_classifier(std::size_t services) {
  std::vector<ServicePatterns> patterns;
  patterns.reserve(services);
  for (std::size_t i = 0; i < services; ++i) {
    ServicePatterns service;
    service.name = "svc" + std::to_string(i);
    service.paths.push_back(Pattern::compile(service_dir(i) + "/"));
    service.paths.push_back(Pattern::compile("config/svc" + std::to_string(i) + ".json"));
    service.exclude.push_back(Pattern::compile(service_dir(i) + "/src/generated/"));
    patterns.push_back(std::move(service));
  }
  std::vector<Pattern> ignore{Pattern::compile("**/*.md"), Pattern::compile("docs/"),
                              Pattern::compile("*.tmp")};
  std::vector<Pattern> global{Pattern::compile("tools/ci/")};
  return {std::move(ignore), std::move(global), std::move(patterns)};
}

// Paths spread over the services, with some in shared places, ignored files
// and files nobody owns; the same list for every service count.
std::vector<std::string> make_paths(std::size_t services) {
  std::mt19937 random(10);
  std::vector<std::string> paths;
  paths.reserve(kPaths);
  for (std::size_t i = 0; i < kPaths; ++i) {
    const std::size_t service = random() % services;
    switch (random() % 10) {
      case 0:
        paths.push_back(service_dir(service) + "/README.md");
        break;
      case 1:
        paths.push_back("libs/lib" + std::to_string(service % 50) + "/src/file.ts");
        break;
      case 2:
        paths.push_back(service_dir(service) + "/src/generated/gen" + std::to_string(i) + ".py");
        break;
      default:
        paths.push_back(service_dir(service) + "/src/pkg" + std::to_string(i % 7) + "/mod" +
                        std::to_string(i) + ".py");
    }
  }
  return paths;
}

void BM_Classify(benchmark::State& state) {
  const auto services = static_cast<std::size_t>(state.range(0));
  const PathClassifier classifier = make_classifier(services);
  const std::vector<std::string> paths = make_paths(services);
  std::size_t owned = 0;
  for (auto _ : state) {
    for (const auto& path : paths) {
      owned += classifier.classify(path, false).owners.size();
    }
  }
  benchmark::DoNotOptimize(owned);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * paths.size()));
}
BENCHMARK(BM_Classify)->Arg(50)->Arg(500)->Arg(5000)->Unit(benchmark::kMillisecond);

// Building the index once per run: compiling every pattern and filing it.
void BM_BuildClassifier(benchmark::State& state) {
  const auto services = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    benchmark::DoNotOptimize(make_classifier(services));
  }
}
BENCHMARK(BM_BuildClassifier)->Arg(50)->Arg(500)->Arg(5000)->Unit(benchmark::kMillisecond);

}  // namespace
