// Atomic output proven from outside (SPEC §5): svcdiff is killed with SIGKILL
// at many points while it computes and writes a large items artifact, and the
// output file is always either the previous one or the complete new one.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "support/build_paths.hpp"
#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const char* const kPrevious = "{\"services\":[\"previous\"]}\n";

// Starts the real binary in `cwd` with stdout and stderr discarded; returns its pid.
pid_t start_svcdiff(const std::string& cwd, const std::vector<std::string>& args) {
  std::vector<std::string> argv{svcdiff_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::vector<char*> pointers;
    pointers.reserve(argv.size() + 1);
    for (auto& arg : argv) pointers.push_back(arg.data());
    pointers.push_back(nullptr);
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    // Between fork and exec only async-signal-safe calls: open and dup2, not freopen.
    const int null = ::open("/dev/null", O_WRONLY);
    if (null < 0 || ::dup2(null, STDOUT_FILENO) < 0 || ::dup2(null, STDERR_FILENO) < 0) {
      ::_exit(126);
    }
    ::execv(pointers[0], pointers.data());
    ::_exit(127);
  }
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  return status;
}

TEST(AtomicKill, OutputIsAlwaysTheOldOrTheCompleteNewFile) {
  TempRepo::Options no_git{false};
  TempRepo dir(no_git);
  std::string changes;
  for (int i = 0; i < 1000; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "services/svc_%04d/", i);
    dir.write(std::string(name) + "buildspec.yml", "version: 0.2\n");
    changes += std::string(name) + "src/handler.py\n";
  }
  dir.write("changes.txt", changes);
  // No .git: the items format needs the head named (SPEC §6 Identity).
  const std::vector<std::string> args{
      "changed", "-q", "--files-from", "changes.txt", "--format",
      "items",   "-o", "ABC.json",     "--head",      std::string(40, 'a')};

  // One complete run: the new artifact, and how long a run takes here.
  const auto begin = Clock::now();
  ASSERT_EQ(run_svcdiff(dir.path(), args).status, 0);
  const auto full_run = Clock::now() - begin;
  const std::string complete = read_file(dir.at("ABC.json"));
  ASSERT_GT(complete.size(), 100000U);

  // Kill points spread over the whole run, denser towards its end, where the
  // file is written; the last ones come after it has finished.
  std::vector<Clock::duration> delays;
  delays.reserve(20 + 40 + 4);
  for (int k = 0; k < 20; ++k) delays.push_back(full_run * k / 20);
  for (int k = 0; k < 40; ++k) delays.push_back(full_run * (60 + k) / 100);
  for (int k = 0; k < 4; ++k) delays.push_back(full_run * (11 + k) / 10);
  int saw_previous = 0;
  int saw_complete = 0;
  for (const auto delay : delays) {
    std::ofstream(dir.at("ABC.json"), std::ios::binary | std::ios::trunc) << kPrevious;
    const pid_t pid = start_svcdiff(dir.path(), args);
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(delay);
    ::kill(pid, SIGKILL);
    wait_for(pid);
    const std::string now = read_file(dir.at("ABC.json"));
    ASSERT_TRUE(now == kPrevious || now == complete)
        << "after a kill at " << std::chrono::duration<double>(delay).count()
        << " s the output has " << now.size()
        << " bytes: neither the previous file nor the complete new one";
    (now == kPrevious ? saw_previous : saw_complete) += 1;
  }
  // A kill right after the start must leave the old file (the check above
  // would otherwise hold vacuously); one that waits a whole run may not.
  EXPECT_GT(saw_previous, 0);
  std::printf("kill test: %zu kills, %d left the previous file, %d the complete new one\n",
              delays.size(), saw_previous, saw_complete);
  // A killed run cannot remove its temporary file; it stays beside the output, never in place.
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename().string();
    if (name.find(".svcdiff-") != std::string::npos) {
      EXPECT_EQ(name.rfind(".ABC.json.svcdiff-", 0), 0U) << name;
    }
  }
}

}  // namespace
}  // namespace svcdiff::testing
