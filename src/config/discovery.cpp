#include "config/discovery.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>
#include <string_view>
#include <utility>

#include "config/infer.hpp"
#include "config/names.hpp"
#include "core/error.hpp"
#include "core/path_text.hpp"
#include "match/wildmatch.hpp"

namespace svcdiff::config {
namespace {

std::string parent_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

std::string_view base_name(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

Error error_at(const Config& config, SourcePos pos, const std::string& message) {
  return config_error_at({config.file, pos.line, pos.column}, message);
}

// The directory a service lives in: its first literal directory pattern, else
// its buildspec's directory.
std::string derive_directory(const Service& service) {
  for (const auto& pattern : service.paths) {
    std::string text = pattern.text;
    if (text.find_first_of("*?[\\") != std::string::npos) continue;
    while (!text.empty() && text.front() == '/') text.erase(0, 1);
    while (!text.empty() && text.back() == '/') text.pop_back();
    if (!text.empty()) return text;
  }
  if (!service.buildspec.empty()) return parent_of(service.buildspec);
  return "";
}

std::string strip_slashes(std::string glob) {
  while (!glob.empty() && glob.front() == '/') glob.erase(0, 1);
  while (!glob.empty() && glob.back() == '/') glob.pop_back();
  return glob;
}

// `require` without `.` segments, `..` folded and no empty segments: the
// loader already made sure it stays inside the directory.
std::string normalized_require(const std::string& require) {
  return fold_dot_segments(require).value_or("");
}

// How many leading bytes `a` and `b` share, eight a step: files_along asks
// it of every changed path, and paths in one directory share most of theirs.
std::size_t shared_prefix(std::string_view a, std::string_view b) {
  const std::size_t size = std::min(a.size(), b.size());
  std::size_t i = 0;
  if constexpr (std::endian::native == std::endian::little) {
    for (; i + 8 <= size; i += 8) {
      std::uint64_t x = 0;
      std::uint64_t y = 0;
      std::memcpy(&x, a.data() + i, 8);
      std::memcpy(&y, b.data() + i, 8);
      // The lowest differing bit lies in the first differing byte.
      if (x != y) return i + static_cast<std::size_t>(std::countr_zero(x ^ y)) / 8;
    }
  }
  while (i < size && a[i] == b[i]) ++i;
  return i;
}

// The directory `file` stands in when it is that directory's `require`
// ("services/api/ci/buildspec.yml" holds "ci/buildspec.yml" for "services/api").
// A view of `file`: most files a rule looks at are not its to take.
std::optional<std::string_view> directory_holding(std::string_view file, std::string_view require) {
  if (require.empty() || file.size() <= require.size() + 1) return std::nullopt;
  const std::size_t slash = file.size() - require.size() - 1;
  if (file[slash] != '/' || file.substr(slash + 1) != require) return std::nullopt;
  return file.substr(0, slash);
}

// The text every path below `dir` starts with ("dir/", "" for the root), for
// the globs' NFA: made when a glob first needs it, into a buffer kept from
// call to call, as walks ask about every directory they enter (a string made
// a call was a third of may_match_below's instructions).
class TextBelow {
 public:
  explicit TextBelow(std::string_view dir) : dir_(dir) {}
  std::string_view get() {
    thread_local std::string text;
    if (!made_) {
      text.assign(dir_);
      if (!dir_.empty()) text += '/';
      made_ = true;
    }
    return text;
  }

 private:
  std::string_view dir_;
  bool made_ = false;
};

// One directory that discovery turns into a service.
struct DiscoveryHit {
  std::string directory;
  std::string name;
  // Normalized, relative to `directory`: a view of the caller's
  // normalized_requires (a copy each was a heap allocation for most names).
  std::string_view require;
  const Discover* rule = nullptr;  // nullptr for the zero-config default
  SourcePos pos;
  bool require_is_buildspec = true;  // `require` names a buildspec.yml
};

// The rule that found `hit`, for messages (built only for one).
std::string origin(const DiscoveryHit& hit) {
  if (hit.rule == nullptr) return "a directory holding buildspec.yml";
  return "discover glob `" + hit.rule->glob + "`";
}

// How many segments every path `glob` matches has, or -1 when that varies:
// `*`, `?` and `[...]` stay inside a segment; only `**` spans several.
int segment_count(const std::string& glob) {
  if (glob.find("**") != std::string::npos) return -1;
  return static_cast<int>(std::count(glob.begin(), glob.end(), '/')) + 1;
}

// Whether a directory `depth` segments deep may match a glob of `segments`
// (segment_count): asked before the glob, which costs more, because most
// directories a rule is asked about lie at another rule's depth.
bool fits_depth(int depth, int segments) { return segments < 0 || segments == depth; }

// The `require` of each `discover` rule, normalized, in rule order.
std::vector<std::string> normalized_requires(const Config& config) {
  std::vector<std::string> rule_requires;
  rule_requires.reserve(config.discover.size());
  for (const auto& rule : config.discover)
    rule_requires.push_back(normalized_require(rule.require));
  return rule_requires;
}

// Calls visit(hit) (a DiscoveryHit&&) for every directory that discovery
// turns into a service, rule by rule, each rule's in path order. A directory
// two rules match is the first rule's. Runs over every discovered file of a
// repository (thousands): it sorts pointers, and keeps the directories taken
// (views of the files) only for a later rule. `rule_requires` are
// normalized_requires(config), which the hits view.
template <typename Visit>
void for_each_discovered(const Config& config, const std::vector<std::string>& rule_requires,
                         const std::vector<std::string>& files, Visit visit) {
  std::vector<const std::string*> sorted;
  sorted.reserve(files.size());
  for (const auto& file : files) sorted.push_back(&file);
  const auto by_text = [](const std::string* a, const std::string* b) { return *a < *b; };
  // The result cache and the tree walks hand over sorted lists already.
  if (!std::is_sorted(sorted.begin(), sorted.end(), by_text)) {
    std::sort(sorted.begin(), sorted.end(), by_text);
  }
  // One file gives one directory for a given `require`, so within one rule a
  // directory repeats only with its file (adjacent once sorted).
  auto repeated = [&sorted](std::size_t i) { return i > 0 && *sorted[i] == *sorted[i - 1]; };
  if (uses_default_discovery(config)) {
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      auto directory = directory_holding(*sorted[i], "buildspec.yml");
      // The root's own buildspec is the pipeline's, not a service's.
      if (!directory || repeated(i)) continue;
      const std::string_view dir = *directory;
      visit({std::string(dir), std::string(base_name(dir)), "buildspec.yml", nullptr, {}, true});
    }
  }
  // Directories earlier rules turned into services, sorted; those of the
  // rule at hand follow them until it is done.
  std::vector<std::string_view> taken;
  // The directory each file stands in for the rule's `require`, none for a
  // repeated file: rules mostly share one `require` (a dozen `packages/*`
  // like globs), so it is worked out once for a run of them, not once a rule.
  std::vector<std::optional<std::string_view>> holding(sorted.size());
  for (std::size_t r = 0; r < config.discover.size(); ++r) {
    const Discover& rule = config.discover[r];
    const match::Glob glob(strip_slashes(rule.glob));  // compiled once, not once a file
    const std::string_view require = rule_requires[r];
    const bool require_is_buildspec = base_name(require) == "buildspec.yml";
    const bool later_rules = r + 1 < config.discover.size();
    const auto taken_before = static_cast<std::ptrdiff_t>(taken.size());
    if (r == 0 || require != rule_requires[r - 1]) {
      for (std::size_t i = 0; i < sorted.size(); ++i) {
        holding[i] = repeated(i) ? std::nullopt : directory_holding(*sorted[i], require);
      }
    }
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      const auto& directory = holding[i];
      if (!directory || !glob.matches(*directory) ||
          std::binary_search(taken.begin(), taken.begin() + taken_before, *directory)) {
        continue;
      }
      visit({std::string(*directory), discovered_name(*directory, rule.naming), require, &rule,
             rule.pos, require_is_buildspec});
      if (later_rules) taken.push_back(*directory);
    }
    // Taken in path order, which is mostly the directories' order already.
    if (!std::is_sorted(taken.begin() + taken_before, taken.end())) {
      std::sort(taken.begin() + taken_before, taken.end());
    }
    std::inplace_merge(taken.begin(), taken.begin() + taken_before, taken.end());
  }
}

// The buildspec a discovered directory stands for, if `require` names one.
std::string buildspec_of(const DiscoveryHit& hit) {
  std::string path;
  if (!hit.require_is_buildspec) return path;
  path.reserve(hit.directory.size() + 1 + hit.require.size());
  path.append(hit.directory).append(1, '/').append(hit.require);
  return path;
}

// The pattern that selects everything below `directory`: a directory name
// may hold bytes a glob reads as wildcards (`a[b`, `x*`), escaped here so
// the pattern stands for that directory alone (unescaped, `a[b/` matched
// nothing and its service was never selected).
std::string directory_pattern(std::string_view directory) {
  std::string pattern;
  const auto special = [](char c) { return c == '\\' || c == '*' || c == '?' || c == '['; };
  pattern.reserve(directory.size() + 1);
  // Most names need no escape: one append, not a byte at a time.
  if (std::none_of(directory.begin(), directory.end(), special)) {
    pattern.append(directory).append(1, '/');
    return pattern;
  }
  for (const char c : directory) {
    if (special(c)) pattern += '\\';
    pattern += c;
  }
  pattern += '/';
  return pattern;
}

// The directory's service, as discovery alone makes it.
void make_discovered(DiscoveryHit& hit, Service& service) {
  service.name = hit.name;
  service.project = std::move(hit.name);
  service.buildspec = buildspec_of(hit);
  service.paths.push_back({directory_pattern(hit.directory), {}});
  service.directory = std::move(hit.directory);
  service.discovered = true;
}

// What to do about two discovered directories with one name.
std::string duplicate_advice(const Config& config, const DiscoveryHit& first,
                             const DiscoveryHit& second) {
  const bool by_basename =
      (first.rule != nullptr && first.rule->naming == DiscoverNaming::basename) ||
      (second.rule != nullptr && second.rule->naming == DiscoverNaming::basename);
  const std::string path_names = " to name services by their path (`" +
                                 discovered_name(first.directory, DiscoverNaming::path) + "`, `" +
                                 discovered_name(second.directory, DiscoverNaming::path) + "`)";
  if (first.rule != nullptr || second.rule != nullptr) {
    std::string advice =
        "narrow the `discover` glob so that it matches only one of them, and list "
        "the other under `services` with a name of its own";
    if (!by_basename) return advice;
    return "add `name: path` to the `discover` entry" + path_names + ", or " + advice;
  }
  std::string advice =
      config.from_file ? "list them in svcdiff.yml" : "write an svcdiff.yml that lists them";
  return advice +
         " under `services` with names of their own (a config with `services` and no `discover` "
         "discovers nothing), or add a `discover` glob that matches only one of them, or one with "
         "`name: path`" +
         path_names;
}

// A discovered name and where its hit stands in discovery order.
struct NameKey {
  NameKey(std::string_view name, std::uint32_t hit) : name(name), hit(hit) {
    for (std::size_t i = 0; i < sizeof head; ++i) {
      head = head << 8U | (i < name.size() ? static_cast<unsigned char>(name[i]) : 0U);
    }
  }

  // By name, then discovery order: a name's first directory comes first.
  bool operator<(const NameKey& other) const {
    if (head != other.head) return head < other.head;
    const int order = name.compare(other.name);
    return order != 0 ? order < 0 : hit < other.hit;
  }

  // The name's first eight bytes, big-endian and padded with zeros: ordered
  // as the names are where they differ, so most comparisons need no memcmp.
  std::uint64_t head = 0;
  std::string_view name;
  std::uint32_t hit = 0;
};

// Sorts `keys` by merging the ascending runs they come in: a rule finds its
// directories in path order, which is mostly their names' order, so a few
// dozen runs make up thousands of names.
void sort_by_runs(std::vector<NameKey>& keys) {
  std::vector<std::size_t> bounds{0};  // where each run starts, then the end
  for (std::size_t i = 1; i < keys.size(); ++i) {
    if (keys[i] < keys[i - 1]) bounds.push_back(i);
  }
  bounds.push_back(keys.size());
  const auto at = [&keys](std::size_t i) { return keys.begin() + static_cast<std::ptrdiff_t>(i); };
  while (bounds.size() > 2) {
    std::vector<std::size_t> merged{0};
    std::size_t k = 0;
    for (; k + 2 < bounds.size(); k += 2) {
      std::inplace_merge(at(bounds[k]), at(bounds[k + 1]), at(bounds[k + 2]));
      merged.push_back(bounds[k + 2]);
    }
    if (k + 1 < bounds.size()) merged.push_back(bounds.back());  // an odd run out
    bounds = std::move(merged);
  }
}

// The indices of `hits` ordered by name, after checking the names: throws
// what the first offending hit (in discovery order) is, a name CodeBuild
// refuses or the second directory with one name.
std::vector<std::uint32_t> sorted_by_name(const Config& config,
                                          const std::vector<DiscoveryHit>& hits) {
  std::vector<NameKey> keys;
  keys.reserve(hits.size());
  for (std::size_t i = 0; i < hits.size(); ++i) {
    keys.emplace_back(hits[i].name, static_cast<std::uint32_t>(i));
  }
  sort_by_runs(keys);
  std::size_t duplicate = hits.size();  // the earliest hit whose name an earlier one has
  std::size_t original = 0;             // that earlier one
  for (std::size_t k = 1; k < keys.size(); ++k) {
    if (keys[k].name == keys[k - 1].name && keys[k].hit < duplicate) {
      duplicate = keys[k].hit;
      original = keys[k - 1].hit;
    }
  }
  for (std::size_t i = 0; i < duplicate; ++i) {
    const DiscoveryHit& hit = hits[i];
    if (is_codebuild_project_name(hit.name)) continue;
    throw error_at(config, hit.pos,
                   "discovered directory `" + hit.directory + "` (" + origin(hit) +
                       ") makes the service name `" + hit.name +
                       "`, which is not a valid CodeBuild project name (letters, digits, - and "
                       "_, 2 to 255 characters); rename it or list the service under `services` "
                       "in svcdiff.yml");
  }
  if (duplicate < hits.size()) {
    const DiscoveryHit& first = hits[original];
    const DiscoveryHit& hit = hits[duplicate];
    throw error_at(config, hit.pos,
                   "two discovered services are named `" + hit.name + "`: " + first.directory +
                       " (" + origin(first) + ") and " + hit.directory + " (" + origin(hit) +
                       "); " + duplicate_advice(config, first, hit));
  }
  std::vector<std::uint32_t> order;
  order.reserve(keys.size());
  for (const auto& key : keys) order.push_back(key.hit);
  return order;
}

}  // namespace

std::string discovered_name(std::string_view directory, DiscoverNaming naming) {
  std::string name;
  assign_discovered_name(name, directory, naming);
  return name;
}

void assign_discovered_name(std::string& name, std::string_view directory, DiscoverNaming naming) {
  if (naming == DiscoverNaming::basename) {
    name.assign(base_name(directory));
    return;
  }
  name.assign(directory);
  // Slash by slash (memchr), not byte by byte: asked for every directory a
  // name lookup walks.
  for (std::size_t slash = name.find('/'); slash != std::string::npos;
       slash = name.find('/', slash + 1)) {
    name[slash] = '-';
  }
}

bool uses_default_discovery(const Config& config) {
  return config.discover.empty() && (!config.from_file || config.services.empty());
}

DiscoveryOnDemand::DiscoveryOnDemand(const Config& config)
    // Inferred edges join discovered services no change reaches.
    : possible_(!uses_default_discovery(config) && !infers_anything(config)),
      possible_with_edges_(!uses_default_discovery(config)),
      config_(&config) {
  for (const auto& rule : config.discover) {
    const std::string glob = strip_slashes(rule.glob);
    globs_.emplace_back(glob);
    requires_.push_back(normalized_require(rule.require));
    require_dirs_.push_back(
        static_cast<int>(std::count(requires_.back().begin(), requires_.back().end(), '/')));
    namings_.push_back(rule.naming);
    segments_.push_back(segment_count(glob));
    most_segments_ = std::max(most_segments_, segments_.back());
  }
}

std::vector<std::string> DiscoveryOnDemand::files_along(
    const std::vector<std::string_view>& paths) const {
  std::vector<std::string> files;
  std::string_view previous;
  std::vector<std::size_t> slashes;  // where the slashes of `previous` are
  for (const std::string_view path : paths) {
    // The directories a path shares with the one before were asked for that
    // one: the scan for slashes starts where the two differ, and the shared
    // slashes give the depth of the directories that follow. Every change
    // source sorts its paths (by bytes or in tree order), which keeps the
    // paths below a directory together, so a directory past the shared part
    // is one not asked before; no set of them is kept (a node each). Paths
    // out of order would only ask a directory twice: its files are made
    // unique below.
    const std::size_t shared = shared_prefix(path, previous);
    previous = path;
    while (!slashes.empty() && slashes.back() >= shared) slashes.pop_back();
    for (std::size_t slash = path.find('/', shared); slash != std::string_view::npos;
         slash = path.find('/', slash + 1)) {
      slashes.push_back(slash);
      const std::string_view dir = path.substr(0, slash);
      add_files_in(dir, static_cast<int>(slashes.size()), files);
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

// Made when asked, not in the constructor: most instances (the walk limit's)
// never ask, and a few hundred explicit services make sorting them count.
std::vector<std::string> DiscoveryOnDemand::names_to_look_up() const {
  std::vector<std::string> names;
  for (const auto& service : config_->services) {
    names.push_back(service.name);
    names.insert(names.end(), service.depends_on.begin(), service.depends_on.end());
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

bool DiscoveryOnDemand::may_match_below(std::string_view dir) const {
  // Counted no deeper than the deepest glob of fixed depth needs: a walk
  // asks about directories far below any glob (only how they compare to
  // segments_ counts, and a glob with `**` never asks).
  const int depth = path_depth(dir, most_segments_);
  TextBelow below(dir);
  for (std::size_t i = 0; i < globs_.size(); ++i) {
    // Counting segments first spares the NFA (and the copy) for most of a
    // walk's entries.
    if (segments_[i] >= 0 && depth >= segments_[i]) continue;
    if (globs_[i].may_match_text_starting_with(below.get())) return true;
  }
  return false;
}

// Asked for every changed directory of a long range's walk, and for every
// directory full discovery reads: the globs' segment counts rule most
// directories out before any matching, a plain match comes before the NFA
// that asks about matches below, and nothing is copied until a glob needs it.
bool DiscoveryOnDemand::may_find_require_below(std::string_view dir) const {
  // Uncapped: the directories of `require` above `dir` count from its real depth.
  const int depth = path_depth(dir, std::numeric_limits<int>::max());
  TextBelow below(dir);
  for (std::size_t i = 0; i < globs_.size(); ++i) {
    const std::string& require = requires_[i];
    if (require.empty()) continue;  // finds nothing
    // The match is `dir` or one of the directories of `require` above it.
    int first = std::max(1, depth - require_dirs_[i]);
    int last = depth;
    if (segments_[i] >= 0) {
      first = std::max(first, segments_[i]);
      last = std::min(last, segments_[i]);
    }
    for (int match_depth = first; match_depth <= last; ++match_depth) {
      // The first match_depth segments of `dir`.
      std::size_t end = 0;
      for (int segment = 0; segment < match_depth && end != std::string_view::npos; ++segment) {
        end = dir.find('/', segment == 0 ? 0 : end + 1);
      }
      const std::string_view match = dir.substr(0, end);
      if (!globs_[i].matches(match)) continue;
      // What lies between the match and `dir` must be where `require` goes.
      const std::string_view rest = match.size() == dir.size() ? "" : dir.substr(match.size() + 1);
      if (rest.empty() || (require.size() > rest.size() && require.starts_with(rest) &&
                           require[rest.size()] == '/')) {
        return true;
      }
    }
    // Or a match strictly below `dir`: may_match_below's test, asked per
    // glob here so one glob's NFA can answer before the next glob's plain
    // matches run (calling may_match_below after this loop costs explain on
    // 2,000 services 2% more instructions).
    if (segments_[i] >= 0 && depth >= segments_[i]) continue;
    if (globs_[i].may_match_text_starting_with(below.get())) return true;
  }
  return false;
}

DiscoveryScope::DiscoveryScope(const Config& config)
    : everything_(uses_default_discovery(config)), rules_(config) {}

bool DiscoveryScope::may_descend(std::string_view dir) const {
  return everything_ || rules_.may_find_require_below(dir);
}

std::vector<std::string> DiscoveryOnDemand::files_in(std::string_view dir) const {
  std::vector<std::string> files;
  add_files_in(dir, path_depth(dir, most_segments_ + 1), files);
  return files;
}

void DiscoveryOnDemand::add_files_in(std::string_view dir, int depth,
                                     std::vector<std::string>& files) const {
  for (std::size_t i = 0; i < globs_.size(); ++i) {
    if (requires_[i].empty() || !fits_depth(depth, segments_[i]) || !globs_[i].matches(dir)) {
      continue;
    }
    std::string& file = files.emplace_back();  // `dir/require`, in one allocation
    file.reserve(dir.size() + 1 + requires_[i].size());
    file.append(dir).append(1, '/').append(requires_[i]);
  }
}

std::vector<std::string> DiscoveryOnDemand::names_of(std::string_view dir) const {
  std::vector<std::string> names;
  const int depth = path_depth(dir, most_segments_ + 1);
  for (std::size_t i = 0; i < globs_.size(); ++i) {
    if (!fits_depth(depth, segments_[i]) || !globs_[i].matches(dir)) continue;
    std::string name = discovered_name(dir, namings_[i]);
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

bool DiscoveryOnDemand::matched_naming_by(std::string_view dir, DiscoverNaming naming) const {
  const int depth = path_depth(dir, most_segments_ + 1);
  for (std::size_t i = 0; i < globs_.size(); ++i) {
    if (namings_[i] == naming && fits_depth(depth, segments_[i]) && globs_[i].matches(dir)) {
      return true;
    }
  }
  return false;
}

std::vector<int> require_depths(const Config& config) {
  std::vector<int> depths;
  for (const auto& rule : config.discover) {
    const std::string require = normalized_require(rule.require);
    if (require.empty()) continue;  // finds nothing
    const int segments = segment_count(strip_slashes(rule.glob));
    const auto dirs = static_cast<int>(std::count(require.begin(), require.end(), '/'));
    depths.push_back(segments < 0 ? -1 : segments + dirs);
  }
  return depths;
}

std::vector<std::string> discovery_file_names(const Config& config) {
  std::vector<std::string> names;
  if (uses_default_discovery(config)) {
    names.push_back("buildspec.yml");
  }
  for (const auto& rule : config.discover) {
    const std::string name(base_name(normalized_require(rule.require)));
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  }
  return names;
}

std::vector<DiscoveredDirectory> discovered_directories(const Config& config,
                                                        const std::vector<std::string>& files,
                                                        bool with_files) {
  std::vector<DiscoveredDirectory> found;
  found.reserve(files.size());  // most discovered files make a service
  const std::vector<std::string> rule_requires = normalized_requires(config);
  for_each_discovered(config, rule_requires, files, [&](DiscoveryHit&& hit) {
    std::string file;
    if (with_files) file.append(hit.directory).append(1, '/').append(hit.require);
    found.push_back({std::move(hit.name), std::move(hit.directory), std::move(file)});
  });
  return found;
}

Error stale_entry_error(const Config& config, const Service& entry,
                        std::string_view deleted_require) {
  const std::string what = "service `" + entry.name + "` has no `paths`, and ";
  if (!deleted_require.empty()) {
    const std::string file = text_path(deleted_require);
    return error_at(config, entry.pos,
                    what + "discovery no longer finds it: " + file +
                        " was deleted since the base, though its directory is still there; "
                        "restore " +
                        file + ", or remove the entry if the service is gone");
  }
  return error_at(config, entry.pos,
                  what +
                      "discovery finds no directory for it at head; remove the entry if the "
                      "service was deleted, or give it `paths: [\"dir/\"]`");
}

struct Discovery::State {
  std::vector<std::string> rule_requires;  // normalized_requires: the hits view them
  std::vector<DiscoveryHit> hits;
};

Discovery::Discovery(const Config& config, const std::vector<std::string>& files)
    : state_(std::make_unique<State>()) {
  state_->rule_requires = normalized_requires(config);
  std::vector<DiscoveryHit>& hits = state_->hits;
  hits.reserve(files.size());  // most discovered files make a service
  for_each_discovered(config, state_->rule_requires, files,
                      [&hits](DiscoveryHit&& hit) { hits.push_back(std::move(hit)); });
}

Discovery::Discovery(Discovery&&) noexcept = default;
Discovery& Discovery::operator=(Discovery&&) noexcept = default;
Discovery::~Discovery() = default;

std::vector<std::string> Discovery::names() const {
  std::vector<std::string> names;
  names.reserve(state_->hits.size());
  for (const auto& hit : state_->hits) names.push_back(hit.name);
  return names;
}

std::vector<Service> resolve_services(const Config& config, const std::vector<std::string>& files,
                                      std::vector<Service>* stale) {
  return resolve_services(config, Discovery(config, files), stale);
}

std::vector<Service> resolve_services(const Config& config, Discovery discovery,
                                      std::vector<Service>* stale) {
  std::vector<DiscoveryHit>& hits = discovery.state_->hits;
  const std::vector<std::uint32_t> by_name = sorted_by_name(config, hits);
  auto discovered_named = [&](const std::string& name) -> DiscoveryHit* {
    auto it = std::lower_bound(
        by_name.begin(), by_name.end(), name,
        [&hits](std::uint32_t i, const std::string& key) { return hits[i].name < key; });
    return it != by_name.end() && hits[*it].name == name ? &hits[*it] : nullptr;
  };

  // An explicit entry takes the discovered directory of its name (the
  // loader refuses two entries with one name).
  std::vector<bool> claimed(hits.size(), false);
  std::vector<Service> listed;
  for (const auto& explicit_service : config.services) {
    Service merged = explicit_service;
    if (DiscoveryHit* hit = discovered_named(explicit_service.name)) {
      if (merged.paths.empty()) merged.paths.push_back({directory_pattern(hit->directory), {}});
      if (merged.buildspec.empty()) merged.buildspec = buildspec_of(*hit);
      if (merged.directory.empty()) merged.directory = hit->directory;
      merged.discovered = true;
      claimed[static_cast<std::size_t>(hit - hits.data())] = true;
    }
    if (merged.paths.empty()) {
      if (stale == nullptr) throw stale_entry_error(config, merged);
      stale->push_back(std::move(merged));
      continue;
    }
    if (merged.directory.empty()) merged.directory = derive_directory(merged);
    listed.push_back(std::move(merged));
  }
  // Indices, not Services, are sorted: a config may list thousands.
  std::vector<std::size_t> listed_by_name(listed.size());
  std::iota(listed_by_name.begin(), listed_by_name.end(), std::size_t{0});
  const auto listed_before = [&listed](std::size_t a, std::size_t b) {
    return listed[a].name < listed[b].name;
  };
  if (!std::is_sorted(listed_by_name.begin(), listed_by_name.end(), listed_before)) {
    std::sort(listed_by_name.begin(), listed_by_name.end(), listed_before);
  }

  // Both lists by name, the services built in place: thousands of them.
  std::vector<Service> services;
  services.reserve(hits.size() + listed.size());
  auto next_listed = listed_by_name.begin();
  for (const std::uint32_t i : by_name) {
    if (claimed[i]) continue;
    for (; next_listed != listed_by_name.end() && listed[*next_listed].name < hits[i].name;
         ++next_listed) {
      services.push_back(std::move(listed[*next_listed]));
    }
    make_discovered(hits[i], services.emplace_back());
  }
  for (; next_listed != listed_by_name.end(); ++next_listed) {
    services.push_back(std::move(listed[*next_listed]));
  }
  return services;
}

}  // namespace svcdiff::config
