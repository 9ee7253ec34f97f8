#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/model.hpp"

// The bytes of the result cache (<git_dir>/svcdiff/cache): what one run
// computed at one commit, and how it is written and read back. Pure: no I/O.
namespace svcdiff::cache {

// An inferred dependency as infer_dependencies left it on a service.
struct InferredEdge {
  std::string service;
  std::string dependency;
  std::string source;  // "services/web/package.json: \"@acme/common\": \"1\""
  friend bool operator==(const InferredEdge&, const InferredEdge&) = default;
};

// What infer_dependencies said, and every input it looked at to say it.
struct InferRecord {
  std::vector<InferredEdge> edges;  // service by service, each in its order
  std::vector<std::string> warnings;
  std::vector<std::string> reads;  // every path read, found or not; sorted, unique
  std::vector<std::string> lists;  // every directory listed; sorted, unique
  // What the graph of every service said, for a `changed` that then builds
  // only the part the change reaches (discovery on demand with these edges):
  // its warnings (cycles through inferred edges, in order) and how many
  // services are built (`build: true`), which the summary prints.
  std::vector<std::string> graph_warnings;
  std::size_t buildable = 0;
  friend bool operator==(const InferRecord&, const InferRecord&) = default;
};

struct Entry {
  std::string key;                   // cache_key() of the run that wrote it
  std::string config_name;           // the config as messages name it (infer's warnings do)
  std::string commit;                // the commit it was computed at
  std::vector<std::string> files;    // discovery's files there, all of them
  std::optional<InferRecord> infer;  // absent when the run did not infer
  friend bool operator==(const Entry&, const Entry&) = default;
};

// The SHA-256 of this build's source files (cmake/source-digest.cmake), hex.
std::string_view source_digest();

// What the result depends on besides the tree: this svcdiff (its version,
// its cache format and the digest of its sources), and the config's bytes.
// (Its name, which a bare repository's config takes from the revision,
// matters to infer's warnings only: the entry keeps it apart.)
std::string cache_key(const config::Config& config);

std::string encode(const Entry& entry);
// nullopt for anything but what encode() wrote: another format, a truncated
// or altered file (a checksum covers every byte), trailing bytes.
std::optional<Entry> decode(std::string_view bytes);

}  // namespace svcdiff::cache
