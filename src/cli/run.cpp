#include "cli/run.hpp"

#include <cstring>
#include <iostream>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/standard_streams.hpp"
#include "config/loader.hpp"
#include "core/error.hpp"
#include "core/path_text.hpp"
#include "output/man_page.hpp"
#include "output/shell_completion.hpp"

namespace svcdiff::cli {
namespace {

// A config named with -c is read even by a command that needs none (`match`,
// `schema`, the dynamic `asl`): a file the user pointed at that is missing or
// broken is an error, not silently ignored.
void check_named_config(const GlobalOptions& global) {
  if (!global.config.empty())
    (void)config::load_config_file(global.config, global.config, config::ConfigFileKind::named);
}

int dispatch(CommandLine& line) {
  const Log log(line.global.quiet, line.global.verbosity);
  const std::string command = line.command();
  const auto& global = line.global;
  if (command == "match" || command == "schema" ||
      (command == "asl" && line.asl.style != "choice")) {
    check_named_config(global);
  }
  if (command == "changed") return run_changed(global, line.changed, log);
  if (command == "explain") return run_explain(global, line.changed, line.inspect.names, log);
  if (command == "list") return run_list(global, line.inspect.json, log);
  if (command == "owners") return run_owners(global, line.inspect, log);
  if (command == "match") return run_match(global, line.inspect.pattern, line.inspect.paths);
  if (command == "graph") return run_graph(global, line.changed, line.inspect.graph_format, log);
  if (command == "asl") return run_asl(global, line.asl, log);
  if (command == "validate") return run_validate(global, log);
  if (command == "schema") return run_schema();
  if (command == "fingerprint") return run_fingerprint(global, line.fingerprint, log);
  if (command == "completion") {
    std::cout << output::completion_script(line.table(), line.completion_shell).value_or("");
    return 0;
  }
  if (command == "help" && line.help_man) {
    std::cout << output::man_page(line.table());
    return 0;
  }
  std::cout << line.help(command == "help" ? line.help_topic : "");
  return 0;
}

}  // namespace

std::string error_line(const Error& error) {
  const auto& at = error.location();
  // One line whatever the message quotes (a revision or a value from the
  // environment may hold a newline): control bytes as \xNN, at most 4 KiB.
  if (!at) return one_line(std::string("svcdiff: error: ") + error.what());
  std::string text = at->file + ":" + std::to_string(at->line);
  if (at->column > 0) text += ":" + std::to_string(at->column);
  return one_line(text + ": error: " + error.what());
}

namespace {

// The status of a run whose answer went to standard output: a lost write
// (`svcdiff asl > sm.json` on a full disk) fails it rather than leave a
// truncated file behind a success.
int with_output_written(int code) {
  const char* reason = nullptr;
  if (flush_standard_output(&reason) || code != 0) return code;
  std::cerr << "svcdiff: error: cannot write to standard output: " << reason
            << "; check the disk or the pipe it goes to, or write a file with -o\n";
  return static_cast<int>(ExitCode::runtime);
}

int run_command(int argc, char** argv) {
  // CLI11 reports --version by throwing, and the first exception a static
  // binary throws costs more than the whole answer (libgcc sorts its unwind
  // tables): the common call answers before CLI11 runs.
  if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
    std::cout << "svcdiff " << SVCDIFF_VERSION << "\n";
    return 0;
  }
  try {
    CommandLine line;
    if (!line.parse(argc, argv)) return 0;
    return dispatch(line);
  } catch (const Error& error) {
    std::cerr << error_line(error) << "\n";
    return static_cast<int>(error.code());
  } catch (const std::exception& error) {
    std::cerr << one_line(std::string("svcdiff: error: ") + error.what()) << "\n";
    return static_cast<int>(ExitCode::runtime);
  }
}

}  // namespace

int run(int argc, char** argv) {
  guard_standard_streams();
  return with_output_written(run_command(argc, argv));
}

}  // namespace svcdiff::cli
