#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "repo/repository.hpp"

namespace svcdiff::cli {

// What decides head and base (SPEC §3): flags, the environment, the config.
struct RevisionInputs {
  std::optional<std::string> base_flag;
  std::optional<std::string> head_flag;
  bool merge_base = false;
  std::optional<std::string> config_base;  // defaults.base
  std::map<std::string, std::string> env;  // only the variables SPEC §3 names
};

// The chosen commits. `base` is empty when the base is unknown; then
// `unknown_reason` says why and what to do.
struct Revisions {
  std::string head;         // commit id; without a repository, the head revision when it is a
                            // full commit id (CODEBUILD_RESOLVED_SOURCE_VERSION), else empty
  std::string head_source;  // "--head", "SVCDIFF_HEAD", ... "HEAD"
  std::string base;         // commit id or empty
  std::string rule;         // base_rule of the items format
  std::string rule_detail;  // human text: which input chose the base
  std::string unknown_reason;
  std::vector<std::string> warnings;
  std::vector<std::string> notes;  // log lines: a rule that was set but did not apply
};

// The environment variables SPEC §3 reads, in its order: the one list (tests
// clear these).
const std::vector<std::string>& revision_variables();

// Reads the variables of SPEC §3 from the process environment.
std::map<std::string, std::string> revision_environment();

// Applies SPEC §3 in order. `repository` is null when there is no git
// repository at all. Throws svcdiff::Error (runtime) for a revision that does
// not resolve and is not a missing full commit id.
Revisions choose_revisions(const repo::Repository* repository, const RevisionInputs& inputs);

}  // namespace svcdiff::cli

namespace svcdiff::cli {

// The head revision SPEC §3 names (not yet resolved) and which input named it.
struct HeadRevision {
  std::string revision;
  std::string source;
};
HeadRevision head_revision(const RevisionInputs& inputs);
// An empty `--head ''` or `--base ''` names no revision: a usage error,
// found before any git work, in one wording for every command. `option` is
// the flag's name ("--head").
void check_revision_not_empty(const std::string& option, const std::optional<std::string>& value);
// The environment variable that named the head, or "" (a flag, the default).
std::string head_variable(const HeadRevision& head);

// The head when there is no repository to resolve it in (a zip source
// artifact): the value given (--head, SVCDIFF_HEAD,
// CODEBUILD_RESOLVED_SOURCE_VERSION) as it is, a commit id in lower case;
// empty when none was given.
std::string head_without_repository(const HeadRevision& head);

}  // namespace svcdiff::cli
