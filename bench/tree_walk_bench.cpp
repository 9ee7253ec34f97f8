// Repository::changes (a merge-join walk that skips equal subtrees) against
// libgit2's git_diff_tree_to_tree, on a synthetic repository of 20,000 files
// in 2,000 directories where one commit changes one file. The benchmark talks
// to libgit2 directly for the comparison: the one place outside src/repo that
// does. Run by hand (build/svcdiff_bench), never by the test suite.

#include <benchmark/benchmark.h>
#include <git2.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "repo/repository.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;

constexpr int kDirectories = 2000;
constexpr int kFilesPerDirectory = 10;

void run_git(const std::string& dir, std::vector<std::string> args) {
  args.insert(args.begin(), {"git", "-C", dir});
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawnp(&pid, "git", nullptr, nullptr, argv.data(), environ) != 0) {
    throw std::runtime_error("cannot run git");
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("git " + args[3] + " failed in " + dir);
  }
}

// A repository with two commits, built once in a temporary directory.
class SyntheticRepo {
 public:
  SyntheticRepo() {
    std::string pattern = (fs::temp_directory_path() / "svcdiff-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    run_git(dir_, {"init", "-q"});
    for (int d = 0; d < kDirectories; ++d) {
      const fs::path sub =
          fs::path(dir_) / ("group" + std::to_string(d % 20)) / ("service" + std::to_string(d));
      fs::create_directories(sub);
      for (int f = 0; f < kFilesPerDirectory; ++f) {
        std::ofstream(sub / ("file" + std::to_string(f) + ".txt")) << d << ':' << f << '\n';
      }
    }
    const std::vector<std::string> identity = {"-c", "user.name=bench", "-c",
                                               "user.email=bench@svcdiff.invalid"};
    run_git(dir_, {"add", "-A"});
    auto commit = identity;
    commit.insert(commit.end(), {"commit", "-q", "-m", "base"});
    run_git(dir_, commit);
    std::ofstream(fs::path(dir_) / "group7" / "service1007" / "file3.txt") << "changed\n";
    commit.back() = "one file";
    run_git(dir_, {"add", "-A"});
    run_git(dir_, commit);
  }
  ~SyntheticRepo() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  SyntheticRepo(const SyntheticRepo&) = delete;
  SyntheticRepo& operator=(const SyntheticRepo&) = delete;

  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

SyntheticRepo& synthetic_repo() {
  static SyntheticRepo repo;
  return repo;
}

void BM_RepositoryChanges(benchmark::State& state) {
  auto repository = svcdiff::repo::Repository::discover({synthetic_repo().dir()});
  const auto base = repository->resolve_commit("HEAD~1");
  const auto head = repository->resolve_commit("HEAD");
  for (auto _ : state) {
    auto changes = repository->changes(base, head);
    benchmark::DoNotOptimize(changes);
    if (changes.size() != 1) state.SkipWithError("expected one changed path");
  }
}
BENCHMARK(BM_RepositoryChanges)->Unit(benchmark::kMillisecond);

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* handle) const { Free(handle); }
};

void BM_LibgitDiffTreeToTree(benchmark::State& state) {
  git_libgit2_init();
  git_repository* raw_repo = nullptr;
  if (git_repository_open(&raw_repo, synthetic_repo().dir().c_str()) < 0) {
    state.SkipWithError("cannot open the repository");
    return;
  }
  const std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>> repo(
      raw_repo);
  const auto tree_of = [&](const char* revision) {
    git_object* raw = nullptr;
    const int rc = git_revparse_single(&raw, repo.get(), revision);
    std::unique_ptr<git_object, Deleter<git_object, git_object_free>> tree(raw);
    if (rc < 0) throw std::runtime_error(std::string("cannot resolve ") + revision);
    return tree;
  };
  const auto base = tree_of("HEAD~1^{tree}");
  const auto head = tree_of("HEAD^{tree}");
  for (auto _ : state) {
    git_diff* raw_diff = nullptr;
    const int rc =
        git_diff_tree_to_tree(&raw_diff, repo.get(), reinterpret_cast<git_tree*>(base.get()),
                              reinterpret_cast<git_tree*>(head.get()), nullptr);
    const std::unique_ptr<git_diff, Deleter<git_diff, git_diff_free>> diff(raw_diff);
    if (rc < 0 || git_diff_num_deltas(diff.get()) != 1) {
      state.SkipWithError("git_diff_tree_to_tree failed");
      break;
    }
  }
}
BENCHMARK(BM_LibgitDiffTreeToTree)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
