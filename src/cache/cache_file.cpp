#include "cache/cache_file.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "fingerprint/sha256.hpp"
#include "source_digest.hpp"  // generated: SVCDIFF_SOURCE_DIGEST

namespace svcdiff::cache {
namespace {

// Bump when the layout below changes. A change to what discovery or infer
// computes needs no bump: the key holds the digest of every source file.
constexpr std::string_view kMagic = "svcdiff result cache\n";
constexpr std::string_view kFormat = "format 3\n";
constexpr std::string_view kCheck = "check ";

// A 64-bit multiply-xorshift over 8-byte words (FNV-1a's constants): catches
// a torn or altered file at a fraction of a byte-wise hash's cost. The key,
// not this, carries the meaning, so nothing cryptographic is needed here.
std::string checksum(std::string_view bytes) {
  constexpr std::uint64_t kPrime = 1099511628211ULL;
  std::uint64_t hash = 14695981039346656037ULL ^ bytes.size();
  std::size_t at = 0;
  for (; at + 8 <= bytes.size(); at += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes.data() + at, 8);
    hash = (hash ^ word) * kPrime;
    hash ^= hash >> 29;
  }
  for (; at < bytes.size(); ++at) {
    hash = (hash ^ static_cast<unsigned char>(bytes[at])) * kPrime;
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

void put_line(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(" ").append(value).append("\n");
}

// Paths are raw bytes (newlines included): each string is its length first.
void put_string(std::string& out, std::string_view text) {
  char size[24];
  const auto end = std::to_chars(size, size + sizeof size, text.size()).ptr;
  out.append(size, end).append(1, ' ').append(text).append(1, '\n');
}

void put_strings(std::string& out, std::string_view name, const std::vector<std::string>& list) {
  put_line(out, name, std::to_string(list.size()));
  for (const auto& text : list) put_string(out, text);
}

// The parsed config, so that a run whose config bytes the key matches skips
// yaml-cpp (a quarter of a warm one-commit run). Every field of the model,
// positions included: later errors and warnings name them. Its name, bytes
// and whether it came from a file are the run's own, not written.
void put_number(std::string& out, std::size_t value) { put_string(out, std::to_string(value)); }

void put_pos(std::string& out, const config::SourcePos& pos) {
  put_number(out, static_cast<std::size_t>(pos.line));
  put_number(out, static_cast<std::size_t>(pos.column));
}

template <class T, class Put>
void put_list(std::string& out, const std::vector<T>& list, Put put) {
  put_number(out, list.size());
  for (const auto& item : list) put(item);
}

void put_optional(std::string& out, const std::optional<std::string>& value) {
  put_number(out, value ? 1 : 0);
  if (value) put_string(out, *value);
}

void put_config(std::string& out, const config::Config& config) {
  const auto pattern = [&](const config::PatternSpec& spec) {
    put_string(out, spec.text);
    put_pos(out, spec.pos);
  };
  const auto text = [&](const std::string& value) { put_string(out, value); };
  const auto pos = [&](const config::SourcePos& value) { put_pos(out, value); };
  const auto infer = [&](const config::InferSpec& spec) {
    put_string(out, spec.ecosystem);
    put_list(out, spec.kinds, text);
    put_pos(out, spec.pos);
  };
  put_number(out, static_cast<std::size_t>(config.version));
  put_optional(out, config.defaults.base);
  put_number(out, config.defaults.on_unknown_base
                      ? 1 + static_cast<std::size_t>(*config.defaults.on_unknown_base)
                      : 0);
  put_optional(out, config.defaults.output);
  put_optional(out, config.defaults.format);
  put_list(out, config.ignore, pattern);
  put_list(out, config.global, pattern);
  put_list(out, config.discover, [&](const config::Discover& discover) {
    put_string(out, discover.glob);
    put_string(out, discover.require);
    put_number(out, static_cast<std::size_t>(discover.naming));
    put_pos(out, discover.pos);
    put_list(out, discover.infer, infer);
  });
  put_list(out, config.infer, infer);
  put_list(out, config.services, [&](const config::Service& service) {
    put_string(out, service.name);
    put_pos(out, service.pos);
    put_list(out, service.paths, pattern);
    put_list(out, service.exclude, pattern);
    put_list(out, service.depends_on, text);
    put_list(out, service.depends_on_pos, pos);
    put_list(out, service.not_depends_on, text);
    put_list(out, service.not_depends_on_pos, pos);
    put_list(out, service.inferred, [&](const config::InferredDependency& dependency) {
      put_string(out, dependency.service);
      put_string(out, dependency.source);
    });
    put_string(out, service.project);
    put_string(out, service.buildspec);
    put_string(out, service.directory);
    put_number(out, service.build ? 1 : 0);
    put_number(out, service.vars.size());
    for (const auto& [name, value] : service.vars) {
      put_string(out, name);
      put_string(out, value);
    }
    put_number(out, service.var_types.size());
    for (const auto& [name, type] : service.var_types) {
      put_string(out, name);
      put_number(out, static_cast<std::size_t>(type));
    }
    put_number(out, service.discovered ? 1 : 0);
  });
}

// Reads what the put_ functions wrote; any surprise fails the whole read.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}

  bool literal(std::string_view text) {
    if (rest_.substr(0, text.size()) != text) return false;
    rest_.remove_prefix(text.size());
    return true;
  }
  bool line(std::string_view name, std::string& value) {
    if (!literal(name) || !literal(" ")) return false;
    const auto end = rest_.find('\n');
    if (end == std::string_view::npos) return false;
    value = std::string(rest_.substr(0, end));
    rest_.remove_prefix(end + 1);
    return true;
  }
  // A count no larger than the bytes left (each item takes at least two).
  bool count(std::string_view name, std::size_t& value) {
    std::string text;
    return line(name, text) && number(text, value) && value <= rest_.size();
  }
  // A plain number (not bounded by the bytes left, as count() is).
  bool size(std::string_view name, std::size_t& value) {
    std::string text;
    return line(name, text) && number(text, value);
  }
  bool string(std::string& value) {
    const auto space = rest_.find(' ');
    std::size_t size = 0;
    if (space == std::string_view::npos || !number(rest_.substr(0, space), size)) return false;
    rest_.remove_prefix(space + 1);
    if (rest_.size() < size + 1 || rest_[size] != '\n') return false;
    value = std::string(rest_.substr(0, size));
    rest_.remove_prefix(size + 1);
    return true;
  }
  bool number(std::size_t& value) {
    std::string text;
    return string(text) && number(text, value);
  }
  // A number below `limit` (an enum's values, a flag's two).
  bool below(std::size_t limit, std::size_t& value) { return number(value) && value < limit; }
  bool small(int& value) {
    std::size_t number_read = 0;
    if (!number(number_read) || number_read > static_cast<std::size_t>(INT32_MAX)) return false;
    value = static_cast<int>(number_read);
    return true;
  }
  bool pos(config::SourcePos& value) { return small(value.line) && small(value.column); }
  bool optional(std::optional<std::string>& value) {
    std::size_t present = 0;
    if (!below(2, present)) return false;
    if (present == 0) return true;
    value.emplace();
    return string(*value);
  }
  template <class T, class Get>
  bool list(std::vector<T>& items, Get get) {
    std::size_t size = 0;
    if (!number(size) || size > rest_.size()) return false;
    items.resize(size);
    return std::all_of(items.begin(), items.end(), get);
  }
  bool strings(std::string_view name, std::vector<std::string>& list) {
    std::size_t size = 0;
    if (!count(name, size)) return false;
    list.resize(size);
    for (auto& text : list) {
      if (!string(text)) return false;
    }
    return true;
  }
  bool paths(std::string_view name, PathList& list) {
    std::size_t size = 0;
    if (!count(name, size)) return false;
    auto read = PathList::read(rest_, size);
    if (!read) return false;
    list = std::move(*read);
    return true;
  }
  bool edges(std::size_t count, InferredEdges& edges) {
    auto read = InferredEdges::read(rest_, count);
    if (!read) return false;
    edges = std::move(*read);
    return true;
  }
  bool done() const { return rest_.empty(); }

  // Digits only, no sign, no leading zero but "0" itself.
  static bool number(std::string_view text, std::size_t& value) {
    if (text.empty() || (text.size() > 1 && text[0] == '0')) return false;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size();
  }

 private:
  std::string_view rest_;
};

bool read_infer(Reader& reader, InferRecord& record) {
  std::size_t edges = 0;
  if (!reader.count("edges", edges)) return false;
  if (!reader.edges(edges, record.edges)) return false;
  return reader.strings("warnings", record.warnings) && reader.strings("reads", record.reads) &&
         reader.strings("lists", record.lists) &&
         reader.strings("graph-warnings", record.graph_warnings) &&
         reader.size("buildable", record.buildable);
}

bool read_config(Reader& in, config::Config& config) {
  const auto pattern = [&](config::PatternSpec& spec) {
    return in.string(spec.text) && in.pos(spec.pos);
  };
  const auto text = [&](std::string& value) { return in.string(value); };
  const auto pos = [&](config::SourcePos& value) { return in.pos(value); };
  const auto infer = [&](config::InferSpec& spec) {
    return in.string(spec.ecosystem) && in.list(spec.kinds, text) && in.pos(spec.pos);
  };
  std::size_t unknown_base = 0;
  if (!in.small(config.version) || !in.optional(config.defaults.base) ||
      !in.below(3, unknown_base) || !in.optional(config.defaults.output) ||
      !in.optional(config.defaults.format)) {
    return false;
  }
  if (unknown_base != 0) {
    config.defaults.on_unknown_base = static_cast<config::OnUnknownBase>(unknown_base - 1);
  }
  const auto discover = [&](config::Discover& entry) {
    std::size_t naming = 0;
    if (!in.string(entry.glob) || !in.string(entry.require) || !in.below(2, naming)) return false;
    entry.naming = static_cast<config::DiscoverNaming>(naming);
    return in.pos(entry.pos) && in.list(entry.infer, infer);
  };
  const auto service = [&](config::Service& entry) {
    const auto inferred = [&](config::InferredDependency& dependency) {
      return in.string(dependency.service) && in.string(dependency.source);
    };
    std::size_t build = 0;
    std::size_t vars = 0;
    if (!in.string(entry.name) || !in.pos(entry.pos) || !in.list(entry.paths, pattern) ||
        !in.list(entry.exclude, pattern) || !in.list(entry.depends_on, text) ||
        !in.list(entry.depends_on_pos, pos) || !in.list(entry.not_depends_on, text) ||
        !in.list(entry.not_depends_on_pos, pos) || !in.list(entry.inferred, inferred) ||
        !in.string(entry.project) || !in.string(entry.buildspec) || !in.string(entry.directory) ||
        !in.below(2, build) || !in.number(vars)) {
      return false;
    }
    entry.build = build == 1;
    for (std::size_t i = 0; i < vars; ++i) {
      std::string name;
      std::string value;
      if (!in.string(name) || !in.string(value)) return false;
      entry.vars.emplace(std::move(name), std::move(value));
    }
    std::size_t types = 0;
    if (!in.number(types)) return false;
    for (std::size_t i = 0; i < types; ++i) {
      std::string name;
      std::size_t type = 0;
      if (!in.string(name) || !in.below(3, type)) return false;
      entry.var_types.emplace(std::move(name), static_cast<config::VarType>(type));
    }
    std::size_t discovered = 0;
    if (!in.below(2, discovered)) return false;
    entry.discovered = discovered == 1;
    return true;
  };
  return in.list(config.ignore, pattern) && in.list(config.global, pattern) &&
         in.list(config.discover, discover) && in.list(config.infer, infer) &&
         in.list(config.services, service);
}

// One string as put_string wrote it, at `at` of `text`: its offset and size,
// with `at` moved past it; nullopt for anything else. As Reader::string,
// without a string of its own: the lists read this way hold thousands.
std::optional<std::pair<std::uint32_t, std::uint32_t>> next_string(std::string_view text,
                                                                   std::size_t& at) {
  const std::size_t end = text.size();
  std::size_t size = 0;
  const std::size_t digits = at;
  for (; at < end && text[at] >= '0' && text[at] <= '9'; ++at) {
    size = size * 10 + static_cast<std::size_t>(text[at] - '0');
    if (size > end) return std::nullopt;
  }
  if (at == digits || (at - digits > 1 && text[digits] == '0')) return std::nullopt;
  if (at == end || text[at] != ' ') return std::nullopt;
  ++at;
  if (end - at < size + 1 || text[at + size] != '\n') return std::nullopt;
  const std::pair span{static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(size)};
  at += size + 1;
  return span;
}

bool is_hex(std::string_view text, std::size_t size) {
  return text.size() == size &&
         text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace

InferredEdges::InferredEdges(std::initializer_list<InferredEdge> edges) {
  for (const auto& edge : edges) push_back(edge.service, edge.dependency, edge.source);
}

void InferredEdges::push_back(std::string_view service, std::string_view dependency,
                              std::string_view source) {
  Spans spans;
  for (auto [text, span] :
       {std::pair{service, &spans.service}, std::pair{dependency, &spans.dependency},
        std::pair{source, &spans.source}}) {
    put_string(bytes_, text);
    span->at = static_cast<std::uint32_t>(bytes_.size() - 1 - text.size());
    span->size = static_cast<std::uint32_t>(text.size());
  }
  add(spans);
}

void InferredEdges::add(const Spans& spans) {
  if (!spans_.empty() && view(spans.service) < view(spans_.back().service)) sorted_ = false;
  spans_.push_back(spans);
}

InferredEdgeView InferredEdges::operator[](std::size_t i) const {
  const Spans& spans = spans_[i];
  return {view(spans.service), view(spans.dependency), view(spans.source)};
}

std::optional<std::pair<std::size_t, std::size_t>> InferredEdges::run(
    std::string_view service) const {
  if (!sorted_) return std::nullopt;
  auto first = std::partition_point(spans_.begin(), spans_.end(), [&](const Spans& spans) {
    return view(spans.service) < service;
  });
  auto last = std::partition_point(
      first, spans_.end(), [&](const Spans& spans) { return view(spans.service) == service; });
  return std::pair{static_cast<std::size_t>(first - spans_.begin()),
                   static_cast<std::size_t>(last - spans_.begin())};
}

std::optional<InferredEdges> InferredEdges::read(std::string_view& rest, std::size_t count) {
  // Offsets are 32 bits: far above any cache (kMaxCacheBytes in result_cache.cpp).
  if (rest.size() > UINT32_MAX) return std::nullopt;
  InferredEdges edges;
  edges.spans_.reserve(count);
  std::size_t at = 0;
  auto string = [&](Span& span) {
    const auto read = next_string(rest, at);
    if (read) span = {read->first, read->second};
    return read.has_value();
  };
  // As PathList::read: the bytes are copied once, at the end, so whether the
  // edges are sorted is judged on the file's own bytes (add() would read
  // bytes_, still empty).
  const auto service = [&](const Spans& spans) {
    return rest.substr(spans.service.at, spans.service.size);
  };
  for (std::size_t k = 0; k < count; ++k) {
    Spans spans;
    if (!string(spans.service) || !string(spans.dependency) || !string(spans.source)) {
      return std::nullopt;
    }
    if (!edges.spans_.empty() && service(spans) < service(edges.spans_.back())) {
      edges.sorted_ = false;
    }
    edges.spans_.push_back(spans);
  }
  edges.bytes_.assign(rest.substr(0, at));
  rest.remove_prefix(at);
  return edges;
}

PathList::PathList(std::initializer_list<std::string_view> paths) {
  for (const auto path : paths) push_back(path);
}

PathList::PathList(const std::vector<std::string>& paths) {
  spans_.reserve(paths.size());
  for (const auto& path : paths) push_back(path);
}

void PathList::push_back(std::string_view path) {
  put_string(bytes_, path);
  add({static_cast<std::uint32_t>(bytes_.size() - 1 - path.size()),
       static_cast<std::uint32_t>(path.size())});
}

void PathList::add(Span span) {
  if (!spans_.empty() && sorted_ &&
      std::string_view(bytes_.data() + span.at, span.size) < (*this)[spans_.size() - 1]) {
    sorted_ = false;
  }
  spans_.push_back(span);
}

std::vector<std::string> PathList::strings() const {
  std::vector<std::string> out;
  out.reserve(size());
  for (const auto path : *this) out.emplace_back(path);
  return out;
}

std::optional<PathList> PathList::read(std::string_view& rest, std::size_t count) {
  // Offsets are 32 bits, as InferredEdges::read's.
  if (rest.size() > UINT32_MAX) return std::nullopt;
  PathList list;
  list.spans_.reserve(count);
  std::size_t at = 0;
  // Spans first, so the bytes are copied once, cut to the paths; sorted_
  // is judged on the file's own bytes meanwhile.
  for (std::size_t k = 0; k < count; ++k) {
    const auto read = next_string(rest, at);
    if (!read) return std::nullopt;
    const Span span{read->first, read->second};
    if (!list.spans_.empty() && list.sorted_) {
      const Span last = list.spans_.back();
      if (rest.substr(span.at, span.size) < rest.substr(last.at, last.size)) list.sorted_ = false;
    }
    list.spans_.push_back(span);
  }
  list.bytes_.assign(rest.substr(0, at));
  rest.remove_prefix(at);
  return list;
}

std::string_view source_digest() { return SVCDIFF_SOURCE_DIGEST; }

std::string cache_key(const config::Config& config) {
  return cache_key(config.from_file, config.bytes);
}

std::string cache_key(bool from_file, std::string_view config_bytes) {
  fingerprint::Sha256 hash;
  hash.update(kFormat);
  hash.update("svcdiff " SVCDIFF_VERSION "\n");
  hash.update(source_digest());
  hash.update(from_file ? "from file\n" : "defaults\n");
  hash.update(config_bytes);
  return hash.hex_digest();
}

std::string encode(const Entry& entry) {
  std::string out(kMagic);
  out.append(kFormat);
  put_line(out, "key", entry.key);
  put_string(out, entry.config_name);
  put_line(out, "commit", entry.commit);
  put_line(out, "files", std::to_string(entry.files.size()));
  out.append(entry.files.bytes());
  put_line(out, "infer", entry.infer ? "1" : "0");
  if (entry.infer) {
    put_line(out, "edges", std::to_string(entry.infer->edges.size()));
    out.append(entry.infer->edges.bytes());
    put_strings(out, "warnings", entry.infer->warnings);
    put_strings(out, "reads", entry.infer->reads);
    put_strings(out, "lists", entry.infer->lists);
    put_strings(out, "graph-warnings", entry.infer->graph_warnings);
    put_line(out, "buildable", std::to_string(entry.infer->buildable));
  }
  put_line(out, "config", entry.config ? "1" : "0");
  if (entry.config) put_config(out, *entry.config);
  const std::string sum = checksum(out);
  out.append(kCheck).append(sum).append("\n");
  return out;
}

std::optional<Entry> decode(std::string_view bytes) {
  // The last line holds the checksum of everything before it.
  constexpr std::size_t kCheckLine = 6 + 16 + 1;
  if (bytes.size() < kCheckLine || bytes.back() != '\n') return std::nullopt;
  const std::string_view body = bytes.substr(0, bytes.size() - kCheckLine);
  const std::string_view check = bytes.substr(body.size());
  if (check.substr(0, kCheck.size()) != kCheck ||
      check.substr(kCheck.size(), 16) != checksum(body)) {
    return std::nullopt;
  }
  Reader reader(body);
  Entry entry;
  std::string infer;
  if (!reader.literal(kMagic) || !reader.literal(kFormat) || !reader.line("key", entry.key) ||
      !is_hex(entry.key, 64) || !reader.string(entry.config_name) ||
      !reader.line("commit", entry.commit) ||
      !(is_hex(entry.commit, 40) || is_hex(entry.commit, 64)) ||
      !reader.paths("files", entry.files) || !reader.line("infer", infer)) {
    return std::nullopt;
  }
  if (infer == "1") {
    entry.infer.emplace();
    if (!read_infer(reader, *entry.infer)) return std::nullopt;
  } else if (infer != "0") {
    return std::nullopt;
  }
  std::string config;
  if (!reader.line("config", config)) return std::nullopt;
  if (config == "1") {
    entry.config.emplace();
    if (!read_config(reader, *entry.config)) return std::nullopt;
  } else if (config != "0") {
    return std::nullopt;
  }
  if (!reader.done()) return std::nullopt;
  return entry;
}

}  // namespace svcdiff::cache
