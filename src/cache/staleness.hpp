#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cache/cache_file.hpp"
#include "core/changed_path.hpp"

// Whether a cached result still holds at another commit, judged from the
// paths that differ between the two trees alone. Pure.
namespace svcdiff::cache {

// The changed paths whose last segment is a discovery file name: the only
// ones that can add a file to discovery's list or take one away (a
// directory that goes or comes lists every file it held). Discovery reads
// nothing else: which directories it enters depends on the config alone.
// They point into `changes`.
std::vector<const ChangedPath*> discovery_candidates(const std::vector<ChangedPath>& changes,
                                                     const std::vector<std::string>& names);

// Whether the changed path is a file (or symlink) at head, told by the change
// alone, so judging a cache asks the head tree about no candidate; nullopt
// where the change cannot tell: a type change with a submodule on one side
// (its `is_dir` does not say which side).
std::optional<bool> file_at_head(const ChangedPath& change);

// Discovery's list `files` brought to the head: each candidate taken out,
// and put back when `present` (the candidates that are files at head, in a
// directory discovery enters) holds it. In discovery's order: by name as
// `names` lists them, each sorted (as `files` comes). nullopt when no path
// comes or goes: the list stays as it is, and is not made again.
std::optional<PathList> updated_discovery(const PathList& files,
                                          const std::vector<std::string>& candidates,
                                          const std::vector<std::string>& present,
                                          const std::vector<std::string>& names);

// The first change that may alter what infer_dependencies said, given the
// same services: a path it read, or one directly inside a directory it
// listed, or above either (a directory replaced by a file), or any manifest
// an ecosystem reads wherever it lies (config::is_manifest_name).
std::optional<std::string> alters_inference(const std::vector<ChangedPath>& changes,
                                            const InferRecord& record);

}  // namespace svcdiff::cache
