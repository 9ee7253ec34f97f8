// Discovery on demand (issue 10) against full discovery on varied monorepos:
// the same config with `infer: [npm]` added (and no package.json anywhere)
// makes `changed` discover in full and infer nothing, so the two runs must
// print the same items, byte for byte, and exit alike. The repositories and
// their changes come from fixed seeds: the same cases on every run.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

constexpr const char* kBuildspec = "version: 0.2\nphases:\n  build:\n    commands: [make]\n";

class RandomMonorepo {
 public:
  RandomMonorepo(TempRepo& repo, unsigned seed) : repo_(repo), random_(seed) {}

  // A layout: services under services/*/* (named by basename) and apps/*
  // (ci/buildspec.yml, named by path), libraries, a site, a global
  // directory, ignored files, and a namesake below a glob that is no service.
  void build() {
    for (int domain = 0; domain < 3; ++domain) {
      const int count = 1 + pick(4);
      for (int i = 0; i < count; ++i) {
        add_service("services/d" + std::to_string(domain) + "/svc" + std::to_string(domain) +
                    std::to_string(i));
      }
    }
    const int apps = 1 + pick(3);
    for (int i = 0; i < apps; ++i) {
      const std::string dir = "apps/app" + std::to_string(i);
      repo_.write(dir + "/ci/buildspec.yml", kBuildspec);
      repo_.write(dir + "/main.go", "package main\n");
      apps_.push_back(dir);
    }
    for (const char* lib : {"libs/lib0/x.py", "libs/lib1/x.py", "site/index.html",
                            "tools/ci/run.sh", "docs/guide.md"}) {
      repo_.write(lib, "v0\n");
    }
    const std::string& some = services_[pick(services_.size())];
    repo_.write(some + "/tools/" + basename(some) + "/buildspec.yml", kBuildspec);
  }

  // svcdiff.yml: explicit entries override some discovered services (they
  // depend on a library), `site` depends on a discovered service.
  std::string config(bool full) {
    std::string text = "version: 1\n";
    if (full) text += "infer: [npm]\n";
    text +=
        "ignore: [\"**/*.md\"]\nglobal: [\"tools/ci/\"]\ndiscover:\n"
        "  - {glob: \"services/*/*\"}\n"
        "  - {glob: \"apps/*\", require: ci/buildspec.yml, name: path}\n"
        "services:\n"
        "  lib0:\n    paths: [libs/lib0/]\n    build: false\n"
        "  lib1:\n    paths: [libs/lib1/]\n    build: false\n"
        "  site:\n    paths: [site/]\n    depends_on: [" +
        basename(services_[config_pick_]) + "]\n";
    for (const auto& name : overridden_) {
      text += "  " + name + ":\n    depends_on: [lib" + std::to_string(name.size() % 2) + "]\n";
    }
    return text;
  }

  void choose_config() {
    config_pick_ = pick(services_.size());
    for (const auto& dir : services_) {
      if (pick(3) == 0) overridden_.push_back(basename(dir));
    }
  }

  // One to four changes of the kinds a commit brings.
  void change(int round) {
    const int changes = 1 + pick(4);
    for (int i = 0; i < changes; ++i) change_one(round, i);
  }

 private:
  void add_service(const std::string& dir) {
    repo_.write(dir + "/buildspec.yml", kBuildspec);
    repo_.write(dir + "/src/app.py", "print()\n");
    repo_.write(dir + "/README.md", "# readme\n");
    services_.push_back(dir);
  }

  void change_one(int round, int i) {
    const std::string& service = services_[pick(services_.size())];
    const std::string tag = std::to_string(round) + "_" + std::to_string(i);
    switch (pick(11)) {
      case 0:
        repo_.write(service + "/src/app.py", "print(" + tag + ")\n");
        break;
      case 1:
        repo_.write("libs/lib" + std::to_string(pick(2)) + "/x.py", tag + "\n");
        break;
      case 2:
        add_service("services/d" + std::to_string(pick(4)) + "/new" + tag);
        break;
      case 3:
        repo_.remove(service);  // a removed service
        break;
      case 4:
        repo_.write(service + "/README.md", tag + "\n");  // ignored
        break;
      case 5:
        repo_.write(service + "/buildspec.yml", std::string(kBuildspec) + "# " + tag + "\n");
        break;
      case 6:
        if (pick(3) == 0) repo_.write("tools/ci/run.sh", tag + "\n");  // global, now and then
        break;
      case 7:
        repo_.write(service + "/deep/" + basename(service) + "/buildspec.yml", kBuildspec);
        break;
      case 8:
        repo_.write(apps_[pick(apps_.size())] + "/main.go", "package main // " + tag + "\n");
        break;
      case 9:
        repo_.remove(service + "/buildspec.yml");  // the directory stays, no service
        break;
      default:
        repo_.write("site/index.html", tag + "\n");
    }
  }

  static std::string basename(const std::string& dir) { return dir.substr(dir.rfind('/') + 1); }
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
  }
  int pick(int n) { return static_cast<int>(pick(static_cast<std::size_t>(n))); }

  TempRepo& repo_;
  std::mt19937 random_;
  std::vector<std::string> services_;
  std::vector<std::string> apps_;
  std::vector<std::string> overridden_;
  std::size_t config_pick_ = 0;
};

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
