#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "config/model.hpp"
#include "fingerprint/source.hpp"
#include "graph/dependency_graph.hpp"
#include "match/path_classifier.hpp"

namespace svcdiff::fingerprint {

// The patterns that decide which entries one part of a fingerprint reads.
struct Scope {
  const std::vector<match::Pattern>& paths;
  const std::vector<match::Pattern>& exclude;
  const std::vector<match::Pattern>& ignore;
};

// Appends the entries `scope` selects to `text`, one line each as `git
// ls-tree` prints them ("<mode> <type> <id>\t<path>\n"), sorted by path bytes.
// An entry is a file, symlink or submodule, or a whole directory whose tree id
// stands for everything below it: a directory that one of `paths` selects
// whole, and that no `exclude` or `ignore` pattern can reach into, is one
// tree entry (so a commit's tree id is reused as it is); every other selected
// path is listed file by file. The choice depends only on the patterns and
// the paths, never on contents, so a commit and a plain directory with the
// same files give the same entries.
void append_inputs(Source& source, const Scope& scope, std::string& text);

// Every service's v1 fingerprint over one source, each computed once (a
// service's fingerprint includes its dependencies'). Services that depend on
// each other (a cycle through inferred edges) are hashed as one component, so
// the result never depends on which of them is asked for first.
class Fingerprinter {
 public:
  // `services`, the classifier's services and the graph's nodes share indices.
  Fingerprinter(Source& source, const std::vector<config::Service>& services,
                const match::PathClassifier& classifier, const graph::DependencyGraph& graph);

  // "v1:" and 64 hex characters: SHA-256 over inputs(service).
  const std::string& fingerprint(std::size_t service);
  // The canonical byte sequence the fingerprint hashes (the README's recipe).
  std::string inputs(std::size_t service);

 private:
  const std::string& global_entries();
  // The text up to and including the service's entries; a dependency in the
  // service's own cycle is named without a fingerprint.
  std::string own_inputs(std::size_t service);
  // SHA-256 hex of own_inputs(service), computed once.
  const std::string& own_digest(std::size_t service);
  // "" outside a cycle; else "cycle" and one "member" line per service of it,
  // which ties each member's fingerprint to every member's inputs.
  std::string cycle_lines(std::size_t service);
  bool in_cycle(std::size_t service) const;

  Source& source_;
  const std::vector<config::Service>& services_;
  const match::PathClassifier& classifier_;
  const graph::DependencyGraph& graph_;
  std::optional<std::string> global_entries_;
  std::vector<std::optional<std::string>> fingerprints_;
  std::vector<std::optional<std::string>> own_digests_;
  std::vector<std::vector<std::size_t>> members_;  // per graph component, sorted by name
};

}  // namespace svcdiff::fingerprint
