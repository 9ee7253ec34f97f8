#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/model.hpp"

namespace svcdiff::config {

// An ecosystem `infer` can read, and the dependency kinds its manifests
// declare (the names users write in `infer: {npm: [dependencies]}`).
struct Ecosystem {
  std::string name;
  std::vector<std::string> kinds;
};

// npm, go, cargo, maven, python: the one list the loader, the schema test and
// infer_dependencies read.
const std::vector<Ecosystem>& ecosystems();

// True for the name of a file some ecosystem's reader reads (package.json,
// go.mod, go.work, Cargo.toml, pom.xml, pyproject.toml, requirements*.txt):
// a change to such a file may change what infer_dependencies says.
bool is_manifest_name(std::string_view name);

// Whether `infer` covers any service: at the top level or on a `discover`
// entry.
bool infers_anything(const Config& config);

// Where manifests come from: the head commit, or the disk (`--worktree`, a
// checkout without .git). Paths are repository-relative with '/'.
struct ManifestFiles {
  // The file's bytes, or nullopt when there is no such file.
  std::function<std::optional<std::string>(const std::string& path)> read;
  // The names of the files directly in `dir` ("" is the root).
  std::function<std::vector<std::string>(const std::string& dir)> list;
};

// Reads the manifests of every service that `infer` covers (top level, or the
// `discover` entry that found it) and fills each service's `inferred` with the
// other services its manifests declare, minus its `!name` depends_on entries.
// Returns warnings (an exclusion that excludes nothing). Throws svcdiff::Error
// (config) for a manifest that does not parse, with its position, and for a
// `!name` that names no service.
std::vector<std::string> infer_dependencies(const Config& config, std::vector<Service>& services,
                                            const ManifestFiles& files);

}  // namespace svcdiff::config
