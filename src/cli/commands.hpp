#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/log.hpp"
#include "cli/options.hpp"
#include "cli/workspace.hpp"
#include "fingerprint/source.hpp"

namespace svcdiff::cli {

// Each command returns its exit status; errors are thrown (see run()).
int run_changed(const GlobalOptions& global, const ChangedOptions& options, const Log& log);
int run_explain(const GlobalOptions& global, const ChangedOptions& options,
                const std::vector<std::string>& names, const Log& log);
int run_list(const GlobalOptions& global, bool json, const Log& log);
int run_owners(const GlobalOptions& global, const InspectOptions& options, const Log& log);
int run_match(const GlobalOptions& global, const std::string& pattern,
              const std::vector<std::string>& paths);
int run_graph(const GlobalOptions& global, const ChangedOptions& options, const std::string& format,
              const Log& log);
int run_asl(const GlobalOptions& global, const AslCommandOptions& options, const Log& log);
int run_validate(const GlobalOptions& global, const Log& log);
int run_fingerprint(const GlobalOptions& global, const FingerprintOptions& options, const Log& log);
// The source fingerprints read: the commit `head`, or the work tree root on
// disk when there is no repository or no head.
std::unique_ptr<fingerprint::Source> fingerprint_source(const Workspace& workspace,
                                                        const std::string& head);
// Prints the JSON Schema (draft-07) of svcdiff.yml; needs no repository.
int run_schema();

}  // namespace svcdiff::cli
