#include "cache/result_cache.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string_view>
#include <system_error>
#include <unordered_map>

#include "cache/staleness.hpp"
#include "config/discovery.hpp"
#include "core/error.hpp"
#include "repo/walk_limit.hpp"

namespace svcdiff::cache {
namespace fs = std::filesystem;
namespace {

// SVCDIFF_CACHE_DIR moves the file out of the git directory: a fresh clone
// (every CodeBuild build) has an empty one, while a directory the build
// project caches (buildspec `cache: paths`) outlives the container. A cache
// from another clone is judged like any other: its commit must be here.
std::string cache_path(const repo::Repository& repository) {
  if (const std::string dir = directory_from_environment(); !dir.empty()) {
    std::error_code error;
    const fs::path absolute = fs::absolute(dir, error);
    return ((error ? fs::path(dir) : absolute) / "cache").lexically_normal().string();
  }
  return repository.git_dir() + "svcdiff/cache";
}

// What a read of the cache file found.
struct FileBytes {
  using Kind = CacheFile::Kind;
  Kind kind = Kind::absent;
  // A regular file's bytes, when it could be read. Not a string, which
  // would zero every byte before the read overwrites it.
  std::unique_ptr<char[]> bytes;
  std::size_t size = 0;
};

// Far above any real cache (2,000 services with infer take about 200 KB):
// a larger file is not one svcdiff wrote.
constexpr std::size_t kMaxCacheBytes = 256U << 20U;

std::unique_ptr<char[]> read_all(int fd, std::size_t size) {
  if (size > kMaxCacheBytes) return nullptr;
  auto bytes = std::make_unique_for_overwrite<char[]>(size);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd, bytes.get() + done, size - done);
    if (n <= 0) return nullptr;
    done += static_cast<std::size_t>(n);
  }
  return bytes;
}

// Reads `path` when it is a regular file. Opened without blocking and
// checked on the open descriptor: a FIFO there would block the run forever,
// and a directory reports a size lseek makes up (an allocation that fails).
FileBytes read_regular_file(const std::string& path) {
  FileBytes read;
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno != ENOENT && errno != ENOTDIR) read.kind = FileBytes::Kind::other;
    return read;
  }
  struct stat info {};
  if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) {
    read.kind = FileBytes::Kind::regular;
    read.size = static_cast<std::size_t>(info.st_size);
    read.bytes = read_all(fd, read.size);
  } else {
    read.kind = FileBytes::Kind::other;
  }
  ::close(fd);
  return read;
}

// Reads of manifests are judged by their name (alters_inference checks
// every manifest name wherever it changes), so only the other reads need
// keeping: none with today's readers. Keeps the file small.
void keep_unnamed_reads(std::vector<std::string>& reads) {
  reads.erase(std::remove_if(reads.begin(), reads.end(),
                             [](const std::string& path) {
                               return config::is_manifest_name(
                                   std::string_view(path).substr(path.rfind('/') + 1));
                             }),
              reads.end());
}

std::string short_id(const std::string& id) { return id.substr(0, 12); }

// Whether discovery's tree walk reaches `path`: every directory above it is
// one it enters.
bool entered(const config::DiscoveryScope& scope, const std::string& path) {
  for (auto slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    if (!scope.may_descend(path.substr(0, slash))) return false;
  }
  return true;
}

// A run killed between writing its temporary file and renaming it leaves
// the file behind; in a directory a CI cache carries from build to build
// they would pile up. One whose process is gone is removed. (A process of
// that number in another container may keep one alive: harmless.)
void remove_abandoned_temporaries(const std::string& file) {
  const fs::path target(file);
  const std::string prefix = target.filename().string() + ".tmp.";
  std::error_code error;
  for (fs::directory_iterator it(target.parent_path(), error), end; !error && it != end;
       it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos ||
        digits.size() > 9) {
      continue;
    }
    const auto pid = static_cast<pid_t>(std::stol(digits));
    if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) {
      std::error_code ignored;
      fs::remove(it->path(), ignored);
    }
  }
}

// A diff that enters only the directories discovery enters: every path it
// reports is one discovery could read, and no other is.
class DiscoveryReach final : public repo::WalkLimit {
 public:
  explicit DiscoveryReach(const config::DiscoveryScope& scope) : scope_(scope) {}
  std::size_t limit_below(std::string_view /*dir*/) override { return 0; }
  bool counts(std::string_view /*path*/, bool /*is_dir*/) const override { return true; }
  bool enters(std::string_view dir) override { return scope_.may_descend(dir); }

 private:
  const config::DiscoveryScope& scope_;
};

void sort_unique(std::vector<std::string>& list) {
  std::sort(list.begin(), list.end());
  list.erase(std::unique(list.begin(), list.end()), list.end());
}

}  // namespace

CacheFile read_cache_file(const repo::Repository& repository) {
  CacheFile file;
  file.path = cache_path(repository);
  const FileBytes read = read_regular_file(file.path);
  file.kind = read.kind;
  if (read.bytes) file.entry = decode(std::string_view(read.bytes.get(), read.size));
  return file;
}

std::optional<config::Config> cached_config(CacheFile& file, std::string_view config_bytes) {
  file.config_key = cache_key(true, config_bytes);
  if (!file.entry || !file.entry->config || file.entry->key != file.config_key) {
    return std::nullopt;
  }
  std::optional<config::Config> config = std::move(file.entry->config);
  file.entry->config.reset();
  return config;
}

ResultCache ResultCache::open(const repo::Repository& repository, const config::Config& config,
                              const repo::CommitId& head) {
  return open(repository, config, head, read_cache_file(repository));
}

ResultCache ResultCache::open(const repo::Repository& repository, const config::Config& config,
                              const repo::CommitId& head, CacheFile file) {
  ResultCache cache;
  cache.file_ = std::move(file.path);
  cache.config_ = &config;
  cache.key_ = file.config_key.empty() ? cache_key(config) : std::move(file.config_key);
  cache.config_name_ = config.file;
  cache.head_ = head;
  cache.kept_ = !directory_from_environment().empty();
  if (file.kind == CacheFile::Kind::absent) {
    cache.status_ = "recomputed (no cache file " + cache.file_ + ")";
    return cache;
  }
  if (file.kind == CacheFile::Kind::other) {
    // Not kept: no run does extra work to keep up a file that cannot be
    // read (and a rename onto a directory fails anyway).
    cache.kept_ = false;
    cache.status_ = "recomputed (" + cache.file_ + " is not a regular file, or cannot be read)";
    return cache;
  }
  cache.kept_ = true;
  std::optional<Entry>& entry = file.entry;
  if (!entry) {
    cache.status_ = "recomputed (" + cache.file_ + " is malformed or of another format)";
  } else if (entry->key != cache.key_) {
    cache.status_ = "recomputed (written for another config or svcdiff)";
  } else if (!repository.has_commit(entry->commit)) {
    cache.status_ = "recomputed (its commit " + short_id(entry->commit) + " is not here)";
  } else {
    cache.entry_ = std::move(*entry);
    try {
      cache.judge(repository, config);
    } catch (const Error& failure) {
      // Its commit is there but not all of its trees (a damaged or partial
      // clone): the cache cannot be judged, and the run must not fail for it.
      cache.files_ = false;
      cache.inference_ = false;
      cache.updated_ = false;
      cache.status_ = "recomputed (cannot compare its commit " + short_id(cache.entry_.commit) +
                      " with head: " + failure.what() + ")";
    }
  }
  return cache;
}

// The diff from the cached commit to head decides: cost follows the change.
// Without infer only discovery's list is judged: the diff enters only
// directories discovery enters (nothing below a service directory but the
// `require` path), so a long range costs a few trees a changed service
// instead of every changed path.
void ResultCache::judge(const repo::Repository& repository, const config::Config& config) {
  const config::DiscoveryScope scope(config);
  DiscoveryReach reach(scope);
  std::vector<ChangedPath> changes;
  // (A config that infers nothing still keeps an empty infer result: reusing
  // it or not gives the same nothing.)
  const bool discovery_only = !entry_.infer || !config::infers_anything(config);
  if (entry_.commit != head_) {
    changes = repository.changes(entry_.commit, head_, discovery_only ? &reach : nullptr);
  }
  changes_since_ = changes.size();
  const std::string range = short_id(entry_.commit) + ".." + short_id(head_) + ", " +
                            std::to_string(changes.size()) + " changed paths" +
                            (discovery_only ? " where discovery looks" : "");
  const auto names = config::discovery_file_names(config);
  std::vector<std::string> candidates;
  std::vector<std::string> present;  // the candidates that are files at head
  std::vector<std::string> unsure;   // those their change cannot tell
  for (const ChangedPath* change : discovery_candidates(changes, names)) {
    candidates.push_back(change->path);
    // A lookup each cost as much as the diff's share of a path: the change
    // says whether its path is a file at head, but in a rare type change.
    const std::optional<bool> file = file_at_head(*change);
    if (!file) {
      unsure.push_back(change->path);
    } else if (*file && entered(scope, change->path)) {
      present.push_back(change->path);
    }
  }
  std::string discovery = "discovery";
  if (!candidates.empty()) {
    for (auto& path : repository.existing_files(head_, unsure)) {
      if (entered(scope, path)) present.push_back(std::move(path));
    }
    if (auto files = updated_discovery(entry_.files, candidates, present, names)) {
      updated_ = true;
      entry_.files = std::move(*files);
    }
    discovery += updated_ ? " updated" : " kept";
    discovery += " (" + std::to_string(candidates.size()) + " of its files changed)";
  }
  files_ = true;
  if (!entry_.infer) {
    status_ = "reused (" + discovery + "; " + range + ")";
    return;
  }
  // The name shows in infer's warnings only: a config that infers nothing
  // has none (in a bare repository it names the revision, `svcdiff.yml@X`,
  // and would otherwise rewrite the file whenever X is spelt differently).
  if (entry_.config_name != config.file && config::infers_anything(config)) {
    status_ = "reused (" + discovery + "; " + range + "); infer recomputed (config named " +
              config.file + ", not " + entry_.config_name + ")";
    return;
  }
  if (updated_) {
    status_ = "reused (" + discovery + "; " + range + "); infer recomputed (the services changed)";
    return;
  }
  if (auto path = alters_inference(changes, *entry_.infer)) {
    status_ =
        "reused (" + discovery + "; " + range + "); infer recomputed (" + *path + " may change it)";
    return;
  }
  inference_ = true;
  status_ = "reused (" + discovery + " and infer; " + range + ")";
}

std::string ResultCache::store(const PathList& files, const InferRecord* infer) const {
  Entry entry{key_, config_name_, head_, files, std::nullopt, *config_};
  if (infer != nullptr) {
    entry.infer = *infer;
    keep_unnamed_reads(entry.infer->reads);
    sort_unique(entry.infer->reads);
    sort_unique(entry.infer->lists);
  }
  std::error_code error;
  const fs::path target(file_);
  fs::create_directories(target.parent_path(), error);
  if (error) return "cannot create " + target.parent_path().string() + ": " + error.message();
  remove_abandoned_temporaries(file_);
  // Unique per process, so two runs at once never write into one file.
  const std::string temporary = file_ + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    const std::string bytes = encode(entry);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      fs::remove(temporary, error);
      return "cannot write " + temporary;
    }
  }
  fs::rename(temporary, target, error);
  if (error) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    return "cannot rename " + temporary + " to " + file_ + ": " + error.message();
  }
  return {};
}

config::ManifestFiles recorded_manifest_files(const repo::Repository& repository,
                                              const repo::CommitId& commit, InferRecord& record,
                                              bool& through_link) {
  return {[&repository, commit, &record, &through_link](const std::string& path) {
            record.reads.push_back(path);
            return repository.read_file(commit, path, &through_link);
          },
          [&repository, commit, &record](const std::string& dir) {
            record.lists.push_back(dir);
            return repository.list_files(commit, dir);
          }};
}

InferredEdges edges_of(const std::vector<config::Service>& services) {
  InferredEdges edges;
  for (const auto& service : services) {
    for (const auto& edge : service.inferred)
      edges.push_back(service.name, edge.service, edge.source);
  }
  return edges;
}

namespace {

// Puts `edges` back on `services`; with `all`, every edge's service must be
// there, else the edges of services that are not there are passed over. An
// edge to a service not there fails the whole, or with `drop_outside` is
// passed over.
bool restore(const InferredEdges& edges, std::vector<config::Service>& services, bool all,
             bool drop_outside = false) {
  constexpr std::size_t kAbsent = static_cast<std::size_t>(-1);
  std::unordered_map<std::string_view, std::size_t> index;
  index.reserve(services.size());
  for (std::size_t i = 0; i < services.size(); ++i) index.emplace(services[i].name, i);
  auto find = [&index](std::string_view name) {
    const auto it = index.find(name);
    return it == index.end() ? kAbsent : it->second;
  };
  // Each edge's service, looked up once (edges come service by service);
  // owner[k] stays absent for an edge left out.
  std::vector<std::size_t> owner(edges.size(), kAbsent);
  std::vector<std::size_t> counts(services.size(), 0);
  std::size_t service = kAbsent;
  for (std::size_t k = 0; k < edges.size(); ++k) {
    const InferredEdgeView edge = edges[k];
    if (k == 0 || edge.service != edges[k - 1].service) service = find(edge.service);
    owner[k] = service;
    if (owner[k] == kAbsent) {
      if (all) return false;
      continue;
    }
    if (find(edge.dependency) == kAbsent) {
      if (!drop_outside) return false;
      owner[k] = kAbsent;
      continue;
    }
    ++counts[owner[k]];
  }
  for (std::size_t i = 0; i < services.size(); ++i) {
    services[i].inferred.reserve(services[i].inferred.size() + counts[i]);
  }
  for (std::size_t k = 0; k < edges.size(); ++k) {
    if (owner[k] == kAbsent) continue;
    const InferredEdgeView edge = edges[k];
    services[owner[k]].inferred.push_back({std::string(edge.dependency), std::string(edge.source)});
  }
  return true;
}

}  // namespace

bool restore_edges(const InferredEdges& edges, std::vector<config::Service>& services) {
  return restore(edges, services, /*all=*/true);
}

bool restore_edges_among(const InferredEdges& edges, std::vector<config::Service>& services,
                         bool drop_outside) {
  if (services.empty() || !edges.run(services.front().name)) {
    return restore(edges, services, /*all=*/false, drop_outside);
  }
  // Sorted edges: bisect for each service's, rather than look at every edge.
  auto present = [&services](std::string_view name) {
    auto it = std::lower_bound(
        services.begin(), services.end(), name,
        [](const config::Service& service, std::string_view key) { return service.name < key; });
    return it != services.end() && it->name == name;
  };
  std::vector<std::vector<std::size_t>> kept(services.size());
  for (std::size_t i = 0; i < services.size(); ++i) {
    const auto [first, last] = *edges.run(services[i].name);
    for (std::size_t k = first; k < last; ++k) {
      if (present(edges[k].dependency)) {
        kept[i].push_back(k);
      } else if (!drop_outside) {
        return false;
      }
    }
  }
  for (std::size_t i = 0; i < services.size(); ++i) {
    auto& inferred = services[i].inferred;
    inferred.reserve(inferred.size() + kept[i].size());
    for (std::size_t k : kept[i]) {
      const InferredEdgeView edge = edges[k];
      inferred.push_back({std::string(edge.dependency), std::string(edge.source)});
    }
  }
  return true;
}

std::string directory_from_environment() {
  const char* value = std::getenv("SVCDIFF_CACHE_DIR");
  return value == nullptr ? std::string() : std::string(value);
}

bool disabled_by_environment() {
  const char* value = std::getenv("SVCDIFF_NO_CACHE");
  return value != nullptr && *value != '\0' && std::string(value) != "0";
}

}  // namespace svcdiff::cache
