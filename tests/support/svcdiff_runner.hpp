#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/revisions.hpp"
#include "support/build_paths.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {

// Runs the real svcdiff binary (the one CMake built) in `cwd`. The variables
// of SPEC §3 are cleared first so the caller's environment cannot choose a
// base; tests that want one pass it in `env`.
inline std::map<std::string, std::string> svcdiff_environment(
    std::map<std::string, std::string> env) {
  for (const auto& name : cli::revision_variables()) env.try_emplace(name, "");
  // Where GitHub Actions has a step append its outputs (the github format, the summary).
  for (const char* name : {"GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"}) env.try_emplace(name, "");
  // The result cache's own switches: a developer's setting must not move or
  // turn off the cache the tests look at.
  for (const char* name : {"SVCDIFF_CACHE_DIR", "SVCDIFF_NO_CACHE"}) env.try_emplace(name, "");
  return env;
}

inline CommandResult run_svcdiff(const std::string& cwd, std::vector<std::string> args,
                                 std::map<std::string, std::string> env = {},
                                 const std::optional<std::string>& stdin_text = {}) {
  args.insert(args.begin(), svcdiff_binary());
  return run_command(args, cwd, svcdiff_environment(std::move(env)), stdin_text);
}

// run_svcdiff with the descriptors a shell sets up: `redirections` follow the
// command in `sh -c` ("<&-" closes stdin, ">out.txt", "3>x"); the arguments
// are passed to sh as they are, never parsed by it.
inline CommandResult run_svcdiff_redirected(const std::string& cwd, std::vector<std::string> args,
                                            const std::string& redirections) {
  args.insert(args.begin(),
              {"/bin/sh", "-c", "exec \"$@\" " + redirections, "sh", svcdiff_binary()});
  return run_command(args, cwd, svcdiff_environment({}));
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A sample monorepo: services/<name>/{buildspec.yml,app.py} for each name,
// committed. Returns the commit id.
inline std::string add_services(const TempRepo& repo, const std::vector<std::string>& names) {
  for (const auto& name : names) {
    repo.write("services/" + name + "/buildspec.yml",
               "version: 0.2\nphases:\n  build:\n    commands:\n      - echo " + name + "\n");
    repo.write("services/" + name + "/app.py", "print('" + name + "')\n");
  }
  return repo.commit("services");
}

}  // namespace svcdiff::testing
