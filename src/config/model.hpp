#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace svcdiff::config {

// The result cache keeps a parsed Config (src/cache/cache_file.cpp,
// put_config and read_config): a field added here must be added there, and
// set in tests/cache/cache_file_test.cpp's every_field(), whose round trip
// then checks it.

// Where a value stood in svcdiff.yml (1-based; 0 when not from a file).
struct SourcePos {
  int line = 0;
  int column = 0;
  friend bool operator==(const SourcePos&, const SourcePos&) = default;
};

struct PatternSpec {
  std::string text;
  SourcePos pos;
  friend bool operator==(const PatternSpec&, const PatternSpec&) = default;
};

// One ecosystem `infer` reads (SPEC §4) and which of its dependency kinds
// count; see config/infer.hpp for the names.
struct InferSpec {
  std::string ecosystem;           // npm, go, cargo, maven, python
  std::vector<std::string> kinds;  // empty: every kind the ecosystem has
  SourcePos pos;
  friend bool operator==(const InferSpec&, const InferSpec&) = default;
};

// A dependency a manifest declares on another service.
struct InferredDependency {
  std::string service;
  std::string source;  // "services/web/package.json: \"@acme/common\": \"workspace:*\""
  friend bool operator==(const InferredDependency&, const InferredDependency&) = default;
};

// Where CodeBuild takes a variable's value from (EnvironmentVariable Type):
// secrets travel by reference, never in the artifact (SPEC §5).
enum class VarType { plaintext, parameter_store, secrets_manager };

struct Service {
  std::string name;
  SourcePos pos;
  std::vector<PatternSpec> paths;  // default for a discovered service: its directory
  std::vector<PatternSpec> exclude;
  std::vector<std::string> depends_on;
  std::vector<SourcePos> depends_on_pos;  // where each depends_on name stood, same order
  // `!name` entries of depends_on: inferred edges to these services are dropped.
  std::vector<std::string> not_depends_on;
  std::vector<SourcePos> not_depends_on_pos;
  std::vector<InferredDependency> inferred;  // filled by infer_dependencies
  std::string project;                       // CodeBuild project; defaults to name
  std::string buildspec;                     // empty: <dir>/buildspec.yml when discovered
  std::string directory;  // the service's home ("services/service_A"), may be empty
  bool build = true;      // false: a library, selects dependents only
  // name -> value; for a reference ({parameter-store: NAME}, {secrets-manager:
  // ID}) the parameter or secret it names, with its type in var_types.
  std::map<std::string, std::string> vars;
  std::map<std::string, VarType> var_types;  // only the vars that are references
  bool discovered = false;                   // came from `discover` or the zero-config default
  friend bool operator==(const Service&, const Service&) = default;
};

// How a `discover` entry names its services: by the directory's basename, or
// by its whole path with `/` written as `-` (for repositories that repeat basenames).
enum class DiscoverNaming { basename, path };

struct Discover {
  std::string glob;
  std::string require = "buildspec.yml";
  DiscoverNaming naming = DiscoverNaming::basename;
  SourcePos pos;
  std::vector<InferSpec> infer;  // for the services this entry discovers
  friend bool operator==(const Discover&, const Discover&) = default;
};

enum class OnUnknownBase { all, fail };

struct Defaults {
  std::optional<std::string> base;
  std::optional<OnUnknownBase> on_unknown_base;
  std::optional<std::string> output;
  std::optional<std::string> format;
  friend bool operator==(const Defaults&, const Defaults&) = default;
};

struct Config {
  std::string file;        // as shown in messages ("svcdiff.yml"); empty when none
  bool from_file = false;  // false: discovery defaults, no svcdiff.yml
  std::string bytes;       // the file as read: the result cache (src/cache) is keyed on it
  int version = 1;
  Defaults defaults;
  std::vector<PatternSpec> ignore;
  std::vector<PatternSpec> global;
  std::vector<Discover> discover;
  std::vector<InferSpec> infer;   // for every service
  std::vector<Service> services;  // explicit entries, in file order
  friend bool operator==(const Config&, const Config&) = default;
};

}  // namespace svcdiff::config
