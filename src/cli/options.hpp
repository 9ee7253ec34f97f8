#pragma once

#include <optional>
#include <string>
#include <vector>

namespace svcdiff::cli {

// Options every command takes (SPEC §2).
struct GlobalOptions {
  std::string repo_dir;  // -C; empty: the current directory
  std::string config;    // -c; empty: svcdiff.yml at the root
  int verbosity = 0;
  bool quiet = false;
  std::string color = "auto";
  bool trust_repo_owner = false;
};

// Options of `changed`, `explain` and `graph`.
struct ChangedOptions {
  std::optional<std::string> base;
  std::optional<std::string> head;
  bool merge_base = false;
  bool worktree = false;
  std::optional<std::string> files_from;
  bool nul_separated = false;  // -z
  bool all = false;
  std::optional<std::string> on_unknown_base;
  std::optional<std::string> output;
  std::optional<std::string> format;
};

}  // namespace svcdiff::cli
