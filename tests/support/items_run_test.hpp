#pragma once

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/svcdiff_runner.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {

// The fixture of end-to-end tests that ask which services a run chose: a
// repository, and the real binary writing the items format beside it (so the
// artifact never ends up in a commit).
class ItemsRunTest : public ::testing::Test {
 protected:
  using Env = std::map<std::string, std::string>;

  // `svcdiff ARGS` run in `cwd` (the repository, or a clone of it).
  CommandResult svcdiff_in(const std::string& cwd, std::vector<std::string> args, Env env = {}) {
    args.insert(args.end(), {"--format", "items", "-o", output()});
    return run_svcdiff(cwd, std::move(args), std::move(env));
  }
  CommandResult svcdiff(std::vector<std::string> args, Env env = {}) {
    return svcdiff_in(repo_.path(), std::move(args), std::move(env));
  }
  std::string output() const { return repo_.root() + "/ABC.json"; }
  nlohmann::json items() const { return nlohmann::json::parse(read_file(output())); }
  std::vector<std::string> selected() const {
    return items()["services"].get<std::vector<std::string>>();
  }

  // Commits one file in services/<name>/; returns the commit.
  std::string touch(const std::string& name, const std::string& file) {
    repo_.write("services/" + name + "/" + file, file + "\n");
    return repo_.commit("touch " + name + "/" + file);
  }

  TempRepo repo_;
};

}  // namespace svcdiff::testing
