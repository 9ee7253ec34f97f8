#include "fingerprint/fingerprint.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "fingerprint/sha256.hpp"

namespace svcdiff::fingerprint {
namespace {

const char* type_name(std::uint32_t mode) {
  if (mode == repo::kModeTree) return "tree";
  if (mode == repo::kModeSubmodule) return "commit";
  return "blob";
}

bool any_matches(const std::vector<match::Pattern>& patterns, std::string_view path, bool is_dir) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const match::Pattern& p) { return p.matches(path, is_dir); });
}

// What a walk knows of the directories above the entry it takes.
enum class Parents {
  unchecked,  // nothing: a start point
  clear,      // no pattern of the scope matches any of them
  selected,   // a `paths` pattern matches one, no `exclude` or `ignore` pattern does
};

// any_matches for a path whose parents no pattern matches: only the path
// itself can match, so its parents are not matched again (a `**/*.md` tried
// every parent of every file). A trailing '/' limits a pattern to
// directories (README, "Patterns").
bool any_matches_itself(const std::vector<match::Pattern>& patterns, std::string_view path,
                        bool is_dir) {
  return std::any_of(patterns.begin(), patterns.end(), [&](const match::Pattern& p) {
    return (is_dir || !p.source().ends_with('/')) && p.matches_directory(path);
  });
}

// True when a pattern matches `dir` or may match something below it.
bool may_reach(const std::vector<match::Pattern>& patterns, std::string_view dir) {
  return std::any_of(patterns.begin(), patterns.end(), [&](const match::Pattern& p) {
    return p.matches(dir, true) || p.may_match_below(dir);
  });
}

// One selected entry; its path is `size` bytes at `start` of the walk's
// `paths` (one buffer for all: a string each cost an allocation a file).
struct InputEntry {
  std::size_t start = 0;
  std::size_t size = 0;
  std::uint32_t mode = 0;
  repo::ObjectId id{};
};

// Walks the source below the literal prefixes of the scope's patterns.
class InputWalk {
 public:
  InputWalk(Source& source, const Scope& scope) : source_(source), scope_(scope) {}

  void run(std::string& text) {
    for (const auto& start : start_points()) {
      path_ = start;
      if (start.empty()) {
        // No pattern matches the root ("" is no path).
        source_.entry(start, [&](const repo::TreeEntryView& root) { visit(root, Parents::clear); });
      } else {
        source_.entry(start,
                      [&](const repo::TreeEntryView& entry) { take(entry, Parents::unchecked); });
      }
    }
    // A commit's walk is almost in path order already: git's tree order is
    // path order, but for a tree taken whole ("a/b" comes after "a/b.c").
    const auto by_path = [&](const InputEntry& a, const InputEntry& b) {
      return path_of(a) < path_of(b);
    };
    if (!std::is_sorted(out_.begin(), out_.end(), by_path)) {
      std::sort(out_.begin(), out_.end(), by_path);
    }
    append_lines(text);
  }

 private:
  // Where each pattern's matches lie: its literal prefix, or the root. A
  // start below another start is dropped, so no path is visited twice.
  std::vector<std::string> start_points() const {
    std::vector<std::string> starts;
    for (const auto& pattern : scope_.paths) starts.emplace_back(pattern.literal_prefix());
    std::sort(starts.begin(), starts.end());
    std::vector<std::string> kept;
    for (const auto& start : starts) {
      bool covered = std::any_of(kept.begin(), kept.end(), [&](const std::string& outer) {
        return outer.empty() || start == outer || start.rfind(outer + "/", 0) == 0;
      });
      if (!covered) kept.push_back(start);
    }
    return kept;
  }

  // `entry` is at path_; `parents` says what is known of the directories
  // above it.
  void take(const repo::TreeEntryView& entry, Parents parents) {
    const std::string& path = path_;
    const auto hit = [&](const std::vector<match::Pattern>& patterns, bool is_dir) {
      return parents == Parents::unchecked ? any_matches(patterns, path, is_dir)
                                           : any_matches_itself(patterns, path, is_dir);
    };
    const auto selected = [&](bool is_dir) {
      return parents == Parents::selected || hit(scope_.paths, is_dir);
    };
    if (entry.mode != repo::kModeTree) {
      const bool is_dir = entry.mode == repo::kModeSubmodule;
      if (selected(is_dir) && !hit(scope_.exclude, is_dir) && !hit(scope_.ignore, is_dir)) {
        add(entry.mode, source_.object_id(path, entry));
      }
      return;
    }
    if (hit(scope_.exclude, true) || hit(scope_.ignore, true)) return;
    const bool whole = selected(true);
    if (whole && !may_reach(scope_.exclude, path) && !may_reach(scope_.ignore, path)) {
      static const repo::ObjectId kEmptyTree = repo::parse_object_id(repo::kEmptyTreeId);
      const repo::ObjectId id = source_.object_id(path, entry);
      if (id != kEmptyTree) add(repo::kModeTree, id);
      return;
    }
    if (whole || may_reach(scope_.paths, path)) {
      visit(entry, whole ? Parents::selected : Parents::clear);
    }
  }

  // The directory `dir` is at path_; each child is taken at path_ + "/" + its
  // name, and path_ is the directory's again afterwards.
  void visit(const repo::TreeEntryView& dir, Parents parents) {
    const std::size_t dir_size = path_.size();
    source_.list(path_, dir, [&](const repo::TreeEntryView& child) {
      path_.resize(dir_size);
      if (dir_size > 0) path_ += '/';
      path_ += child.name;
      take(child, parents);
    });
    path_.resize(dir_size);
  }

  void add(std::uint32_t mode, const repo::ObjectId& id) {
    out_.push_back({paths_.size(), path_.size(), mode, id});
    paths_ += path_;
  }

  std::string_view path_of(const InputEntry& entry) const {
    return std::string_view(paths_).substr(entry.start, entry.size);
  }

  // Each entry as `git ls-tree` prints it: "<mode> <type> <id>\t<path>\n".
  void append_lines(std::string& text) const {
    constexpr std::size_t kFixed = 6 + 1 + 6 + 1 + 2 * repo::kObjectIdSize + 2;
    text.reserve(text.size() + out_.size() * kFixed + paths_.size());
    for (const auto& entry : out_) {
      char mode[6];
      for (int digit = 5, bits = 0; digit >= 0; --digit, bits += 3) {
        mode[digit] = static_cast<char>('0' + ((entry.mode >> bits) & 7));
      }
      text.append(mode, sizeof mode);
      text += ' ';
      text += type_name(entry.mode);
      text += ' ';
      repo::append_hex(text, entry.id);
      text += '\t';
      text += path_of(entry);
      text += '\n';
    }
  }

  Source& source_;
  const Scope& scope_;
  std::string path_;  // the path of the entry being taken
  std::string paths_;
  std::vector<InputEntry> out_;
};

// A config value on one line: backslash and newline escaped.
std::string escaped(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// A var that is a reference names its type, so `{parameter-store: X}` and the
// plain text X differ; a plaintext var keeps the short form. Var names are
// [A-Za-z_][A-Za-z0-9_]*, so the space after the name cannot be part of it.
std::string var_line(const config::Service& config, const std::string& name,
                     const std::string& value) {
  std::string type;
  auto it = config.var_types.find(name);
  if (it != config.var_types.end() && it->second == config::VarType::parameter_store) {
    type = " parameter-store";
  } else if (it != config.var_types.end() && it->second == config::VarType::secrets_manager) {
    type = " secrets-manager";
  }
  return "var " + escaped(name) + type + "=" + escaped(value) + "\n";
}

}  // namespace

void append_inputs(Source& source, const Scope& scope, std::string& text) {
  InputWalk(source, scope).run(text);
}

Fingerprinter::Fingerprinter(Source& source, const std::vector<config::Service>& services,
                             const match::PathClassifier& classifier,
                             const graph::DependencyGraph& graph)
    : source_(source),
      services_(services),
      classifier_(classifier),
      graph_(graph),
      fingerprints_(services.size()),
      own_digests_(services.size()),
      members_(graph.component_count()) {
  for (std::size_t i = 0; i < services.size(); ++i) members_[graph.component(i)].push_back(i);
  for (auto& members : members_) {
    std::sort(members.begin(), members.end(),
              [&](std::size_t a, std::size_t b) { return services_[a].name < services_[b].name; });
  }
}

const std::string& Fingerprinter::global_entries() {
  if (!global_entries_) {
    static const std::vector<match::Pattern> kNone;
    std::string text;
    append_inputs(source_, {classifier_.global(), kNone, classifier_.ignore()}, text);
    global_entries_ = std::move(text);
  }
  return *global_entries_;
}

bool Fingerprinter::in_cycle(std::size_t service) const {
  return members_[graph_.component(service)].size() > 1;
}

std::string Fingerprinter::own_inputs(std::size_t service) {
  const config::Service& config = services_[service];
  std::string text = "svcdiff fingerprint v1\n";
  text += "project " + escaped(config.project) + "\n";
  text += "buildspec " + escaped(config.buildspec) + "\n";
  for (const auto& [name, value] : config.vars) text += var_line(config, name, value);
  std::vector<std::size_t> dependencies = graph_.dependencies(service);
  std::sort(dependencies.begin(), dependencies.end(),
            [&](std::size_t a, std::size_t b) { return services_[a].name < services_[b].name; });
  for (std::size_t dependency : dependencies) {
    // A dependency in the same cycle has no fingerprint yet (it would need
    // this one); the "member" lines cover its inputs instead.
    if (graph_.component(dependency) == graph_.component(service)) {
      text += "depends " + services_[dependency].name + " cycle\n";
      continue;
    }
    text += "depends " + services_[dependency].name + " " + fingerprint(dependency) + "\n";
  }
  text += "global\n";
  text += global_entries();
  text += "files\n";
  const auto& patterns = classifier_.services()[service];
  append_inputs(source_, {patterns.paths, patterns.exclude, classifier_.ignore()}, text);
  return text;
}

const std::string& Fingerprinter::own_digest(std::size_t service) {
  if (!own_digests_[service]) own_digests_[service] = sha256_hex(own_inputs(service));
  return *own_digests_[service];
}

std::string Fingerprinter::cycle_lines(std::size_t service) {
  if (!in_cycle(service)) return "";
  // Every member's own inputs include its dependencies outside the cycle, so
  // these lines make each member's fingerprint cover the whole component.
  std::string text = "cycle\n";
  for (std::size_t member : members_[graph_.component(service)]) {
    text += "member " + services_[member].name + " " + own_digest(member) + "\n";
  }
  return text;
}

std::string Fingerprinter::inputs(std::size_t service) {
  std::string text = own_inputs(service);
  if (!in_cycle(service)) return text;
  if (!own_digests_[service]) own_digests_[service] = sha256_hex(text);
  return text + cycle_lines(service);
}

const std::string& Fingerprinter::fingerprint(std::size_t service) {
  if (!fingerprints_[service]) fingerprints_[service] = "v1:" + sha256_hex(inputs(service));
  return *fingerprints_[service];
}

}  // namespace svcdiff::fingerprint
