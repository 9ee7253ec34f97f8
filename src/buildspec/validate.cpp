#include "buildspec/validate.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <regex>
#include <string>

#include "config/yaml_tree.hpp"
#include "core/error.hpp"
#include "core/path_text.hpp"
#include "core/suggest.hpp"

namespace svcdiff::buildspec {
namespace {

using Keys = std::vector<std::string>;
using config::YamlNode;
using Kind = config::YamlNode::Kind;

const Keys kTopKeys = {"version", "run-as",  "env",       "proxy", "batch",
                       "phases",  "reports", "artifacts", "cache"};
const Keys kEnvKeys = {"shell",           "variables",
                       "parameter-store", "exported-variables",
                       "secrets-manager", "git-credential-helper"};
const Keys kShells = {"bash", "/bin/sh", "powershell.exe", "cmd.exe"};
const Keys kProxyKeys = {"upload-artifacts", "logs"};
const Keys kBatchKeys = {"fast-fail", "build-list", "build-matrix", "build-graph"};
const Keys kPhases = {"install", "pre_build", "build", "post_build"};
const Keys kPhaseKeys = {"run-as", "on-failure", "commands", "finally"};
const Keys kInstallKeys = {"run-as", "on-failure", "runtime-versions", "commands", "finally"};
const Keys kArtifactKeys = {
    "files",           "name",      "discard-paths",      "base-directory", "exclude-paths",
    "enable-symlinks", "s3-prefix", "secondary-artifacts"};
const Keys kSecondaryArtifactKeys = {"files",          "name",          "discard-paths",
                                     "base-directory", "exclude-paths", "enable-symlinks",
                                     "s3-prefix"};
const Keys kReportKeys = {"files", "base-directory", "discard-paths", "file-format"};
const Keys kReportFormats = {"JUNITXML",  "CUCUMBERJSON", "TESTNGXML", "VISUALSTUDIOTRX",
                             "NUNITXML",  "NUNIT3XML",    "CLOVERXML", "COBERTURAXML",
                             "JACOCOXML", "SIMPLECOV"};
const Keys kCacheKeys = {"paths", "key", "fallback-keys", "action"};

// A buildspec is CodeBuild's, not ours: YAML as it allows, within limits
// that no real buildspec comes near (its deepest keys nest six levels).
const config::YamlLimits kLimits{/*max_depth=*/64, /*max_values=*/100'000};

// 1-based line of a node, 0 when yaml-cpp has no position for it.
int line_of(const YamlNode& node) { return std::max(node.pos.line, 0); }

bool is_null(const YamlNode& node) { return node.kind == Kind::null; }
bool is_scalar(const YamlNode& node) { return node.kind == Kind::scalar; }
bool is_list(const YamlNode& node) { return node.kind == Kind::sequence; }
bool is_map(const YamlNode& node) { return node.kind == Kind::mapping; }

std::string scalar_text(const YamlNode& node) {
  return is_scalar(node) ? node.text : std::string();
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool contains(const Keys& keys, const std::string& key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::string kind_of(const YamlNode& node) {
  switch (node.kind) {
    case Kind::null:
      return "empty";
    case Kind::scalar:
      return "a string";
    case Kind::sequence:
      return "a list";
    case Kind::mapping:
      return "a mapping";
  }
  return "undefined";
}

// A key and its value as written (the tree keeps both entries of a duplicate
// key). They point into the tree, which outlives every check.
struct Entry {
  const YamlNode& key;
  const YamlNode& value;
  std::string name;
  int key_line = 0;
  // Where a problem with the value is reported: the value, or the key when the
  // value is empty (yaml-cpp places an empty value on the line after its key).
  int value_line = 0;
};

// A mapping's entries in order; none for any other node.
std::vector<Entry> entries(const YamlNode& map) {
  std::vector<Entry> found;
  if (!is_map(map)) return found;
  for (std::size_t i = 0; i + 1 < map.items.size(); i += 2) {
    const YamlNode& key = map.items[i];
    const YamlNode& value = map.items[i + 1];
    const int value_line = is_null(value) || line_of(value) == 0 ? line_of(key) : line_of(value);
    found.push_back({key, value, scalar_text(key), line_of(key), value_line});
  }
  return found;
}

// The first entry named `name` (a duplicate is reported elsewhere).
std::optional<Entry> find(const YamlNode& map, const std::string& name) {
  for (Entry& entry : entries(map)) {
    if (entry.name == name) return entry;
  }
  return std::nullopt;
}

class Checker {
 public:
  // Messages quote the buildspec's own text, which may hold a newline (a
  // quoted `"0.2\n"`, or the byte yaml-cpp stopped at): every problem leaves
  // through here as one line.
  std::vector<Problem> take() {
    std::stable_sort(problems_.begin(), problems_.end(),
                     [](const Problem& a, const Problem& b) { return a.line < b.line; });
    for (auto& problem : problems_) problem.message = one_line(problem.message);
    return std::move(problems_);
  }

  void add(int line, std::string message) { problems_.push_back({line, std::move(message)}); }

  // Every mapping in the document, known keys or not.
  void check_duplicate_keys(const YamlNode& node) {
    if (is_list(node)) {
      for (const YamlNode& item : node.items) check_duplicate_keys(item);
      return;
    }
    if (!is_map(node)) return;
    std::map<std::string, int> seen;
    for (const Entry& entry : entries(node)) {
      if (is_scalar(entry.key)) {
        auto [it, inserted] = seen.emplace(entry.name, entry.key_line);
        if (!inserted) {
          add(entry.key_line, "duplicate key `" + entry.name + "` (first at line " +
                                  std::to_string(it->second) + ")");
        }
      }
      check_duplicate_keys(entry.value);
    }
  }

  void check_top(const YamlNode& root) {
    if (!is_map(root)) {
      add(std::max(1, line_of(root)),
          "a buildspec is a mapping of keys such as `version` and `phases`, not " + kind_of(root));
      return;
    }
    check_keys(root, kTopKeys, "top-level key", "");
    check_version(root);
    for (const Entry& entry : entries(root)) {
      if (entry.name == "run-as") {
        check_string(entry, "`run-as`");
      } else if (entry.name == "env") {
        check_env(entry);
      } else if (entry.name == "proxy") {
        check_proxy(entry);
      } else if (entry.name == "batch") {
        check_batch(entry);
      } else if (entry.name == "phases") {
        check_phases(entry);
      } else if (entry.name == "reports") {
        check_reports(entry);
      } else if (entry.name == "artifacts") {
        check_artifacts(entry, kArtifactKeys, "artifacts");
      } else if (entry.name == "cache") {
        check_cache(entry);
      }
    }
    if (!find(root, "phases")) add(1, "missing `phases`: a buildspec needs at least one phase");
  }

 private:
  // Unknown keys of `map`, with the nearest known one. `what` names the kind of
  // key ("top-level key", "key"); `where` the mapping (" in `env`").
  void check_keys(const YamlNode& map, const Keys& known, const std::string& what,
                  const std::string& where) {
    for (const Entry& entry : entries(map)) {
      if (!is_scalar(entry.key)) {
        add(entry.key_line, "a key" + where + " must be a plain string, not " + kind_of(entry.key));
        continue;
      }
      if (contains(known, entry.name)) continue;
      std::string known_list;
      for (const std::string& key : known)
        known_list += (known_list.empty() ? "`" : ", `") + key + "`";
      add(entry.key_line, "unknown " + what + " `" + entry.name + "`" + where +
                              did_you_mean(entry.name, known, " (known: " + known_list + ")"));
    }
  }

  // True when the value is a mapping; otherwise reports it.
  bool expect_map(const Entry& entry, const std::string& what) {
    if (is_map(entry.value)) return true;
    add(entry.value_line, what + " must be a mapping, not " + kind_of(entry.value));
    return false;
  }

  bool check_string(const Entry& entry, const std::string& what) {
    if (is_scalar(entry.value)) return true;
    add(entry.value_line, what + " must be a string, not " + kind_of(entry.value));
    return false;
  }

  void check_yes_no(const Entry& entry, const std::string& what) {
    if (!check_string(entry, what)) return;
    const std::string text = lower(entry.value.text);
    if (text != "yes" && text != "no" && text != "true" && text != "false") {
      add(entry.value_line, what + " must be yes or no, not `" + entry.value.text + "`");
    }
  }

  // A list of non-empty strings. `item` names one element ("command", "file").
  bool check_string_list(const Entry& entry, const std::string& what, const std::string& item) {
    if (!is_list(entry.value)) {
      add(entry.value_line, what + " must be a list of " + item + "s, not " + kind_of(entry.value));
      return false;
    }
    bool ok = true;
    int previous_line = entry.key_line;
    for (const YamlNode& element : entry.value.items) {
      // yaml-cpp places an empty item at the next token: assume the line after
      // the item before it.
      const int line =
          is_null(element) || line_of(element) == 0 ? previous_line + 1 : line_of(element);
      previous_line = line;
      if (is_scalar(element) && !element.text.empty()) continue;
      ok = false;
      if (is_map(element)) {
        add(line, item + " is a mapping, not a string: a `: ` inside a " + item +
                      " starts a YAML mapping, so quote the whole " + item);
      } else if (is_null(element) || is_scalar(element)) {
        add(line, item + " is empty");
      } else {
        add(line, item + " is " + kind_of(element) + ", not a string");
      }
    }
    return ok;
  }

  void check_variable_name(const std::string& name, int line, const std::string& where) {
    static const std::regex kName("[A-Za-z_][A-Za-z0-9_]*");
    if (!std::regex_match(name, kName)) {
      add(line, "`" + name + "`" + where +
                    " is not a valid environment variable name (letters, digits and `_`, "
                    "not starting with a digit)");
    }
  }

  // variables, parameter-store, secrets-manager: NAME: value.
  void check_variable_map(const Entry& entry) {
    const std::string what = "`env." + entry.name + "`";
    if (!expect_map(entry, what)) return;
    for (const Entry& variable : entries(entry.value)) {
      if (!is_scalar(variable.key)) {
        add(variable.key_line,
            "a variable name in " + what + " must be a string, not " + kind_of(variable.key));
        continue;
      }
      check_variable_name(variable.name, variable.key_line, " in " + what);
      if (!is_scalar(variable.value)) {
        add(variable.value_line, "variable `" + variable.name + "` in " + what +
                                     " must have a string value, not " + kind_of(variable.value));
      }
    }
  }

  void check_version(const YamlNode& root) {
    std::optional<Entry> version = find(root, "version");
    if (!version) {
      add(1, "missing `version: 0.2`");
      return;
    }
    const std::string text = scalar_text(version->value);
    if (text == "0.2") return;
    if (text == "0.1") {
      add(version->value_line,
          "buildspec version 0.1 is not supported: use `version: 0.2` (0.1 runs each command "
          "in a shell of its own)");
    } else if (is_scalar(version->value)) {
      add(version->value_line, "`version` must be 0.2, not `" + text + "`");
    } else {
      add(version->value_line, "`version` must be 0.2, not " + kind_of(version->value));
    }
  }

  void check_env(const Entry& env) {
    if (!expect_map(env, "`env`")) return;
    check_keys(env.value, kEnvKeys, "key", " in `env`");
    for (const Entry& entry : entries(env.value)) {
      if (entry.name == "shell") {
        if (check_string(entry, "`env.shell`") && !contains(kShells, entry.value.text)) {
          add(entry.value_line,
              "`env.shell` must be bash or /bin/sh (Linux), powershell.exe or "
              "cmd.exe (Windows), not `" +
                  entry.value.text + "`");
        }
      } else if (entry.name == "variables" || entry.name == "parameter-store" ||
                 entry.name == "secrets-manager") {
        check_variable_map(entry);
      } else if (entry.name == "exported-variables") {
        if (check_string_list(entry, "`env.exported-variables`", "variable name")) {
          for (const YamlNode& name : entry.value.items) {
            check_variable_name(name.text, line_of(name), " in `env.exported-variables`");
          }
        }
      } else if (entry.name == "git-credential-helper") {
        check_yes_no(entry, "`env.git-credential-helper`");
      }
    }
  }

  void check_proxy(const Entry& proxy) {
    if (!expect_map(proxy, "`proxy`")) return;
    check_keys(proxy.value, kProxyKeys, "key", " in `proxy`");
    for (const Entry& entry : entries(proxy.value)) {
      if (contains(kProxyKeys, entry.name)) check_yes_no(entry, "`proxy." + entry.name + "`");
    }
  }

  void check_batch(const Entry& batch) {
    if (!expect_map(batch, "`batch`")) return;
    check_keys(batch.value, kBatchKeys, "key", " in `batch`");
    int kinds = 0;
    for (const Entry& entry : entries(batch.value)) {
      if (entry.name == "fast-fail") {
        check_yes_no(entry, "`batch.fast-fail`");
      } else if (contains(kBatchKeys, entry.name) && ++kinds == 2) {
        add(entry.key_line, "`batch` takes one of `build-list`, `build-matrix` and `build-graph`");
      }
    }
  }

  void check_phases(const Entry& phases) {
    if (!expect_map(phases, "`phases`")) return;
    check_keys(phases.value, kPhases, "phase", "");
    if (phases.value.items.empty()) add(phases.key_line, "`phases` has no phase");
    for (const Entry& phase : entries(phases.value)) {
      if (contains(kPhases, phase.name)) check_phase(phase);
    }
  }

  void check_phase(const Entry& phase) {
    const std::string what = "phase `" + phase.name + "`";
    if (is_null(phase.value)) {
      add(phase.key_line, what + " is empty: give it `commands`");
      return;
    }
    if (!expect_map(phase, what)) return;
    const bool install = phase.name == "install";
    check_keys(phase.value, install ? kInstallKeys : kPhaseKeys, "key", " in " + what);
    for (const Entry& entry : entries(phase.value)) {
      const std::string key = "`" + phase.name + "." + entry.name + "`";
      if (entry.name == "commands" || entry.name == "finally") {
        check_string_list(entry, key, "command");
      } else if (entry.name == "run-as") {
        check_string(entry, key);
      } else if (entry.name == "on-failure") {
        static const std::regex kRetry("RETRY(-[0-9]+)?(-.+)?");
        if (check_string(entry, key)) {
          const std::string& text = entry.value.text;
          if (text != "ABORT" && text != "CONTINUE" && !std::regex_match(text, kRetry)) {
            add(entry.value_line,
                key + " must be ABORT, CONTINUE or RETRY[-count][-regex], not `" + text + "`");
          }
        }
      } else if (entry.name == "runtime-versions" && install) {
        if (expect_map(entry, key)) {
          for (const Entry& runtime : entries(entry.value)) {
            check_string(runtime, "runtime `" + runtime.name + "`");
          }
        }
      }
    }
    // install may only pick runtimes; every other phase exists to run commands.
    if (!find(phase.value, "commands") &&
        !(install && find(phase.value, "runtime-versions") && !find(phase.value, "finally"))) {
      add(phase.key_line, what + " has no `commands`");
    }
  }

  void check_reports(const Entry& reports) {
    if (!expect_map(reports, "`reports`")) return;
    for (const Entry& group : entries(reports.value)) {
      const std::string what = "report group `" + group.name + "`";
      if (!expect_map(group, what)) continue;
      check_keys(group.value, kReportKeys, "key", " in " + what);
      for (const Entry& entry : entries(group.value)) {
        const std::string key = "`" + entry.name + "` of " + what;
        if (entry.name == "files") {
          check_string_list(entry, key, "file");
        } else if (entry.name == "base-directory") {
          check_string(entry, key);
        } else if (entry.name == "discard-paths") {
          check_yes_no(entry, key);
        } else if (entry.name == "file-format" && check_string(entry, key)) {
          std::string format = entry.value.text;
          std::transform(format.begin(), format.end(), format.begin(),
                         [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
          if (!contains(kReportFormats, format)) {
            add(entry.value_line, key + " `" + entry.value.text + "` is not a report format");
          }
        }
      }
      if (!find(group.value, "files")) add(group.key_line, what + " has no `files`");
    }
  }

  // `artifacts` or one of its secondary artifacts (`where` names it).
  void check_artifacts(const Entry& artifacts, const Keys& known, const std::string& where) {
    const std::string what = "`" + where + "`";
    if (!expect_map(artifacts, what)) return;
    check_keys(artifacts.value, known, "key", " in " + what);
    for (const Entry& entry : entries(artifacts.value)) {
      const std::string key = "`" + where + "." + entry.name + "`";
      if (entry.name == "files") {
        check_string_list(entry, key, "file");
      } else if (entry.name == "name" || entry.name == "base-directory" ||
                 entry.name == "s3-prefix") {
        check_string(entry, key);
      } else if (entry.name == "discard-paths" || entry.name == "enable-symlinks") {
        check_yes_no(entry, key);
      } else if (entry.name == "exclude-paths") {
        if (!is_scalar(entry.value)) check_string_list(entry, key, "path");
      } else if (entry.name == "secondary-artifacts" && contains(known, entry.name)) {
        if (expect_map(entry, key)) {
          for (const Entry& secondary : entries(entry.value)) {
            check_artifacts(secondary, kSecondaryArtifactKeys,
                            "artifacts.secondary-artifacts." + secondary.name);
          }
        }
      }
    }
    // Only secondary artifacts may stand without primary files.
    if (!find(artifacts.value, "files") && !find(artifacts.value, "secondary-artifacts")) {
      add(artifacts.key_line, what + " has no `files` (a list of paths or patterns)");
    }
  }

  void check_cache(const Entry& cache) {
    if (!expect_map(cache, "`cache`")) return;
    check_keys(cache.value, kCacheKeys, "key", " in `cache`");
    for (const Entry& entry : entries(cache.value)) {
      const std::string key = "`cache." + entry.name + "`";
      if (entry.name == "paths") {
        check_string_list(entry, key, "path");
      } else if (entry.name == "fallback-keys") {
        check_string_list(entry, key, "key");
      } else if (entry.name == "key" || entry.name == "action") {
        check_string(entry, key);
      }
    }
  }

  std::vector<Problem> problems_;
};

}  // namespace

std::vector<Problem> validate(std::string_view text) {
  if (text.size() > kMaxBuildspecBytes) {
    return {{1,
             "the buildspec is larger than 1 MiB, the most svcdiff reads; split its commands "
             "into scripts"}};
  }
  // As in svcdiff.yml: yaml-cpp would read a NUL as text and find nothing wrong.
  if (const auto nul = config::find_nul(text)) {
    return {{nul->line, "a NUL byte at column " + std::to_string(nul->column) +
                            ": the buildspec must be text " + std::string(config::kNulAdvice)}};
  }
  std::vector<YamlNode> documents;
  Checker checker;
  try {
    documents = config::parse_yaml_documents(text, kLimits);
  } catch (const config::YamlError& error) {
    // yaml-cpp reports an unclosed bracket where its reader stopped, which can
    // be one line past the end: point at the last line instead.
    const int last_line = static_cast<int>(std::count(text.begin(), text.end(), '\n')) +
                          (text.empty() || text.back() == '\n' ? 0 : 1);
    checker.add(std::max(1, std::min(error.pos().line, last_line)),
                error.syntax() ? std::string("YAML syntax error: ") + error.what() +
                                     (error.advice().empty() ? "" : "; " + error.advice())
                               : error.what());
    return checker.take();
  }
  if (documents.empty() || is_null(documents[0])) return {{1, "the buildspec is empty"}};
  if (documents.size() > 1) {
    checker.add(std::max(1, line_of(documents[1])),
                "a buildspec is one YAML document, not " + std::to_string(documents.size()));
  }
  checker.check_duplicate_keys(documents[0]);
  checker.check_top(documents[0]);
  return checker.take();
}

std::vector<Problem> validate_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw runtime_error("cannot read buildspec " + path.string());
  // One byte past the limit is enough for validate() to refuse the file.
  std::string text(kMaxBuildspecBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) throw runtime_error("cannot read buildspec " + path.string());
  text.resize(static_cast<std::size_t>(in.gcount()));
  return validate(text);
}

}  // namespace svcdiff::buildspec
