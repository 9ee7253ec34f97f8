// Discovery on demand (issue 10) against full discovery on varied monorepos:
// the same config with `infer: [npm]` added (and no package.json anywhere)
// makes `changed` discover in full and infer nothing, so the two runs must
// print the same items, byte for byte, and exit alike. The repositories and
// their changes come from fixed seeds: the same cases on every run.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "support/random_monorepo.hpp"
#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

TEST(DiscoveryOnDemandRandom, AnswersAsFullDiscoveryDoes) {
  int on_demand_runs = 0;
  for (unsigned seed = 1; seed <= 30; ++seed) {
    TempRepo repo;
    RandomMonorepo monorepo(repo, seed);
    monorepo.build();
    monorepo.choose_config();
    repo.write("svcdiff.yml", monorepo.config(false));
    const std::string base = repo.commit("layout");
    const int commits = 1 + static_cast<int>(seed % 3);
    for (int round = 0; round < commits; ++round) {
      monorepo.change(round);
      repo.commit("change " + std::to_string(round));
    }
    const std::string full_config = repo.root() + "/full.yml";
    std::ofstream(full_config) << monorepo.config(true);
    const std::vector<std::string> args{"changed",  "-v",    "--base", base,
                                        "--format", "items", "-o",     "-"};
    auto full_args = args;
    full_args.insert(full_args.begin(), {"-c", full_config});
    const auto on_demand = run_svcdiff(repo.path(), args);
    const auto full = run_svcdiff(repo.path(), full_args);
    SCOPED_TRACE("seed " + std::to_string(seed) + "\n" + repo.git("log", "--stat", "-3") +
                 "\non demand: " + on_demand.err + "\nfull: " + full.err);
    EXPECT_EQ(on_demand.status, full.status);
    EXPECT_EQ(on_demand.out, full.out);
    if (on_demand.err.find("discovery on demand") != std::string::npos) ++on_demand_runs;
  }
  // Most cases must have taken the on-demand path, or this compares nothing.
  EXPECT_GE(on_demand_runs, 20);
}

}  // namespace
}  // namespace svcdiff::testing
