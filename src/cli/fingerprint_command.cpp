// `fingerprint` (SPEC §8) and the fingerprints of the items format.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/revisions.hpp"
#include "cli/workspace.hpp"
#include "core/error.hpp"
#include "fingerprint/fingerprint.hpp"
#include "output/fingerprints.hpp"

namespace svcdiff::cli {

std::unique_ptr<fingerprint::Source> fingerprint_source(const Workspace& workspace,
                                                        const std::string& head) {
  if (workspace.repository && !head.empty()) {
    return std::make_unique<fingerprint::CommitSource>(*workspace.repository, head);
  }
  return std::make_unique<fingerprint::DirectorySource>(workspace.root);
}

int run_fingerprint(const GlobalOptions& global, const FingerprintOptions& options,
                    const Log& log) {
  // As `changed` does: an empty value is a usage error before any git work.
  check_revision_not_empty("--head", options.head);
  RevisionInputs inputs{std::nullopt, options.head, false, std::nullopt, revision_environment()};
  const HeadRevision head = head_revision(inputs);
  Workspace workspace = open_workspace(global, head.revision, log);
  std::string commit;
  if (workspace.repository && !options.directory) {
    commit = workspace.repository->resolve_commit(head.revision);
  } else if (options.head) {
    throw usage_error("--head needs a repository; drop --dir or --head");
  }
  load_services(workspace, commit, log);

  std::vector<std::size_t> wanted;
  for (const auto& name : options.services) wanted.push_back(workspace.require_service(name));
  if (options.services.empty()) {
    for (std::size_t i = 0; i < workspace.services.size(); ++i) wanted.push_back(i);
  }

  auto source = fingerprint_source(workspace, commit);
  fingerprint::Fingerprinter fingerprinter(*source, workspace.services, *workspace.classifier,
                                           *workspace.graph);
  if (options.inputs) {
    std::string text;
    for (std::size_t index : wanted) text += fingerprinter.inputs(index);
    std::cout << text << std::flush;
    return 0;
  }
  output::FingerprintReport report{commit, commit.empty() ? "directory" : "commit", {}};
  for (std::size_t index : wanted) {
    report.fingerprints.emplace_back(workspace.services[index].name,
                                     fingerprinter.fingerprint(index));
  }
  log.info("fingerprints of " + std::to_string(wanted.size()) + " services from " +
           (commit.empty() ? "the directory " + workspace.root : "commit " + commit));
  std::cout << output::render_fingerprints(report, options.json) << std::flush;
  return 0;
}

}  // namespace svcdiff::cli
