#pragma once

#include <optional>
#include <string>
#include <vector>

#include "asl/state_machine.hpp"

namespace svcdiff::cli {

// Options every command takes (SPEC §2).
struct GlobalOptions {
  std::string repo_dir;  // -C; empty: the current directory
  std::string config;    // -c; empty: svcdiff.yml at the root
  int verbosity = 0;
  bool quiet = false;
  std::string color = "auto";
  bool trust_repo_owner = false;
  bool no_cache = false;  // --no-cache: src/cache stays out of the run
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
  std::optional<std::string> s3_split;  // --s3-split DIR: the wave files go here
  std::optional<std::string> s3_uri;    // --s3-uri s3://BUCKET/PREFIX: where DIR is copied
};

// The arguments of the commands that read the config without diffing.
struct InspectOptions {
  std::vector<std::string> names;  // explain SERVICE...
  std::vector<std::string> paths;  // owners / match PATH...
  std::string pattern;             // match PATTERN
  bool json = false;               // list / owners --json
  bool from_stdin = false;         // owners --stdin
  std::string graph_format = "mermaid";
};

// `asl`: the definition's options, the style still as written.
struct AslCommandOptions {
  asl::AslOptions definition;
  std::string style = "dynamic";
  std::string map = "inline";
  std::string ledger;              // dynamodb:TABLE, or empty
  bool compact = false;            // print without whitespace
  std::vector<std::string> given;  // the options written on the command line
};

// Options of `fingerprint` (SPEC §8).
struct FingerprintOptions {
  std::vector<std::string> services;  // empty: every service
  std::optional<std::string> head;
  bool directory = false;  // --dir: hash the files on disk even in a repository
  bool json = false;
  bool inputs = false;  // print the hashed bytes instead of the fingerprints
};

}  // namespace svcdiff::cli
