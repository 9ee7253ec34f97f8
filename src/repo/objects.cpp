#include "repo/objects.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <unordered_map>
#include <utility>

#include "repo/git_handles.hpp"
#include "repo/raw_tree.hpp"
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

ObjectId TreeEntryView::object_id() const {
  ObjectId out;
  std::memcpy(out.data(), id, out.size());
  return out;
}

void append_hex(std::string& out, const ObjectId& id) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::size_t at = out.size();
  out.resize(at + 2 * id.size());
  char* hex = out.data() + at;
  for (const unsigned char byte : id) {
    *hex++ = kHex[byte >> 4];
    *hex++ = kHex[byte & 0xF];
  }
}

ObjectId parse_object_id(std::string_view hex) {
  git_oid oid;
  if (!parse_commit_id(std::string(hex), &oid)) {
    throw runtime_error("`" + std::string(hex) + "` is not an object id");
  }
  ObjectId out;
  std::memcpy(out.data(), oid.id, out.size());
  return out;
}

namespace {

// A tree looked up by path, parsed once: its entries are views into `tree`'s
// object, which stays here.
struct ParsedTree {
  RawTree tree;
  std::vector<RawEntry> entries;
};

TreeEntryView to_view(const RawEntry& entry) {
  return {entry.name, static_cast<std::uint32_t>(entry.mode), entry.id};
}

TreeEntry to_entry(const TreeEntryView& view) {
  TreeEntry entry{std::string(view.name), view.mode, {}};
  entry.id.reserve(2 * kObjectIdSize);
  append_hex(entry.id, view.object_id());
  return entry;
}

// Hashes a std::string and a string_view alike, so the trees kept by path are
// looked up by a view of the path, without a key built for every lookup.
struct PathHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view path) const noexcept {
    return std::hash<std::string_view>{}(path);
  }
};

// At most this many entries fit in a tree object of `bytes`: the smallest
// entry is "<5-digit mode> <1-byte name>\0<20-byte id>".
std::size_t max_entries(std::size_t bytes) { return bytes / (5 + 1 + 1 + 1 + kObjectIdSize); }

std::pair<std::string_view, std::string_view> split_parent(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return {"", path};
  return {path.substr(0, slash), path.substr(slash + 1)};
}

}  // namespace

struct CommitTree::State {
  State(git_repository* repo, const std::string& commit) : reader(repo, commit) {}

  // The tree at `dir` ("" is the root), read once; null when `dir` is no
  // directory.
  const ParsedTree* tree_at(std::string_view dir);
  std::optional<TreeEntryView> find(std::string_view path);
  // `raw` parsed and kept as the tree at `dir` (none: `dir` is no directory).
  const ParsedTree* keep(std::string_view dir, std::optional<RawTree> raw);

  RawTreeReader reader;
  git_oid root{};
  // Every tree looked up by path, and every path found to be no directory.
  std::unordered_map<std::string, std::optional<ParsedTree>, PathHash, std::equal_to<>> trees;
};

const ParsedTree* CommitTree::State::tree_at(std::string_view dir) {
  if (auto found = trees.find(dir); found != trees.end()) {
    return found->second ? &*found->second : nullptr;
  }
  std::optional<RawTree> tree;
  if (auto entry = find(dir); entry && entry->mode == kModeTree) {
    git_oid id;
    git_oid_fromraw(&id, entry->id);
    tree = reader.read(id, dir);
  }
  return keep(dir, std::move(tree));
}

const ParsedTree* CommitTree::State::keep(std::string_view dir, std::optional<RawTree> raw) {
  std::optional<ParsedTree> parsed;
  if (raw) {
    parsed = ParsedTree{std::move(*raw), {}};
    parsed->entries.reserve(max_entries(parsed->tree.object_size()));
    for (RawTree& tree = parsed->tree; !tree.done(); tree.advance()) {
      parsed->entries.push_back(tree.current());
    }
  }
  auto& slot = trees.emplace(std::string(dir), std::move(parsed)).first->second;
  return slot ? &*slot : nullptr;
}

std::optional<TreeEntryView> CommitTree::State::find(std::string_view path) {
  if (path.empty()) return TreeEntryView{"", kModeTree, root.id};
  if (path.find('\0') != std::string_view::npos) return std::nullopt;
  auto [parent_dir, name] = split_parent(path);
  const ParsedTree* parent = tree_at(parent_dir);
  if (parent == nullptr) return std::nullopt;
  // Bisected: `packages/` of a workspace is asked for every package in it.
  const RawEntry* entry = find_in_tree_order(parent->entries, name);
  if (entry == nullptr) return std::nullopt;
  return to_view(*entry);
}

CommitTree::CommitTree(const Repository& repository, const std::string& commit)
    : state_(std::make_unique<State>(repository.handle_->repo.get(), commit)) {
  // Read now, so a missing root tree fails here, naming the commit.
  RawTree root = state_->reader.read_commit_root(commit);
  state_->root = root.id();
  state_->keep("", std::move(root));
}

CommitTree::CommitTree(CommitTree&&) noexcept = default;
CommitTree& CommitTree::operator=(CommitTree&&) noexcept = default;
CommitTree::~CommitTree() = default;

std::optional<TreeEntryView> CommitTree::find(std::string_view path) const {
  return state_->find(path);
}

std::optional<TreeEntry> CommitTree::entry(const std::string& path) const {
  auto view = find(path);
  if (!view) return std::nullopt;
  return to_entry(*view);
}

std::vector<TreeEntry> CommitTree::list(const std::string& dir) const {
  std::vector<TreeEntry> entries;
  if (dir.find('\0') != std::string::npos) return entries;
  const ParsedTree* tree = state_->tree_at(dir);
  if (tree == nullptr) return entries;
  entries.reserve(tree->entries.size());
  for (const RawEntry& entry : tree->entries) entries.push_back(to_entry(to_view(entry)));
  return entries;
}

void CommitTree::for_each_entry(const TreeEntryView& tree, std::string_view dir,
                                const EntryVisit& visit) const {
  git_oid id;
  git_oid_fromraw(&id, tree.id);
  for (RawTree raw = state_->reader.read(id, dir); !raw.done(); raw.advance()) {
    visit(to_view(raw.current()));
  }
}

}  // namespace svcdiff::repo
