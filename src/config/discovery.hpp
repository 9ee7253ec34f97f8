#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/model.hpp"
#include "core/error.hpp"
#include "match/wildmatch.hpp"

namespace svcdiff::config {

// The file names discovery looks for: the last segment of every `require` of
// `discover`, or buildspec.yml for the zero-config default.
std::vector<std::string> discovery_file_names(const Config& config);

// The name discovery gives `directory` under `naming` (SPEC §4): its basename,
// or its path with each slash a dash.
std::string discovered_name(std::string_view directory, DiscoverNaming naming);
// The same into `name`, whose buffer is kept: for a walk that asks it of
// every directory it enters.
void assign_discovered_name(std::string& name, std::string_view directory, DiscoverNaming naming);

// For each `discover` rule with a `require`, how many segments deep the
// directory that holds that file lies (glob `a/*` and require `ci/x`: 3), or
// -1 when that varies (a glob with `**`).
std::vector<int> require_depths(const Config& config);

// The zero-config default: a buildspec.yml anywhere makes a service.
bool uses_default_discovery(const Config& config);

// Discovery on demand, for `changed`: instead of reading every tree a
// `discover` glob can reach, ask only whether the directories along the
// changed paths hold their `require`, plus the directories a name must be
// looked up in (see may_match_below). Pure: the caller reads the trees.
class DiscoveryOnDemand {
 public:
  // `config` must outlive it.
  explicit DiscoveryOnDemand(const Config& config);

  // False for zero-config discovery (a service, and another of the same
  // name, may be anywhere) and with `infer` (a manifest may make a changed
  // service a dependency of any other): only a full discovery is exact.
  bool possible() const { return possible_; }
  // With `infer`, on demand is exact once every inferred edge is known
  // without reading manifests (the result cache's, valid at head): the
  // caller then also resolves the services those edges connect to the
  // changed ones. False for zero-config discovery, as possible().
  bool possible_with_known_edges() const { return possible_with_edges_; }

  // The `require` files that would make a service of a directory along
  // `paths`: for each directory above a path that a glob matches, that
  // glob's `require` below it. Sorted, each once.
  std::vector<std::string> files_along(const std::vector<std::string_view>& paths) const;

  // Names whose every discovered match must be known even when no change
  // lies below it: explicit services (a discovered match gives them their
  // directory and buildspec) and the names `depends_on` lists.
  std::vector<std::string> names_to_look_up() const;

  // For looking a name up among all the matches of the globs: true when a
  // glob may match a directory strictly below `dir`, so the walk reads the
  // trees down to a glob's last segment and no further.
  bool may_match_below(std::string_view dir) const;
  // For a walk that needs only the `require` files: true when one may lie
  // strictly below `dir` (a glob may match below it, or matches `dir` or a
  // directory above it and its `require` lies below `dir`).
  bool may_find_require_below(std::string_view dir) const;
  // The `require` files that would make a service of `dir` (empty when no
  // glob matches it).
  std::vector<std::string> files_in(std::string_view dir) const;
  // The names `dir` would get from the globs that match it (`name:
  // basename` or `name: path`), each once.
  std::vector<std::string> names_of(std::string_view dir) const;
  // Whether a glob that names by `naming` matches `dir`: names_of without
  // making the names, for a walk that has them already.
  bool matched_naming_by(std::string_view dir, DiscoverNaming naming) const;

 private:
  // files_in, appended to `files`: no list made per directory. `depth`: the
  // segments of `dir` (or more than most_segments_), which rules out the
  // globs of another depth before they run.
  void add_files_in(std::string_view dir, int depth, std::vector<std::string>& files) const;

  bool possible_ = false;
  bool possible_with_edges_ = false;
  std::vector<match::Glob> globs_;
  std::vector<std::string> requires_;  // normalized, one a glob
  std::vector<int> require_dirs_;      // directories in each `require` ("ci/x": 1)
  std::vector<int> segments_;          // a glob's segments; -1 with `**` (any number)
  int most_segments_ = 0;              // the largest of segments_
  std::vector<DiscoverNaming> namings_;
  const Config* config_;
};

// Which directories discovery must enter: all of them for the zero-config
// default, else only those below which a `require` file may lie (a glob can
// match at or below them, or matches one above and its `require` goes
// deeper). Keeps discovery from reading every tree of a large repository.
// `config` must outlive it.
class DiscoveryScope {
 public:
  explicit DiscoveryScope(const Config& config);
  bool may_descend(std::string_view dir) const;

 private:
  bool everything_ = false;
  DiscoveryOnDemand rules_;  // its may_find_require_below is the same question
};

// A directory that discovery makes a service of, before explicit entries
// apply and before any name check.
struct DiscoveredDirectory {
  std::string name;  // the basename
  std::string directory;
  // The `require` file that makes it one (`directory/require`), when asked for.
  std::string file;
};

// What discovery finds in `files` (as for resolve_services). `changed` uses it
// on the `require` files deleted since base to report a discovered service
// whose directory is gone at head as removed, or that lost its `require`.
// `with_files`: fill each one's `file` too (a string each, which discovery on
// demand has no use for).
std::vector<DiscoveredDirectory> discovered_directories(const Config& config,
                                                        const std::vector<std::string>& files,
                                                        bool with_files = false);

// What discovery makes of `files` (as for resolve_services): the directories
// it turns into services, worked out once for discovery on demand, which
// reads their names, and for resolve_services, which makes the services
// (working them out for each cost a pds run 1.6% of its instructions).
// `config` must outlive it.
class Discovery {
 public:
  Discovery(const Config& config, const std::vector<std::string>& files);
  Discovery(Discovery&&) noexcept;
  Discovery& operator=(Discovery&&) noexcept;
  ~Discovery();

  // The name of each directory, in discovery order.
  std::vector<std::string> names() const;

 private:
  friend std::vector<Service> resolve_services(const Config& config, Discovery discovery,
                                               std::vector<Service>* stale);
  struct State;
  std::unique_ptr<State> state_;
};

// The final service list: discovered services (from `files`, the paths of
// files named by discovery_file_names), then explicit entries, which override
// discovered ones of the same name. Every service gets its `directory`,
// default `paths` and `buildspec`. Sorted by name. Throws svcdiff::Error
// (config) for two discovered services with one name, an invalid discovered
// name, or an explicit service with no paths that nothing discovered -- unless
// `stale` is given: such entries (their directory deleted, or never there)
// then go there instead, for the caller to judge with the base in hand.
std::vector<Service> resolve_services(const Config& config, const std::vector<std::string>& files,
                                      std::vector<Service>* stale = nullptr);
// The same from what discovery made of the files already.
std::vector<Service> resolve_services(const Config& config, Discovery discovery,
                                      std::vector<Service>* stale = nullptr);

// The error for a stale entry that no deleted directory explains: it never
// matched anything, or (`deleted_require`, the file discovery needed) the
// range deleted what made its directory a service and left the directory.
Error stale_entry_error(const Config& config, const Service& entry,
                        std::string_view deleted_require = {});

}  // namespace svcdiff::config
