// The result cache (src/cache) against no cache on varied monorepos: a run
// at one commit writes the cache, then a run at a later commit with it and
// one without it (SVCDIFF_NO_CACHE=1) must print the same bytes on stdout
// and stderr and exit alike. Services come, go and move, package.json files
// gain and lose dependencies, require files go, and now and then the config
// changes between the two runs; in a third of the histories only code changes
// (so infer's result is reused, and `changed` discovers on demand with its
// edges); half the cases infer npm dependencies. The
// repositories come from fixed seeds: the same cases on every run.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "support/random_monorepo.hpp"
#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

namespace fs = std::filesystem;

struct Case {
  std::string name;
  std::vector<std::string> args;
};

// Runs `args` at head with the cache the earlier run left (put back before
// each run, so every run starts from it) and without any; expects the same.
// Returns what the cached run said it reused.
struct Reuse {
  bool any = false;                   // the run reused something
  bool infer = false;                 // ... infer's result too
  bool on_demand_with_edges = false;  // ... and discovery ran on demand with its edges
};

Reuse same_with_and_without_cache(const TempRepo& repo, const std::string& saved,
                                  const Case& command, const std::string& trace) {
  const std::string cache = repo.at(".git/svcdiff/cache");
  fs::copy_file(saved, cache, fs::copy_options::overwrite_existing);
  const auto cached = run_svcdiff(repo.path(), command.args);
  const auto cold = run_svcdiff(repo.path(), command.args, {{"SVCDIFF_NO_CACHE", "1"}});
  SCOPED_TRACE(command.name + "\n" + trace + "\nwith cache: " + cached.err +
               "\nwithout: " + cold.err);
  EXPECT_EQ(cached.status, cold.status);
  EXPECT_EQ(cached.out, cold.out);
  EXPECT_EQ(cached.err, cold.err);
  // The same run with -v says what the cache did.
  fs::copy_file(saved, cache, fs::copy_options::overwrite_existing);
  auto verbose = command.args;
  verbose.insert(verbose.begin(), "-v");
  const std::string said = run_svcdiff(repo.path(), verbose).err;
  return {contains(said, "cache: reused"), contains(said, " and infer;"),
          contains(said, "discovery on demand with infer's cached edges")};
}

TEST(ResultCacheRandom, PrintsWhatARunWithoutItPrints) {
  int runs = 0;
  int reused = 0;
  int infer_reused = 0;
  int with_edges = 0;
  for (unsigned seed = 1; seed <= 24; ++seed) {
    TempRepo repo;
    RandomMonorepo monorepo(repo, seed, /*npm=*/true);
    monorepo.build();
    monorepo.choose_config();
    const bool infer = seed % 2 == 0;
    repo.write("svcdiff.yml", monorepo.config(infer));
    const std::string base = repo.commit("layout");
    monorepo.change(0);
    const std::string cached_at = repo.commit("change 0");
    // The run that writes the cache: a full discovery (list) at that commit.
    const auto writer = run_svcdiff(repo.path(), {"list"});
    const std::string saved = repo.root() + "/saved-cache";
    ASSERT_TRUE(fs::exists(repo.at(".git/svcdiff/cache"))) << "seed " << seed << ": " << writer.err;
    fs::copy_file(repo.at(".git/svcdiff/cache"), saved);
    const int commits = 1 + static_cast<int>(seed % 3);
    for (int round = 1; round <= commits; ++round) {
      // A third of the histories change code only: infer's result must hold.
      if (seed % 3 == 0) {
        monorepo.change_code(round);
      } else {
        monorepo.change(round);
      }
      if (seed % 5 == 0 && round == commits) {
        repo.write("svcdiff.yml", monorepo.config(!infer));  // the config changes too
      }
      repo.commit("change " + std::to_string(round));
    }
    const std::string trace = "seed " + std::to_string(seed) + "\n" + repo.git("log", "--stat");
    const std::vector<Case> cases = {
        {"items", {"changed", "--base", base, "--format", "items", "-o", "-"}},
        {"services since the cached commit", {"changed", "--base", cached_at, "-o", "-"}},
        {"list", {"list", "--json"}},
        {"graph", {"graph", "--base", base}},
    };
    for (const auto& command : cases) {
      ++runs;
      const Reuse reuse = same_with_and_without_cache(repo, saved, command, trace);
      reused += reuse.any ? 1 : 0;
      infer_reused += reuse.infer ? 1 : 0;
      with_edges += reuse.on_demand_with_edges ? 1 : 0;
    }
  }
  // Enough of the cases must have reused the cache, or this compares little.
  EXPECT_GE(reused, runs / 3) << reused << " of " << runs << " runs reused the cache";
  EXPECT_GE(infer_reused, runs / 10) << infer_reused << " of " << runs << " reused infer's result";
  EXPECT_GE(with_edges, 2) << with_edges << " of " << runs << " ran on demand with infer's edges";
  std::cout << reused << " of " << runs << " runs reused the cache, " << infer_reused
            << " infer's result too, " << with_edges << " on demand with its edges\n";
}

// `changed` with infer's edges from the cache resolves only the services the
// change reaches: on monorepos whose manifests chain dependents two and more
// levels above a changed service or library, with a cycle the change reaches
// and one it does not, every format prints what a full run prints.
TEST(ResultCacheRandom, InferOnDemandPrintsWhatAFullRunPrints) {
  int runs = 0;
  int with_edges = 0;
  for (unsigned seed = 101; seed <= 112; ++seed) {
    TempRepo repo;
    RandomMonorepo monorepo(repo, seed, /*npm=*/true);
    monorepo.build();
    monorepo.add_linked_services();
    monorepo.choose_config();
    repo.write("svcdiff.yml", monorepo.config(/*full=*/true));
    const std::string base = repo.commit("layout");
    const auto writer = run_svcdiff(repo.path(), {"list"});
    const std::string saved = repo.root() + "/saved-cache";
    ASSERT_TRUE(fs::exists(repo.at(".git/svcdiff/cache"))) << "seed " << seed << ": " << writer.err;
    fs::copy_file(repo.at(".git/svcdiff/cache"), saved);
    const int commits = 1 + static_cast<int>(seed % 2);
    for (int round = 1; round <= commits; ++round) {
      monorepo.change_linked(round);
      repo.commit("change " + std::to_string(round));
    }
    const std::string trace = "seed " + std::to_string(seed) + "\n" + repo.git("log", "--stat");
    std::vector<Case> cases;
    for (const char* format : {"services", "items", "env", "github", "text"}) {
      cases.push_back({format, {"changed", "--base", base, "--format", format, "-o", "-"}});
    }
    cases.push_back({"last commit", {"changed", "--base", "HEAD~1", "-o", "-"}});
    for (const auto& command : cases) {
      ++runs;
      with_edges += same_with_and_without_cache(repo, saved, command, trace).on_demand_with_edges;
    }
  }
  // Only code changed, nothing global: every run must have taken that path.
  EXPECT_EQ(with_edges, runs);
  std::cout << with_edges << " of " << runs << " runs on demand with infer's edges\n";
}

}  // namespace
}  // namespace svcdiff::testing
