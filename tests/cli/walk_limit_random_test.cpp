// The walk that stops early (issue 10, ChangedWalkLimit) against the full
// walk on varied monorepos: `changed` prints the same artifact either way.
// `-v` lists every changed path, so it turns the limit off: each case runs
// with and without it and must print the same items, byte for byte, and exit
// alike, with discovery on demand and (with `infer: [npm]`, no package.json
// anywhere) in full. The repositories and their changes come from fixed
// seeds: the same cases on every run.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "support/random_monorepo.hpp"
#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

constexpr const char* kBuildspec = "version: 0.2\nphases:\n  build:\n    commands: [make]\n";

// Services with several files at several depths, so a commit changes many
// paths below one directory: the case the limit is for.
class BusyMonorepo : private SeededPicks {
 public:
  BusyMonorepo(TempRepo& repo, unsigned seed) : SeededPicks(seed), repo_(repo) {}

  void build() {
    for (int domain = 0; domain < 2; ++domain) {
      const int count = 1 + pick(3);
      for (int i = 0; i < count; ++i) {
        add_service("services/d" + std::to_string(domain) + "/svc" + std::to_string(domain) +
                    std::to_string(i));
      }
    }
    for (int i = 0; i < 2; ++i) {
      const std::string dir = "apps/app" + std::to_string(i);
      repo_.write(dir + "/ci/buildspec.yml", kBuildspec);
      write_files(dir + "/web", "v0", 3);
      apps_.push_back(dir);
    }
    for (const char* file : {"libs/lib0/x.py", "libs/lib1/x.py", "site/index.html",
                             "site/docs/a/page.html", "tools/ci/run.sh", "docs/guide.md"}) {
      repo_.write(file, "v0\n");
    }
  }

  // lib0 owns libs/lib0/; `pages` owns the HTML below site/docs (a pattern
  // that matches some paths below a directory, not all); `site` owns site/
  // but not its build.log; some discovered services get explicit entries,
  // excluding their generated code (src/Generated: it sorts first, so a walk
  // that counted excluded paths would stop too soon). `site/` unanchored (any directory named
  // site) may own a path anywhere: then no directory is limited.
  std::string config(bool full, bool anchored) const {
    std::string text = "version: 1\n";
    if (full) text += "infer: [npm]\n";
    text +=
        "ignore: [\"**/*.md\", \"*.tmp\"]\nglobal: [\"tools/ci/\"]\ndiscover:\n"
        "  - {glob: \"services/*/*\"}\n"
        "  - {glob: \"apps/*\", require: ci/buildspec.yml, name: path}\n"
        "services:\n"
        "  lib0:\n    paths: [libs/lib0/]\n    build: false\n"
        "  pages:\n    paths: [\"site/docs/**/*.html\"]\n"
        "  site:\n    paths: [" +
        std::string(anchored ? "/site/" : "site/") +
        "]\n    exclude: [\"site/**/build.log\"]\n"
        "    depends_on: [lib0]\n";
    for (std::size_t i = 0; i < services_.size(); i += 2) {
      const std::string& dir = services_[i];
      text += "  " + basename(dir) + ":\n    exclude: [\"" + dir + "/src/Generated/\"]\n";
    }
    return text;
  }

  // A global file changed, and now and then a service or an app removed, in
  // the same commit.
  void change_global(const std::string& tag) {
    write_files("tools/ci", tag, 1 + pick(2));
    if (pick(2) == 0) repo_.remove(services_[pick(services_.size())]);
    if (pick(3) == 0) repo_.remove(apps_[pick(apps_.size())]);
  }

  void change(int round) {
    const int changes = 2 + pick(4);
    for (int i = 0; i < changes; ++i) change_one(std::to_string(round) + "_" + std::to_string(i));
  }

 private:
  void add_service(const std::string& dir) {
    repo_.write(dir + "/buildspec.yml", kBuildspec);
    write_files(dir + "/src", "v0", 3);
    write_files(dir + "/src/Generated", "v0", 2);
    repo_.write(dir + "/README.md", "# readme\n");
    services_.push_back(dir);
  }

  // `count` files below `dir`, some a level deeper.
  void write_files(const std::string& dir, const std::string& tag, int count) const {
    for (int i = 0; i < count; ++i) {
      const std::string sub = i % 2 == 0 ? "" : "/deep" + std::to_string(i % 3);
      repo_.write(dir + sub + "/f" + std::to_string(i) + ".py", tag + "\n");
    }
  }

  void change_one(const std::string& tag) {
    const std::string& service = services_[pick(services_.size())];
    switch (pick(12)) {
      case 0:
      case 1:
        write_files(service + "/src", tag, 4 + pick(6));  // many paths below one service
        break;
      case 2:
        write_files(service + "/src/Generated", tag, 1 + pick(5));  // excluded
        break;
      case 3:
        add_service("services/d" + std::to_string(pick(3)) + "/new" + tag);
        break;
      case 4:
        repo_.remove(service);  // a removed service, many deleted paths
        break;
      case 5:
        repo_.remove(service + "/buildspec.yml");  // the directory stays, no service
        // A changed file that sorts before it: a walk that stops there never reads it.
        if (pick(2) == 0) repo_.write(service + "/a" + tag + ".py", tag + "\n");
        break;
      case 6:
        repo_.write(service + "/notes" + tag + ".md", tag + "\n");  // ignored
        repo_.write(service + "/src/x" + tag + ".tmp", tag + "\n");
        break;
      case 7:
        write_files("site/docs/p" + tag, tag, 1 + pick(4));
        repo_.write("site/docs/p" + tag + "/page.html", tag + "\n");
        repo_.write("site/docs/p" + tag + "/build.log", tag + "\n");
        break;
      case 8:
        write_files(apps_[pick(apps_.size())] + "/web", tag, 2 + pick(4));
        break;
      case 9:
        if (pick(3) == 0) write_files("tools/ci", tag, 1 + pick(4));  // global, now and then
        break;
      case 10:
        write_files("libs/lib" + std::to_string(pick(2)), tag, 1 + pick(4));
        break;
      default:
        repo_.write(service + "/src/deep/" + basename(service) + "/buildspec.yml", kBuildspec);
    }
  }

  TempRepo& repo_;
  std::vector<std::string> services_;
  std::vector<std::string> apps_;
};

// `(N removed)` in the summary line, or 0.
int removed_count(const std::string& err) {
  std::smatch match;
  if (!std::regex_search(err, match, std::regex(R"(\((\d+) removed\))"))) return 0;
  return std::stoi(match[1]);
}

// How many services the warning says lost their `require` file.
int lost_require_count(const std::string& err) {
  const std::regex warning(R"(was deleted since the base and its directory)");
  return static_cast<int>(
      std::distance(std::sregex_iterator(err.begin(), err.end(), warning), std::sregex_iterator()));
}

TEST(WalkLimitRandom, PrintsWhatTheFullWalkPrints) {
  int limited_runs = 0;
  int lost_require_runs = 0;
  for (unsigned seed = 1; seed <= 30; ++seed) {
    TempRepo repo;
    BusyMonorepo monorepo(repo, seed);
    monorepo.build();
    const bool anchored = seed % 4 != 0;
    repo.write("svcdiff.yml", monorepo.config(false, anchored));
    const std::string base = repo.commit("layout");
    const int commits = 1 + static_cast<int>(seed % 3);
    for (int round = 0; round < commits; ++round) {
      monorepo.change(round);
      repo.commit("change " + std::to_string(round));
    }
    const std::string full_config = repo.root() + "/full.yml";
    std::ofstream(full_config) << monorepo.config(true, anchored);
    // Items keep three reasons a service; text prints none, so one path a
    // service is enough there.
    for (const bool full : {false, true}) {
      for (const char* format : {"items", "text"}) {
        std::vector<std::string> args{"changed", "--base", base, "--format", format, "-o", "-"};
        if (full) args.insert(args.begin(), {"-c", full_config});
        auto every_path = args;
        every_path.insert(every_path.begin() + (full ? 3 : 1), "-v");
        const auto limited = run_svcdiff(repo.path(), args);
        const auto walked = run_svcdiff(repo.path(), every_path);
        SCOPED_TRACE("seed " + std::to_string(seed) + (full ? ", full discovery, " : ", ") +
                     format + "\n" + repo.git("log", "--stat", "-3") + "\nlimited: " + limited.err +
                     "\nfull walk: " + walked.err);
        EXPECT_EQ(limited.status, walked.status);
        EXPECT_EQ(limited.out, walked.out);
        EXPECT_EQ(removed_count(limited.err), removed_count(walked.err));
        EXPECT_EQ(lost_require_count(limited.err), lost_require_count(walked.err));
        if (lost_require_count(walked.err) > 0) ++lost_require_runs;
        EXPECT_EQ(walked.err.find("more than"), std::string::npos);
        if (limited.err.find("more than") != std::string::npos) ++limited_runs;
      }
    }
  }
  // Most cases must have left paths out, or this compares nothing.
  EXPECT_GE(limited_runs, 40);
  EXPECT_GE(lost_require_runs, 4);
}

// When a global file changed, an output without reasons reads the rest of
// the diff only for removed services (diff_global_first): the same services,
// removed ones and exit status as the whole walk of `-v`.
TEST(GlobalFirstRandom, PrintsWhatTheWholeWalkPrints) {
  int global_first_runs = 0;
  int lost_require_runs = 0;
  for (unsigned seed = 31; seed <= 50; ++seed) {
    TempRepo repo;
    BusyMonorepo monorepo(repo, seed);
    monorepo.build();
    const bool anchored = seed % 4 != 0;
    const bool full = seed % 3 == 0;
    repo.write("svcdiff.yml", monorepo.config(full, anchored));
    const std::string base = repo.commit("layout");
    const int commits = 1 + static_cast<int>(seed % 3);
    for (int round = 0; round < commits; ++round) {
      monorepo.change(round);
      if (round == 0 && seed % 5 != 0) monorepo.change_global("g" + std::to_string(round));
      repo.commit("change " + std::to_string(round));
    }
    for (const char* format : {"services", "text"}) {
      const std::vector<std::string> args{"changed", "--base", base, "--format", format, "-o", "-"};
      auto every_path = args;
      every_path.insert(every_path.begin() + 1, "-v");
      const auto fast = run_svcdiff(repo.path(), args);
      const auto walked = run_svcdiff(repo.path(), every_path);
      SCOPED_TRACE("seed " + std::to_string(seed) + ", " + format + "\n" +
                   repo.git("log", "--stat", "-3") + "\nglobal first: " + fast.err +
                   "\nwhole walk: " + walked.err);
      EXPECT_EQ(fast.status, walked.status);
      EXPECT_EQ(fast.out, walked.out);
      EXPECT_EQ(removed_count(fast.err), removed_count(walked.err));
      EXPECT_EQ(lost_require_count(fast.err), lost_require_count(walked.err));
      if (fast.err.find("is global: every service is selected") != std::string::npos) {
        ++global_first_runs;
        if (lost_require_count(walked.err) > 0) ++lost_require_runs;
      }
    }
  }
  // Most seeds change a global file, or this compares nothing.
  EXPECT_GE(global_first_runs, 24);
  EXPECT_GE(lost_require_runs, 2);
}

// SPEC §5: an item holds the first three reasons the walk finds; the walk
// stops after them (the summary says "more than"), `-v` and `explain` see
// every path.
TEST(WalkLimit, ItemsKeepTheFirstThreeReasonsAndExplainSeesEveryPath) {
  TempRepo repo;
  repo.write("svcdiff.yml", "version: 1\ndiscover:\n  - {glob: \"services/*\"}\n");
  repo.write("services/api/buildspec.yml", kBuildspec);
  const std::string base = repo.commit("layout");
  for (const char* file : {"e.py", "d.py", "src/c.py", "b.py", "a.py"}) {
    repo.write("services/api/" + std::string(file), "x\n");
  }
  repo.commit("five files");
  const auto limited =
      run_svcdiff(repo.path(), {"changed", "--base", base, "--format", "items", "-o", "-"});
  ASSERT_EQ(limited.status, 0) << limited.err;
  const auto item = nlohmann::json::parse(limited.out)["waves"][0][0];
  std::vector<std::string> paths;
  for (const auto& reason : item["reasons"]) paths.push_back(reason["path"]);
  EXPECT_EQ(paths, (std::vector<std::string>{"services/api/a.py", "services/api/b.py",
                                             "services/api/d.py"}));
  EXPECT_NE(limited.err.find("more than 3 changed paths"), std::string::npos) << limited.err;

  // Without reasons to print, one path selects the service: the walk stops there.
  const auto names =
      run_svcdiff(repo.path(), {"changed", "--base", base, "--format", "text", "-o", "-"});
  ASSERT_EQ(names.status, 0) << names.err;
  EXPECT_EQ(names.out, "api\n");
  EXPECT_NE(names.err.find("more than 1 changed paths"), std::string::npos) << names.err;

  const auto verbose = run_svcdiff(repo.path(), {"changed", "-v", "--base", base, "-o", "-"});
  EXPECT_NE(verbose.err.find("changed: services/api/src/c.py"), std::string::npos) << verbose.err;
  EXPECT_NE(verbose.err.find("svcdiff: 5 changed paths"), std::string::npos) << verbose.err;
  const auto explain = run_svcdiff(repo.path(), {"explain", "api", "--base", base});
  ASSERT_EQ(explain.status, 0) << explain.err;
  for (const char* file : {"a.py", "b.py", "d.py", "e.py", "src/c.py"}) {
    EXPECT_NE(explain.out.find("services/api/" + std::string(file)), std::string::npos)
        << explain.out;
  }
}

// Once a limited directory has its paths, the next changed subtree there ends
// its walk unread: with that subtree's tree object gone, the limited run
// still answers, while -v, which reads every path, cannot.
TEST(WalkLimit, StopsBeforeReadingAnotherChangedSubtree) {
  TempRepo repo;
  repo.write("svcdiff.yml", "version: 1\ndiscover:\n  - {glob: \"services/*\"}\n");
  repo.write("services/api/buildspec.yml", kBuildspec);
  repo.write("services/api/a/x.py", "v0\n");
  repo.write("services/api/b/y.py", "v0\n");
  const std::string base = repo.commit("layout");
  repo.write("services/api/a/x.py", "v1\n");
  repo.write("services/api/b/y.py", "v1\n");
  repo.commit("two subtrees");
  std::string tree = repo.git("rev-parse", "HEAD:services/api/b");
  tree.erase(tree.find_last_not_of('\n') + 1);
  std::filesystem::remove(repo.path() + "/.git/objects/" + tree.substr(0, 2) + "/" +
                          tree.substr(2));

  const auto limited =
      run_svcdiff(repo.path(), {"changed", "--base", base, "--format", "text", "-o", "-"});
  ASSERT_EQ(limited.status, 0) << limited.err;
  EXPECT_EQ(limited.out, "api\n");
  EXPECT_NE(limited.err.find("more than 1 changed paths"), std::string::npos) << limited.err;

  const auto every_path =
      run_svcdiff(repo.path(), {"changed", "-v", "--base", base, "--format", "text", "-o", "-"});
  EXPECT_NE(every_path.status, 0);
  EXPECT_NE(every_path.err.find("services/api/b"), std::string::npos) << every_path.err;
}

}  // namespace
}  // namespace svcdiff::testing
