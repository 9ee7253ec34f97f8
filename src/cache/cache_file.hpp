#pragma once

#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/model.hpp"

// The bytes of the result cache (<git_dir>/svcdiff/cache): what one run
// computed at one commit, and how it is written and read back. Pure: no I/O.
namespace svcdiff::cache {

// Paths kept as the cache file writes them (each its length first), in one
// buffer: a warm run reads thousands of discovery's files and looks at a
// few, and a string per path cost as much as the rest of reading the file.
class PathList {
 public:
  PathList() = default;
  PathList(std::initializer_list<std::string_view> paths);
  explicit PathList(const std::vector<std::string>& paths);

  void push_back(std::string_view path);
  std::size_t size() const { return spans_.size(); }
  bool empty() const { return spans_.empty(); }
  std::string_view operator[](std::size_t i) const {
    return {bytes_.data() + spans_[i].at, spans_[i].size};
  }
  // Whether the paths come in byte order (discovery's list does with one
  // file name to look for).
  bool sorted() const { return sorted_; }
  std::vector<std::string> strings() const;

  // Random access for std::ranges' algorithms; to the older ones an input
  // iterator, since it hands out views by value, not references.
  class Iterator {
   public:
    using iterator_concept = std::random_access_iterator_tag;
    using iterator_category = std::input_iterator_tag;
    using value_type = std::string_view;
    using reference = std::string_view;
    using pointer = void;
    using difference_type = std::ptrdiff_t;
    Iterator() = default;
    Iterator(const PathList* list, std::size_t at) : list_(list), at_(at) {}
    std::string_view operator*() const { return (*list_)[at_]; }
    std::string_view operator[](difference_type n) const { return *(*this + n); }
    Iterator& operator++() { return *this += 1; }
    Iterator operator++(int) { return std::exchange(*this, *this + 1); }
    Iterator& operator--() { return *this -= 1; }
    Iterator operator--(int) { return std::exchange(*this, *this - 1); }
    Iterator& operator+=(difference_type n) {
      at_ = static_cast<std::size_t>(static_cast<difference_type>(at_) + n);
      return *this;
    }
    Iterator& operator-=(difference_type n) { return *this += -n; }
    friend Iterator operator+(Iterator it, difference_type n) { return it += n; }
    friend Iterator operator+(difference_type n, Iterator it) { return it += n; }
    friend Iterator operator-(Iterator it, difference_type n) { return it -= n; }
    friend difference_type operator-(const Iterator& a, const Iterator& b) {
      return static_cast<difference_type>(a.at_) - static_cast<difference_type>(b.at_);
    }
    friend bool operator==(const Iterator& a, const Iterator& b) { return a.at_ == b.at_; }
    friend auto operator<=>(const Iterator& a, const Iterator& b) { return a.at_ <=> b.at_; }

   private:
    const PathList* list_ = nullptr;
    std::size_t at_ = 0;
  };
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, spans_.size()}; }

  // The file's bytes of every path.
  const std::string& bytes() const { return bytes_; }
  // Reads `count` paths from the front of `rest` as bytes() wrote them;
  // nullopt for anything else.
  static std::optional<PathList> read(std::string_view& rest, std::size_t count);

  friend bool operator==(const PathList& a, const PathList& b) { return a.bytes_ == b.bytes_; }

 private:
  struct Span {
    std::uint32_t at = 0;
    std::uint32_t size = 0;
  };
  void add(Span span);
  std::string bytes_;
  std::vector<Span> spans_;
  bool sorted_ = true;
};

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
  PathList files;                    // discovery's files there, all of them
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
