#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

// Readers of the package manifests `infer` looks at (SPEC §4). Each is pure:
// text in, declarations out; infer.cpp matches them to services. A manifest
// that does not parse throws svcdiff::Error (config) with its position:
// "<file>:<line>:<col>: error: ...".
namespace svcdiff::config {

// A dependency as a manifest declares it, before it is matched to a service.
struct DeclaredDependency {
  std::string kind;        // "devDependencies", "indirect", "dev-dependencies", "test", ...
  std::string name;        // npm package, go module, maven groupId:artifactId, python project
  std::string path;        // a local path as written, relative to the manifest's directory
  bool workspace = false;  // cargo or uv `workspace = true`: the workspace says where
  int line = 0;            // 0 when the format gives no position (JSON)
  std::string text;        // as `explain` shows it: "\"@acme/common\": \"workspace:*\""
};

struct Manifest {
  std::string name;  // what other manifests call this one; python names normalized
  std::vector<DeclaredDependency> dependencies;
  // go: `replace` with a local path (module -> path); cargo: the path
  // entries of [workspace.dependencies] (name -> path).
  std::map<std::string, std::string> local_paths;
  std::vector<std::string> uses;  // go.work `use` directories
  bool workspace_root = false;    // cargo [workspace]
};

Manifest read_package_json(std::string_view text, const std::string& file);
// go.mod and go.work: module, require, replace, use (the other directives are skipped).
Manifest read_go_mod(std::string_view text, const std::string& file);
Manifest read_cargo_toml(std::string_view text, const std::string& file);
Manifest read_pom_xml(std::string_view text, const std::string& file);
// uv ([tool.uv.sources] path or workspace) and poetry (`path = ...`) path dependencies.
Manifest read_pyproject_toml(std::string_view text, const std::string& file);
// `-e ../x`, `--editable=../x`, `./x`, `file:../x`, `name @ file:../x` lines.
std::vector<DeclaredDependency> read_requirements_txt(std::string_view text,
                                                      const std::string& file);

// PEP 503: lower case, each run of `-`, `_` and `.` as one `-`.
std::string normalize_python_name(std::string_view name);

// The 1-based line and column of byte `offset` of `text`.
struct TextPosition {
  int line = 1;
  int column = 1;
};
TextPosition position_at(std::string_view text, std::size_t offset);

}  // namespace svcdiff::config
