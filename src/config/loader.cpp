#include "config/loader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include "config/infer.hpp"
#include "config/names.hpp"
#include "config/yaml_tree.hpp"
#include "core/error.hpp"
#include "core/path_text.hpp"
#include "core/suggest.hpp"
#include "match/pattern.hpp"
#include "output/formats.hpp"

namespace svcdiff::config {
namespace {

using Kind = YamlNode::Kind;

// 10000 -> "10,000", for limits in messages.
std::string with_commas(std::size_t n) {
  // Appended digit by digit: g++ 12 warns (-Wrestrict) about an insert into
  // the string's own buffer that cannot overlap.
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

const char* describe(const YamlNode& node) {
  switch (node.kind) {
    case Kind::null:
      return "nothing";
    case Kind::scalar:
      return "a single value";
    case Kind::sequence:
      return "a list";
    case Kind::mapping:
      return "a mapping";
  }
  return "something else";
}

// Known keys, in the order SPEC §4 introduces them.
const std::vector<std::string> kTopKeys = {"version",  "defaults", "ignore",  "global",
                                           "discover", "infer",    "services"};
const std::vector<std::string> kDefaultsKeys = {"base", "on_unknown_base", "output", "format"};
const std::vector<std::string> kDiscoverKeys = {"glob", "require", "name", "infer"};
const std::vector<std::string> kDiscoverNaming = {"basename", "path"};
const std::vector<std::string> kServiceKeys = {"paths",     "exclude", "depends_on", "project",
                                               "buildspec", "vars",    "build"};
const std::vector<std::string> kOnUnknownBase = {"all", "fail"};

std::string backquoted_list(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "`" : ", `") + word + "`";
  return out;
}

// "; did you mean `x`?" when a known word is close, else the full list.
std::string suggestion(std::string_view word, const std::vector<std::string>& known) {
  return did_you_mean(word, known, "; expected one of " + backquoted_list(known));
}

// Reads the parsed tree into the model, checking each value where it stands.
class ConfigReader {
 public:
  explicit ConfigReader(const std::string& file) : file_(file) {}

  Config read(const YamlNode& root) const {
    if (root.kind == Kind::null) fail({1, 1}, "missing `version: 1`; add it as the first line");
    if (root.kind != Kind::mapping) {
      fail(root.pos, std::string("expected a mapping of settings (`version: 1`, `services:`, ...)"
                                 " at the top level, found ") +
                         describe(root));
    }
    Config config;
    config.file = file_;
    config.from_file = true;
    // The version first: a newer file's other keys are not ours to judge.
    const YamlNode* version = nullptr;
    for (std::size_t i = 0; i < root.items.size(); i += 2) {
      if (root.items[i].text == "version") version = &root.items[i + 1];
    }
    if (version == nullptr) fail({1, 1}, "missing `version: 1`; add it as the first line");
    config.version = read_version(*version);

    each_entry(root, kTopKeys, "at the top level",
               [&](const std::string& key, const YamlNode& value) {
                 if (key == "defaults") {
                   config.defaults = read_defaults(value);
                 } else if (key == "ignore" || key == "global") {
                   (key == "ignore" ? config.ignore : config.global) = read_patterns(value, key);
                 } else if (key == "discover") {
                   config.discover = read_discover(value);
                 } else if (key == "infer") {
                   config.infer = read_infer(value, key);
                 } else if (key == "services") {
                   config.services = read_services(value);
                 }
               });
    return config;
  }

 private:
  [[noreturn]] void fail(const SourcePos& pos, const std::string& message) const {
    throw config_error_at({file_, pos.line, pos.column}, message);
  }

  // Calls visit(key, value) for each entry of `map` in file order, after
  // rejecting a key that is not `known`. `where` completes "unknown key `x` ...".
  template <typename Visit>
  void each_entry(const YamlNode& map, const std::vector<std::string>& known,
                  const std::string& where, Visit&& visit) const {
    for (std::size_t i = 0; i + 1 < map.items.size(); i += 2) {
      const YamlNode& key = map.items[i];
      if (std::find(known.begin(), known.end(), key.text) == known.end()) {
        fail(key.pos,
             "unknown key `" + message_text(key.text) + "` " + where + suggestion(key.text, known));
      }
      visit(key.text, map.items[i + 1]);
    }
  }

  // A mapping, or nothing (an empty value stands for an empty mapping).
  void expect_mapping(const YamlNode& node, const std::string& what, const char* example) const {
    if (node.kind != Kind::mapping && node.kind != Kind::null) {
      fail(node.pos,
           "`" + what + "`: expected a mapping like `" + example + "`, found " + describe(node));
    }
  }

  // A list of at most kMaxListEntries, or nothing (an empty list).
  const std::vector<YamlNode>& expect_list(const YamlNode& node, const std::string& what,
                                           const char* of) const {
    static const std::vector<YamlNode> kNone;
    if (node.kind == Kind::null) return kNone;
    if (node.kind != Kind::sequence) {
      std::string message =
          "`" + what + "`: expected a list of " + of + ", found " + describe(node);
      if (node.kind == Kind::scalar) {
        message += "; write it as a list: `[\"" + message_text(node.text) + "\"]`";
      }
      fail(node.pos, message);
    }
    if (node.items.size() > kMaxListEntries) {
      fail(node.items[kMaxListEntries].pos,
           "`" + what + "` has more than " + with_commas(kMaxListEntries) +
               " entries, the limit; use fewer, broader ones (`dir/` covers all below it)");
    }
    return node.items;
  }

  // `what` and the index of one entry of that list: "ignore[2]".
  static std::string entry_name(const std::string& what, std::size_t index) {
    return what + "[" + std::to_string(index) + "]";
  }

  // A scalar of at most kMaxStringBytes; empty only when `allow_empty`.
  std::string read_text(const YamlNode& node, const std::string& what, const char* expected,
                        bool allow_empty) const {
    if (node.kind != Kind::scalar) {
      fail(node.pos, "`" + what + "`: expected " + expected + ", found " + describe(node));
    }
    if (node.text.size() > kMaxStringBytes) {
      fail(node.pos, "`" + what + "` is " + with_commas(node.text.size()) +
                         " bytes long; the limit is " + with_commas(kMaxStringBytes) + " bytes");
    }
    if (node.text.empty() && !allow_empty) {
      fail(node.pos, "`" + what + "` is empty; expected " + expected);
    }
    return node.text;
  }

  std::string read_string(const YamlNode& node, const std::string& what) const {
    return read_text(node, what, "a string", false);
  }

  // One of `choices`, spelt exactly.
  std::string read_choice(const YamlNode& node, const std::string& what,
                          const std::vector<std::string>& choices) const {
    std::string value = read_text(node, what, "a string", false);
    if (std::find(choices.begin(), choices.end(), value) == choices.end()) {
      fail(node.pos, "`" + what + "` cannot be `" + message_text(value) + "`" +
                         did_you_mean(value, choices, "; use one of " + backquoted_list(choices)));
    }
    return value;
  }

  bool read_bool(const YamlNode& node, const std::string& what) const {
    if (node.kind == Kind::scalar && !node.quoted) {
      const std::string& t = node.text;
      if (t == "true" || t == "True" || t == "TRUE") return true;
      if (t == "false" || t == "False" || t == "FALSE") return false;
    }
    std::string found = describe(node);
    if (node.kind == Kind::scalar) {
      found = (node.quoted ? "the quoted string \"" : "`") + message_text(node.text) +
              (node.quoted ? "\" (remove the quotes)" : "`");
    }
    fail(node.pos, "`" + what + "`: expected true or false, found " + found);
  }

  int read_version(const YamlNode& node) const {
    if (node.kind == Kind::scalar && !node.quoted && node.text == "1") return 1;
    if (node.kind != Kind::scalar) {
      fail(node.pos,
           std::string("`version`: expected 1, found ") + describe(node) + "; write `version: 1`");
    }
    if (node.quoted && node.text == "1") {
      fail(node.pos,
           "`version: \"1\"`: the quotes make it the string \"1\", not the number 1; write "
           "`version: 1` without quotes");
    }
    fail(node.pos, "unsupported `version: " + message_text(node.text) +
                       "`; this svcdiff reads `version: 1` (without quotes)");
  }

  Defaults read_defaults(const YamlNode& node) const {
    expect_mapping(node, "defaults", "{base: origin/main}");
    Defaults defaults;
    each_entry(node, kDefaultsKeys, "in `defaults`",
               [&](const std::string& key, const YamlNode& value) {
                 const std::string what = "defaults." + key;
                 if (key == "base") {
                   defaults.base = read_string(value, what);
                 } else if (key == "on_unknown_base") {
                   defaults.on_unknown_base = read_choice(value, what, kOnUnknownBase) == "all"
                                                  ? OnUnknownBase::all
                                                  : OnUnknownBase::fail;
                 } else if (key == "output") {
                   defaults.output = read_string(value, what);
                 } else if (key == "format") {
                   defaults.format = read_choice(value, what, output::format_names());
                 }
               });
    return defaults;
  }

  // `what` names the value, `list` the key it stands under ("services.app.paths",
  // "ignore", ...): a leading `!` means something else in `paths`.
  PatternSpec read_pattern(const YamlNode& node, const std::string& what,
                           const std::string& list) const {
    PatternSpec spec{read_text(node, what, "a pattern string", false), node.pos};
    if (spec.text[0] == '!') {
      const std::string rest = message_text(spec.text.substr(1));
      if (list.size() >= 5 && list.compare(list.size() - 5, 5, "paths") == 0) {
        fail(node.pos, "`" + message_text(spec.text) + "` in `" + list +
                           "`: `paths` cannot hold `!` patterns; list `" + rest +
                           "` under `exclude` instead");
      }
      fail(node.pos, "`" + message_text(spec.text) + "` in `" + list +
                         "`: patterns starting with `!` are not supported here; to match a "
                         "name that starts with `!`, write `\\" +
                         message_text(spec.text) + "`");
    }
    try {
      match::Pattern::compile(spec.text);
    } catch (const Error& e) {
      fail(node.pos, e.what());
    }
    return spec;
  }

  std::vector<PatternSpec> read_patterns(const YamlNode& node, const std::string& what) const {
    const std::vector<YamlNode>& items = expect_list(node, what, "pattern strings");
    std::vector<PatternSpec> patterns;
    patterns.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      patterns.push_back(read_pattern(items[i], entry_name(what, i), what));
    }
    return patterns;
  }

  // A '/'-separated path relative to `root`, that stays below it.
  std::string read_relative_path(const YamlNode& node, const std::string& what,
                                 const char* root) const {
    std::string path = read_string(node, what);
    if (path[0] == '/') {
      fail(node.pos,
           "`" + what + "` `" + message_text(path) + "` is absolute; write it relative to " + root);
    }
    if (!fold_dot_segments(path)) {
      fail(node.pos, "`" + what + "` `" + message_text(path) + "` leaves " + root +
                         "; write a path inside it");
    }
    return path;
  }

  std::vector<Discover> read_discover(const YamlNode& node) const {
    const std::vector<YamlNode>& items = expect_list(node, "discover", "mappings");
    std::vector<Discover> rules;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const YamlNode& item = items[i];
      const std::string what = entry_name("discover", i);
      if (item.kind != Kind::mapping) {
        fail(item.pos, "`" + what +
                           "`: expected a mapping like `{glob: \"services/*\", require: "
                           "buildspec.yml}`, found " +
                           describe(item));
      }
      Discover rule;
      bool has_glob = false;
      each_entry(item, kDiscoverKeys, "in `" + what + "`",
                 [&](const std::string& key, const YamlNode& value) {
                   if (key == "glob") {
                     PatternSpec glob = read_pattern(value, what + ".glob", what + ".glob");
                     rule.glob = std::move(glob.text);
                     rule.pos = glob.pos;
                     has_glob = true;
                   } else if (key == "require") {
                     rule.require =
                         read_relative_path(value, what + ".require", "the discovered directory");
                   } else if (key == "name") {
                     rule.naming = read_choice(value, what + ".name", kDiscoverNaming) == "path"
                                       ? DiscoverNaming::path
                                       : DiscoverNaming::basename;
                   } else if (key == "infer") {
                     rule.infer = read_infer(value, what + ".infer");
                   }
                 });
      if (!has_glob) {
        fail(item.pos, "`" + what + "` has no `glob`; add one, e.g. `glob: \"services/*\"`");
      }
      rules.push_back(std::move(rule));
    }
    return rules;
  }

  // `[npm, go]` (every kind) or `{npm: [dependencies], maven: [compile]}`.
  std::vector<InferSpec> read_infer(const YamlNode& node, const std::string& what) const {
    std::vector<std::string> names;
    for (const auto& ecosystem : ecosystems()) names.push_back(ecosystem.name);
    auto kinds_of = [&](const std::string& name) -> const std::vector<std::string>& {
      for (const auto& ecosystem : ecosystems()) {
        if (ecosystem.name == name) return ecosystem.kinds;
      }
      return ecosystems().front().kinds;  // not reached: read_choice checked the name
    };
    std::vector<InferSpec> specs;
    auto add = [&](const YamlNode& key, const std::string& entry) {
      InferSpec spec{read_choice(key, entry, names), {}, key.pos};
      for (const auto& earlier : specs) {
        if (earlier.ecosystem == spec.ecosystem) {
          fail(key.pos, "`" + what + "` names `" + spec.ecosystem + "` twice");
        }
      }
      specs.push_back(std::move(spec));
    };
    if (node.kind == Kind::mapping) {
      for (std::size_t i = 0; i + 1 < node.items.size(); i += 2) {
        add(node.items[i], what);
        const std::string entry = what + "." + specs.back().ecosystem;
        const auto& known = kinds_of(specs.back().ecosystem);
        const std::vector<YamlNode>& kinds = expect_list(node.items[i + 1], entry, "kinds");
        if (kinds.empty()) {
          fail(node.items[i + 1].pos, "`" + entry + "` lists no kinds; use some of " +
                                          backquoted_list(known) + ", or remove `" +
                                          specs.back().ecosystem + "`");
        }
        for (std::size_t k = 0; k < kinds.size(); ++k) {
          specs.back().kinds.push_back(read_choice(kinds[k], entry_name(entry, k), known));
        }
      }
      return specs;
    }
    if (node.kind != Kind::sequence) {
      fail(node.pos, "`" + what + "`: expected a list like `[npm, go]` or a mapping like `{npm: " +
                         "[dependencies]}`, found " + describe(node));
    }
    const std::vector<YamlNode>& items = expect_list(node, what, "ecosystems");
    for (std::size_t i = 0; i < items.size(); ++i) add(items[i], entry_name(what, i));
    return specs;
  }

  std::vector<Service> read_services(const YamlNode& node) const {
    expect_mapping(node, "services", "{service_A: {paths: [\"services/service_A/\"]}}");
    std::vector<Service> services;
    for (std::size_t i = 0; i + 1 < node.items.size(); i += 2) {
      const YamlNode& key = node.items[i];
      if (i / 2 == kMaxServices) {
        fail(key.pos, "more than " + with_commas(kMaxServices) +
                          " services, the limit; group what always builds together into one "
                          "service");
      }
      services.push_back(read_service(key, node.items[i + 1]));
    }
    return services;
  }

  Service read_service(const YamlNode& key, const YamlNode& value) const {
    if (!is_codebuild_project_name(key.text)) {
      fail(key.pos, "service name `" + message_text(key.text) +
                        "` is not a valid CodeBuild project name: use 2 to 255 letters, digits, "
                        "`-` or `_`, starting with a letter or digit");
    }
    Service service;
    service.name = key.text;
    service.pos = key.pos;
    service.project = key.text;
    const std::string prefix = "services." + key.text;
    if (value.kind == Kind::sequence) {
      fail(value.pos, "`" + prefix +
                          "`: expected a mapping of settings, found a list; put the patterns "
                          "under `paths:`");
    }
    expect_mapping(value, prefix, "{paths: [\"services/service_A/\"]}");
    each_entry(value, kServiceKeys, "in service `" + key.text + "`",
               [&](const std::string& field, const YamlNode& v) {
                 const std::string what = prefix + "." + field;
                 if (field == "paths") {
                   service.paths = read_patterns(v, what);
                 } else if (field == "exclude") {
                   service.exclude = read_patterns(v, what);
                 } else if (field == "depends_on") {
                   const std::vector<YamlNode>& items = expect_list(v, what, "service names");
                   for (std::size_t i = 0; i < items.size(); ++i) {
                     std::string name = read_string(items[i], entry_name(what, i));
                     if (name[0] == '!') {
                       // `!name` drops an edge `infer` would add (SPEC §4).
                       name.erase(0, 1);
                       if (!is_codebuild_project_name(name)) {
                         fail(items[i].pos, "`!" + message_text(name) + "` in `" + what +
                                                "`: expected `!` and a service name, which "
                                                "excludes the dependency `infer` finds on it");
                       }
                       service.not_depends_on.push_back(name);
                       service.not_depends_on_pos.push_back(items[i].pos);
                       continue;
                     }
                     service.depends_on.push_back(std::move(name));
                     service.depends_on_pos.push_back(items[i].pos);
                   }
                 } else if (field == "project") {
                   service.project = read_string(v, what);
                   if (!is_codebuild_project_name(service.project)) {
                     fail(v.pos, "`" + what + "` `" + message_text(service.project) +
                                     "` is not a valid CodeBuild project name: use 2 to 255 "
                                     "letters, digits, `-` or `_`, starting with a letter or "
                                     "digit");
                   }
                 } else if (field == "buildspec") {
                   service.buildspec = read_relative_path(v, what, "the repository root");
                 } else if (field == "vars") {
                   read_vars(v, what, service);
                 } else if (field == "build") {
                   service.build = read_bool(v, what);
                 }
               });
    return service;
  }

  void read_vars(const YamlNode& node, const std::string& what, Service& service) const {
    expect_mapping(node, what, "{STAGE: prod}");
    std::map<std::string, std::string>& vars = service.vars;
    for (std::size_t i = 0; i + 1 < node.items.size(); i += 2) {
      const YamlNode& key = node.items[i];
      const YamlNode& value = node.items[i + 1];
      if (i / 2 == kMaxListEntries) {
        fail(key.pos, "`" + what + "` has more than " + with_commas(kMaxListEntries) +
                          " variables, the limit; pass fewer");
      }
      if (!is_env_var_name(key.text)) {
        fail(key.pos, "`" + message_text(key.text) + "` in `" + what +
                          "` is not a valid environment variable name: use letters, digits and "
                          "`_`, not starting with a digit");
      }
      if (key.text.rfind("CODEBUILD_", 0) == 0) {
        fail(key.pos, "`" + key.text + "` in `" + what +
                          "`: names starting with CODEBUILD_ are reserved by CodeBuild; rename it");
      }
      const std::string var = what + "." + key.text;
      if (value.kind == Kind::null) {
        fail(value.pos,
             "`" + var + "` has no value; write `" + key.text + ": \"\"` for an empty one");
      }
      if (value.kind == Kind::mapping) {
        auto [type, name] = read_var_reference(value, var);
        service.var_types[key.text] = type;
        vars[key.text] = std::move(name);
        continue;
      }
      vars[key.text] =
          read_text(value, var,
                    "a single value (text, number or true/false), {parameter-store: NAME} or "
                    "{secrets-manager: ID}",
                    true);
    }
  }

  // {parameter-store: NAME} or {secrets-manager: ID}: CodeBuild reads the value.
  std::pair<VarType, std::string> read_var_reference(const YamlNode& node,
                                                     const std::string& what) const {
    static const std::vector<std::string> kinds = {"parameter-store", "secrets-manager"};
    if (node.items.size() != 2) {
      fail(node.pos, "`" + what + "`: expected {parameter-store: NAME} or {secrets-manager: ID}");
    }
    const YamlNode& kind = node.items[0];
    if (std::find(kinds.begin(), kinds.end(), kind.text) == kinds.end()) {
      fail(kind.pos, "`" + what + "` cannot take its value from `" + message_text(kind.text) + "`" +
                         suggestion(kind.text, kinds));
    }
    std::string name = read_string(node.items[1], what + "." + kind.text);
    return {kind.text == "parameter-store" ? VarType::parameter_store : VarType::secrets_manager,
            std::move(name)};
  }

  const std::string& file_;
};

}  // namespace

Config parse_config(std::string_view text, const std::string& file) {
  if (text.size() > kMaxConfigBytes) {
    throw config_error_at({file, 1, 1}, "the file is larger than 1 MiB (" +
                                            with_commas(kMaxConfigBytes) +
                                            " bytes), the limit for svcdiff.yml");
  }
  if (const auto nul = find_nul(text)) {
    throw config_error_at({file, nul->line, nul->column},
                          "a NUL byte: the config must be text " + std::string(kNulAdvice));
  }
  const YamlNode root = parse_yaml(text, file, YamlLimits{kMaxNestingDepth});
  Config config = ConfigReader(file).read(root);
  config.bytes = std::string(text);
  return config;
}

namespace {

// What a file that is not a regular one is, for the message.
const char* not_regular_file(mode_t mode) {
  if (S_ISDIR(mode)) return "it is a directory";
  if (S_ISFIFO(mode)) return "it is a FIFO, not a regular file";
  if (S_ISSOCK(mode)) return "it is a socket, not a regular file";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "it is a device, not a regular file";
  return "it is not a regular file";
}

// Closes the descriptor read_config_file opened, on every way out.
struct FileDescriptor {
  explicit FileDescriptor(int descriptor) : fd(descriptor) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
  int fd;
};

}  // namespace

std::string read_config_file(const std::string& path, const std::string& shown_name,
                             ConfigFileKind kind) {
  // A found file is opened without blocking and judged by fstat on the open
  // descriptor: a FIFO named svcdiff.yml blocked the run forever in open,
  // then in read. A pipe the user named is read as cat would read it.
  struct stat named {};
  const bool stream = kind == ConfigFileKind::named && ::stat(path.c_str(), &named) == 0 &&
                      (S_ISFIFO(named.st_mode) || S_ISCHR(named.st_mode));
  const FileDescriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | (stream ? 0 : O_NONBLOCK))};
  if (file.fd < 0) {
    throw runtime_error(
        "cannot open " + shown_name + ": " + std::strerror(errno) +
        "; check the path (-c is relative to the current directory) and that it can be read");
  }
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) {
    throw runtime_error("cannot read " + shown_name + ": " + std::strerror(errno));
  }
  const bool readable_stream = stream && (S_ISFIFO(info.st_mode) || S_ISCHR(info.st_mode));
  if (!S_ISREG(info.st_mode) && !readable_stream) {
    throw runtime_error("cannot read " + shown_name + ": " + not_regular_file(info.st_mode) +
                        "; the config must be a regular file (name one with -c)");
  }
  // One byte past the limit is enough for parse_config to refuse the file.
  // Read in chunks: a buffer of the limit, zeroed, touched a mebibyte of
  // memory on every run for a config of a few kilobytes.
  std::string text;
  std::vector<char> chunk(std::size_t{64} * 1024);
  while (text.size() <= kMaxConfigBytes) {
    const ssize_t n = ::read(file.fd, chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw runtime_error("cannot read " + shown_name + ": " + std::strerror(errno));
    if (n == 0) break;
    text.append(chunk.data(), static_cast<std::size_t>(n));
  }
  if (text.size() > kMaxConfigBytes + 1) text.resize(kMaxConfigBytes + 1);
  return text;
}

Config load_config_file(const std::string& path, const std::string& shown_name,
                        ConfigFileKind kind) {
  return parse_config(read_config_file(path, shown_name, kind), shown_name);
}

}  // namespace svcdiff::config
