#include "repo/objects.hpp"

#include <algorithm>
#include <cstdio>
#include <unordered_map>

#include "repo/git_handles.hpp"
#include "repo/repository_handle.hpp"

namespace svcdiff::repo {
namespace {

// git's header-prefixed SHA-1, via libgit2 (no repository needed).
std::string object_id(std::string_view content, git_object_t type) {
  ensure_libgit2();
  git_oid oid;
  if (git_odb_hash(&oid, content.data(), content.size(), type) < 0) {
    throw git_failure("cannot hash an object");
  }
  return format_oid(oid);
}

std::string tree_sort_key(const TreeEntry& entry) {
  return entry.mode == kModeTree ? entry.name + "/" : entry.name;
}

}  // namespace

std::string blob_id(std::string_view content) { return object_id(content, GIT_OBJECT_BLOB); }

std::string tree_id(std::vector<TreeEntry> entries) {
  std::sort(entries.begin(), entries.end(), [](const TreeEntry& a, const TreeEntry& b) {
    return tree_sort_key(a) < tree_sort_key(b);
  });
  // Each entry: the mode in octal without leading zeros, a space, the name,
  // NUL, then the 20 raw bytes of the id.
  std::string content;
  for (const auto& entry : entries) {
    char mode[16];
    std::snprintf(mode, sizeof mode, "%o", static_cast<unsigned>(entry.mode));
    content += mode;
    content += ' ';
    content += entry.name;
    content += '\0';
    git_oid oid;
    if (!parse_commit_id(entry.id, &oid)) {
      throw runtime_error("`" + entry.id + "` is not an object id (tree entry `" + entry.name +
                          "`)");
    }
    content.append(reinterpret_cast<const char*>(oid.id), GIT_OID_SHA1_SIZE);
  }
  return object_id(content, GIT_OBJECT_TREE);
}

struct CommitTree::State {
  git_repository* repo = nullptr;  // owned by the Repository, which outlives this
  std::string commit;
  // "" is the root; every tree looked up by path stays here.
  std::unordered_map<std::string, TreePtr> trees;
};

namespace {

TreeEntry to_entry(const git_tree_entry* entry) {
  return {git_tree_entry_name(entry), static_cast<std::uint32_t>(git_tree_entry_filemode(entry)),
          format_oid(*git_tree_entry_id(entry))};
}

std::pair<std::string, std::string> split_parent(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return {"", path};
  return {path.substr(0, slash), path.substr(slash + 1)};
}

// The tree at `dir`, read once; null when `dir` is no directory.
const git_tree* tree_at(CommitTree::State& state, const std::string& dir) {
  if (auto found = state.trees.find(dir); found != state.trees.end()) return found->second.get();
  auto [parent_dir, name] = split_parent(dir);
  const git_tree* parent = tree_at(state, parent_dir);
  if (parent == nullptr) return nullptr;
  const git_tree_entry* entry = git_tree_entry_byname(parent, name.c_str());
  if (entry == nullptr || git_tree_entry_filemode(entry) != GIT_FILEMODE_TREE) return nullptr;
  git_tree* raw = nullptr;
  const int rc = git_tree_lookup(&raw, state.repo, git_tree_entry_id(entry));
  TreePtr tree(raw);
  if (rc < 0) {
    throw git_failure("cannot read the tree `" + dir + "` of commit `" + state.commit + "`");
  }
  const git_tree* result = tree.get();
  state.trees.emplace(dir, std::move(tree));
  return result;
}

}  // namespace

CommitTree::CommitTree(const Repository& repository, const std::string& commit)
    : state_(std::make_unique<State>()) {
  state_->repo = repository.handle_->repo.get();
  state_->commit = commit;
  state_->trees.emplace("", commit_tree(state_->repo, commit));
}

CommitTree::CommitTree(CommitTree&&) noexcept = default;
CommitTree& CommitTree::operator=(CommitTree&&) noexcept = default;
CommitTree::~CommitTree() = default;

std::optional<TreeEntry> CommitTree::entry(const std::string& path) const {
  if (path.empty()) {
    return TreeEntry{"", kModeTree, format_oid(*git_tree_id(state_->trees.at("").get()))};
  }
  if (path.find('\0') != std::string::npos) return std::nullopt;
  auto [parent_dir, name] = split_parent(path);
  const git_tree* parent = tree_at(*state_, parent_dir);
  if (parent == nullptr) return std::nullopt;
  const git_tree_entry* entry = git_tree_entry_byname(parent, name.c_str());
  if (entry == nullptr) return std::nullopt;
  return to_entry(entry);
}

std::vector<TreeEntry> CommitTree::list(const std::string& dir) const {
  std::vector<TreeEntry> entries;
  if (dir.find('\0') != std::string::npos) return entries;
  const git_tree* tree = tree_at(*state_, dir);
  if (tree == nullptr) return entries;
  const std::size_t count = git_tree_entrycount(tree);
  entries.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    entries.push_back(to_entry(git_tree_entry_byindex(tree, i)));
  return entries;
}

}  // namespace svcdiff::repo
