#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cache/cache_file.hpp"
#include "config/infer.hpp"
#include "config/model.hpp"
#include "repo/repository.hpp"

// The result cache: what the last run computed at some commit (discovery's
// files, infer's edges), reused at another commit only when no path that
// differs between the two can change it. Lives in <git_dir>/svcdiff/cache,
// never in the work tree; one file, the last run's.
namespace svcdiff::cache {

// The cache file as a run reads it, once: before the config is parsed (see
// cached_config), then judged by ResultCache::open.
struct CacheFile {
  enum class Kind { absent, regular, other } kind = Kind::absent;
  std::string path;
  std::optional<Entry> entry;  // a regular file's, when decode() could read it
  // cache_key() of the config whose bytes cached_config was given (a
  // SHA-256 of them: computed once a run).
  std::string config_key;
};
CacheFile read_cache_file(const repo::Repository& repository);

// The config the file holds when it was written for these config bytes and
// this svcdiff (the key matches), moved out of `file`; else nullopt. Its
// name, bytes and from_file are the caller's to set: parse_config's own.
// Parsing the bytes again would give the same config: yaml-cpp's cost (a
// quarter of a warm one-commit run) is saved.
std::optional<config::Config> cached_config(CacheFile& file, std::string_view config_bytes);

class ResultCache {
 public:
  // Reads the cache of `repository` and judges it against `head`. Never
  // throws for the cache itself: a missing, unreadable or malformed file, a
  // cache of another svcdiff or config, or a commit no longer there makes
  // nothing reusable, and status() says why. `config` must outlive the
  // ResultCache: store() writes it.
  static ResultCache open(const repo::Repository& repository, const config::Config& config,
                          const repo::CommitId& head);
  // The same with the file already read (and, when cached_config saw it,
  // the key of `config`'s bytes).
  static ResultCache open(const repo::Repository& repository, const config::Config& config,
                          const repo::CommitId& head, CacheFile file);

  // This repository keeps a cache: a file was there, valid or not, or
  // SVCDIFF_CACHE_DIR asks for one. A run that would not need every
  // service's files computes them anyway to keep it up.
  bool kept() const { return kept_; }
  // Discovery's files at head (the cached ones, brought to head from the
  // diff), when the cache is of this config; else null.
  const PathList* files() const { return files_ ? &entry_.files : nullptr; }
  // Infer's result at head, when the cached one still holds; else null.
  const InferRecord* inference() const { return inference_ ? &*entry_.infer : nullptr; }
  // Whether the file is worth writing again although nothing was
  // recomputed: the head moved far enough from its commit that the next
  // run's diff would cost more than the write (kRewriteAfter paths).
  bool stale() const { return !files_ || updated_ || changes_since_ > kRewriteAfter; }
  static constexpr std::size_t kRewriteAfter = 100;
  // "reused (...)" or "recomputed (...)", for -v.
  const std::string& status() const { return status_; }

  // Writes what this run holds at head, atomically (a temporary file, then
  // rename). Returns an empty string, or why it could not: never an error.
  std::string store(const PathList& files, const InferRecord* infer) const;

 private:
  void judge(const repo::Repository& repository, const config::Config& config);

  std::string file_;
  const config::Config* config_ = nullptr;
  std::string key_;
  std::string config_name_;
  repo::CommitId head_;
  Entry entry_;
  bool kept_ = false;
  bool files_ = false;
  bool inference_ = false;
  bool updated_ = false;           // discovery's list was brought to head
  std::size_t changes_since_ = 0;  // paths that differ between its commit and head
  std::string status_;
};

// Wraps the manifest reads of `commit` so that `record` learns every path
// read and directory listed. `through_link` is set when a read followed a
// symlink: its result then depends on paths the record does not name.
config::ManifestFiles recorded_manifest_files(const repo::Repository& repository,
                                              const repo::CommitId& commit, InferRecord& record,
                                              bool& through_link);

// The inferred edges of `services`, in order.
InferredEdges edges_of(const std::vector<config::Service>& services);
// Puts cached edges back on `services` (sorted by name); false, leaving them
// untouched, when an edge names a service that is not there.
bool restore_edges(const InferredEdges& edges, std::vector<config::Service>& services);
// The same for part of the services (discovery on demand): the edges of the
// services there; false, leaving them untouched, when one of those leads to
// a service that is not there -- unless `drop_outside` (the caller reads no
// dependency outside them): such edges are then left out.
bool restore_edges_among(const InferredEdges& edges, std::vector<config::Service>& services,
                         bool drop_outside = false);

// SVCDIFF_CACHE_DIR, the directory that holds the cache file instead of
// <git_dir>/svcdiff/ when set and not empty; else "".
std::string directory_from_environment();

// The cache can be turned off: SVCDIFF_NO_CACHE set to anything but "" or "0".
bool disabled_by_environment();

}  // namespace svcdiff::cache
