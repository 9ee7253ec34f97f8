#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

// One edge of InferredEdges, viewing its bytes.
struct InferredEdgeView {
  std::string_view service;
  std::string_view dependency;
  std::string_view source;
};

// Inferred edges, service by service, kept as the cache file writes them: a
// run on demand looks at a few of thousands, and decoding every one into
// strings of its own cost more than the rest of the run.
class InferredEdges {
 public:
  InferredEdges() = default;
  InferredEdges(std::initializer_list<InferredEdge> edges);

  void push_back(std::string_view service, std::string_view dependency, std::string_view source);
  std::size_t size() const { return spans_.size(); }
  bool empty() const { return spans_.empty(); }
  InferredEdgeView operator[](std::size_t i) const;
  // The edges of `service`, [first, second), found by bisection when the
  // edges come sorted by service (as edges_of writes them); nullopt when
  // they do not, and the caller must look at every edge.
  std::optional<std::pair<std::size_t, std::size_t>> run(std::string_view service) const;

  // The file's bytes of every edge (each string its length first).
  const std::string& bytes() const { return bytes_; }
  // Reads `count` edges from the front of `rest` as bytes() wrote them;
  // nullopt for anything else.
  static std::optional<InferredEdges> read(std::string_view& rest, std::size_t count);

  friend bool operator==(const InferredEdges& a, const InferredEdges& b) {
    return a.bytes_ == b.bytes_;
  }

 private:
  struct Span {
    std::uint32_t at = 0;
    std::uint32_t size = 0;
  };
  struct Spans {
    Span service, dependency, source;
  };
  std::string_view view(Span span) const { return {bytes_.data() + span.at, span.size}; }
  void add(const Spans& spans);
  std::string bytes_;
  std::vector<Spans> spans_;
  bool sorted_ = true;  // by service
};

// What infer_dependencies said, and every input it looked at to say it.
struct InferRecord {
  InferredEdges edges;  // service by service, each in its order
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
  // The config as parsed (without its name, bytes and from_file): a run
  // whose key matches takes it instead of parsing the bytes again.
  std::optional<config::Config> config;
  friend bool operator==(const Entry&, const Entry&) = default;
};

// The SHA-256 of this build's source files (cmake/source-digest.cmake), hex.
std::string_view source_digest();

// What the result depends on besides the tree: this svcdiff (its version,
// its cache format and the digest of its sources), and the config's bytes.
// (Its name, which a bare repository's config takes from the revision,
// matters to infer's warnings only: the entry keeps it apart.)
std::string cache_key(const config::Config& config);
// The same from the config's bytes (`from_file`: they were read from a file,
// rather than the defaults of no svcdiff.yml).
std::string cache_key(bool from_file, std::string_view config_bytes);

std::string encode(const Entry& entry);
// nullopt for anything but what encode() wrote: another format, a truncated
// or altered file (a checksum covers every byte), trailing bytes.
std::optional<Entry> decode(std::string_view bytes);

}  // namespace svcdiff::cache
