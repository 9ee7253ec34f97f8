#pragma once

#include <string>
#include <vector>

#include "config/model.hpp"
#include "core/error.hpp"
#include "match/wildmatch.hpp"

namespace svcdiff::config {

// The file names discovery looks for: the last segment of every `require` of
// `discover`, or buildspec.yml for the zero-config default.
std::vector<std::string> discovery_file_names(const Config& config);

// Which directories discovery must enter: all of them for the zero-config
// default, else only those a `discover` glob can match at or below. Keeps
// discovery from reading every tree of a large repository.
class DiscoveryScope {
 public:
  explicit DiscoveryScope(const Config& config);
  bool may_descend(const std::string& dir) const;

 private:
  bool everything_ = false;
  std::vector<match::Glob> globs_;
  std::vector<int> depths_;  // per glob: directories between a match and its `require`
};

// A directory that discovery makes a service of, before explicit entries
// apply and before any name check.
struct DiscoveredDirectory {
  std::string name;  // the basename
  std::string directory;
};

// What discovery finds in `files` (as for resolve_services). `changed` uses it
// on the files deleted since base to report a discovered service whose
// directory is gone at head as removed.
std::vector<DiscoveredDirectory> discovered_directories(const Config& config,
                                                        const std::vector<std::string>& files);

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

// The error for a stale entry that nothing explains: it never matched anything.
Error stale_entry_error(const Config& config, const Service& entry);

}  // namespace svcdiff::config
