#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/model.hpp"
#include "plan/selection.hpp"

namespace svcdiff::output {

// An item holds at most this many reasons, the first the walk finds (SPEC
// §5); `explain` gives them all.
inline constexpr std::size_t kItemReasons = 3;

// One selected service as the items format shows it (SPEC §5).
struct Item {
  std::string name;
  std::string project;
  std::string path;       // the service's directory; empty when unknown
  std::string buildspec;  // empty when the project's own buildspec is used
  int wave = 0;
  std::map<std::string, std::string> vars;
  std::map<std::string, config::VarType> var_types;  // the vars that are references
  std::optional<std::string> fingerprint;
  std::vector<plan::Reason> reasons;  // views, as the selection's (plan::Reason)
  // The listed services it waits for (plan::Selection::waits_for), sorted: a
  // state machine skips the item when one of them failed.
  std::vector<std::string> depends_on;
  // Its index in the services make_artifact was given: found by name, each
  // item's fingerprint searched the whole list.
  std::size_t service = 0;
};

// Everything any format prints: the result object, printed elsewhere.
struct Artifact {
  std::string base;       // empty: no base (unknown, or --all without one)
  std::string head;       // empty: no commit (--files-from without git)
  std::string base_rule;  // "flag", "env", "webhook-base-ref", ..., "unknown"
  bool all = false;
  std::vector<std::string> services;  // sorted names
  std::vector<std::vector<Item>> waves;
  std::vector<std::string> removed;
  bool trimmed = false;
};

Artifact make_artifact(const std::vector<config::Service>& services,
                       const plan::Selection& selection);

}  // namespace svcdiff::output
