// Commands for the Step Functions and CodeBuild side: asl and validate.
#include <filesystem>
#include <iostream>
#include <sstream>

#include "asl/state_machine.hpp"
#include "buildspec/validate.hpp"
#include "cli/commands.hpp"
#include "cli/workspace.hpp"
#include "core/error.hpp"

namespace svcdiff::cli {
namespace fs = std::filesystem;
namespace {

std::string service_where(const Workspace& workspace, const config::Service& service) {
  if (!workspace.config.from_file || service.pos.line == 0)
    return workspace.config.from_file ? workspace.config.file : "(discovered)";
  return workspace.config.file + ":" + std::to_string(service.pos.line);
}

}  // namespace

int run_asl(const GlobalOptions& global, const AslCommandOptions& command, const Log& log) {
  auto style = asl::parse_style(command.style);
  if (!style)
    throw usage_error("--style must be `dynamic` or `choice`, not `" + command.style + "`");
  asl::AslOptions options = command.definition;
  options.style = *style;
  std::vector<asl::AslService> services;
  if (options.style == asl::Style::choice) {
    // The choice style names every buildable project; the dynamic one reads
    // projects from the artifact and needs no config at all.
    Workspace workspace = open_workspace_at_head(global, log);
    for (const auto& service : workspace.services) {
      if (service.build) services.push_back({service.name, service.project});
    }
  }
  std::cout << asl::state_machine(services, options).dump(2) << "\n" << std::flush;
  return 0;
}

int run_validate(const GlobalOptions& global, const Log& log) {
  // Config errors (syntax, keys, names, cycles) throw with their position.
  Workspace workspace = open_workspace_at_head(global, log, /*work_tree=*/true);
  std::ostringstream problems;
  std::size_t count = 0;
  std::size_t checked = 0;
  for (const auto& service : workspace.services) {
    if (!service.build || service.buildspec.empty()) continue;
    fs::path file = fs::path(workspace.root) / service.buildspec;
    std::error_code error;
    if (!fs::is_regular_file(file, error)) {
      problems << service_where(workspace, service) << ": service `" << service.name
               << "`: buildspec " << service.buildspec
               << " does not exist; fix `buildspec` or add the file\n";
      ++count;
      continue;
    }
    ++checked;
    for (const auto& problem : buildspec::validate_file(file)) {
      problems << service.buildspec << ":" << problem.line << ": " << problem.message << "\n";
      ++count;
    }
  }
  std::cout << problems.str() << std::flush;
  if (count > 0) {
    log.info(std::to_string(count) + " problem" + (count == 1 ? "" : "s") + " found");
    return static_cast<int>(ExitCode::config);
  }
  log.info("ok: " + std::to_string(workspace.services.size()) + " services, " +
           std::to_string(checked) + " buildspecs checked");
  return 0;
}

}  // namespace svcdiff::cli
