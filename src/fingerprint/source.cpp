#include "fingerprint/source.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "core/error.hpp"

namespace svcdiff::fingerprint {
namespace {

std::string join(const std::string& dir, const std::string& name) {
  return dir.empty() ? name : dir + "/" + name;
}

// Git's mode for what lstat found, or 0 for a type git does not store.
std::uint32_t git_mode(const struct stat& info) {
  if (S_ISDIR(info.st_mode)) return repo::kModeTree;
  if (S_ISLNK(info.st_mode)) return repo::kModeSymlink;
  if (S_ISREG(info.st_mode)) {
    return (info.st_mode & S_IXUSR) != 0 ? repo::kModeExecutable : repo::kModeFile;
  }
  return 0;
}

std::string read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw runtime_error("cannot read `" + file.string() + "`: " + std::strerror(errno));
  std::string bytes(std::istreambuf_iterator<char>(in), {});
  if (in.bad()) throw runtime_error("cannot read `" + file.string() + "`");
  return bytes;
}

std::string read_link(const std::filesystem::path& link) {
  std::string target(256, '\0');
  while (true) {
    const ssize_t size = ::readlink(link.c_str(), target.data(), target.size());
    if (size < 0) {
      throw runtime_error("cannot read the symlink `" + link.string() +
                          "`: " + std::strerror(errno));
    }
    if (static_cast<std::size_t>(size) < target.size()) {
      target.resize(static_cast<std::size_t>(size));
      return target;
    }
    target.resize(target.size() * 2);
  }
}

}  // namespace

std::filesystem::path DirectorySource::full_path(const std::string& path) const {
  return path.empty() ? root_ : root_ / path;
}

void DirectorySource::entry(const std::string& path, const Visit& visit) {
  struct stat info {};
  if (::lstat(full_path(path).c_str(), &info) != 0) return;
  const std::uint32_t mode = git_mode(info);
  if (mode == 0) return;
  const std::size_t slash = path.rfind('/');
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  visit({name, mode, nullptr});
}

void DirectorySource::list(const std::string& dir, const repo::TreeEntryView&, const Visit& visit) {
  for (const auto& entry : entries(dir)) visit({entry.name, entry.mode, nullptr});
}

std::vector<repo::TreeEntry> DirectorySource::entries(const std::string& dir) const {
  std::vector<repo::TreeEntry> entries;
  std::error_code error;
  std::filesystem::directory_iterator it(full_path(dir), error);
  if (error) {
    if (error == std::errc::not_a_directory || error == std::errc::no_such_file_or_directory) {
      return entries;
    }
    throw runtime_error("cannot list `" + full_path(dir).string() + "`: " + error.message());
  }
  for (; it != std::filesystem::directory_iterator(); it.increment(error)) {
    if (error) {
      throw runtime_error("cannot list `" + full_path(dir).string() + "`: " + error.message());
    }
    std::string name = it->path().filename().string();
    if (name == ".git") continue;  // never part of a tree, at any depth
    struct stat info {};
    if (::lstat(it->path().c_str(), &info) != 0) {
      throw runtime_error("cannot read `" + it->path().string() + "`: " + std::strerror(errno));
    }
    if (const std::uint32_t mode = git_mode(info); mode != 0) {
      entries.push_back({std::move(name), mode, {}});
    }
  }
  return entries;
}

repo::ObjectId DirectorySource::object_id(const std::string& path,
                                          const repo::TreeEntryView& entry) {
  if (entry.id != nullptr) return entry.object_id();
  return repo::parse_object_id(hex_id(path, entry.mode));
}

std::string DirectorySource::hex_id(const std::string& path, std::uint32_t mode) {
  switch (mode) {
    case repo::kModeSymlink:
      return repo::blob_id(read_link(full_path(path)));
    case repo::kModeTree: {
      if (auto found = tree_ids_.find(path); found != tree_ids_.end()) return found->second;
      std::vector<repo::TreeEntry> children;
      for (auto& child : entries(path)) {
        child.id = hex_id(join(path, child.name), child.mode);
        // Git stores no empty directory, so neither does a tree computed here.
        if (child.mode == repo::kModeTree && child.id == repo::kEmptyTreeId) continue;
        children.push_back(std::move(child));
      }
      std::string id = repo::tree_id(std::move(children));
      tree_ids_.emplace(path, id);
      return id;
    }
    default:
      return repo::blob_id(read_bytes(full_path(path)));
  }
}

}  // namespace svcdiff::fingerprint
