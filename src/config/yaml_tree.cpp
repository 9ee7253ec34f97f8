#include "config/yaml_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <unordered_map>
#include <utility>

#include "core/error.hpp"
#include "core/path_text.hpp"

namespace svcdiff::config {
namespace {

const char* const kNoAnchors =
    "anchors (`&name`) are not supported in svcdiff.yml; repeat the value instead";
const char* const kNoAliases =
    "aliases (`*name`) are not supported in svcdiff.yml; repeat the value instead";

SourcePos to_pos(const YAML::Mark& mark) { return {mark.line + 1, mark.column + 1}; }

// "tag:yaml.org,2002:str" is written `!!str`.
std::string written_tag(const std::string& tag) {
  const std::string core = "tag:yaml.org,2002:";
  if (tag.rfind(core, 0) == 0) return "!!" + tag.substr(core.size());
  return tag;
}

// Turns yaml-cpp's events into a YamlNode tree, refusing what svcdiff.yml has
// no use for (anchors, aliases, tags, several documents) and duplicate keys,
// which yaml-cpp itself lets through.
class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string& file, const YamlLimits& limits) : file_(file), limits_(limits) {}

  YamlNode take_root() { return std::move(root_); }
  // Where the parser last reported something: for its errors without a mark.
  SourcePos last_pos() const { return last_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    seen(mark);
    if (++documents_ > 1) {
      fail(to_pos(mark), "a second YAML document; svcdiff.yml holds one, so remove this `---`");
    }
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    check_node(mark, "", anchor);
    YamlNode node;
    node.pos = to_pos(mark);
    add(std::move(node));
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t /*anchor*/) override {
    seen(mark);
    fail(to_pos(mark), kNoAliases);
  }

  void OnAnchor(const YAML::Mark& mark, const std::string& /*anchor_name*/) override {
    seen(mark);
    fail(to_pos(mark), kNoAnchors);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    check_node(mark, tag, anchor);
    YamlNode node;
    node.kind = YamlNode::Kind::scalar;
    node.pos = to_pos(mark);
    node.text = value;
    node.quoted = tag == "!";
    add(std::move(node));
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    open(mark, tag, anchor, YamlNode::Kind::sequence);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    open(mark, tag, anchor, YamlNode::Kind::mapping);
  }
  void OnMapEnd() override { close(); }

 private:
  struct OpenNode {
    YamlNode node;
    std::unordered_map<std::string, SourcePos> keys;  // mappings: each key where first seen
  };

  [[noreturn]] void fail(const SourcePos& pos, const std::string& message) const {
    throw config_error_at({file_, pos.line, pos.column}, message);
  }

  void seen(const YAML::Mark& mark) {
    if (!mark.is_null()) last_ = to_pos(mark);
  }

  bool expecting_key() const {
    return !open_.empty() && open_.back().node.kind == YamlNode::Kind::mapping &&
           open_.back().node.items.size() % 2 == 0;
  }

  void check_node(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor) {
    seen(mark);
    if (anchor != YAML::NullAnchor) {
      fail(to_pos(mark), kNoAnchors);
    }
    // "?" marks a plain value, "!" a quoted one; anything else was written.
    if (!tag.empty() && tag != "?" && tag != "!") {
      fail(to_pos(mark), "YAML tags (`" + message_text(written_tag(tag)) +
                             "`) are not supported in svcdiff.yml; quote the value instead");
    }
  }

  void open(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
            YamlNode::Kind kind) {
    check_node(mark, tag, anchor);
    if (expecting_key()) {
      fail(to_pos(mark), std::string("a key must be a string, not a ") +
                             (kind == YamlNode::Kind::sequence ? "list" : "mapping"));
    }
    if (static_cast<int>(open_.size()) >= limits_.max_depth) {
      fail(to_pos(mark), "values nested deeper than " + std::to_string(limits_.max_depth) +
                             " levels (the limit); svcdiff.yml never needs that many");
    }
    OpenNode entry;
    entry.node.kind = kind;
    entry.node.pos = to_pos(mark);
    open_.push_back(std::move(entry));
  }

  void close() {
    YamlNode done = std::move(open_.back().node);
    open_.pop_back();
    add(std::move(done));
  }

  // Hangs a finished node on the innermost open sequence or mapping.
  void add(YamlNode node) {
    if (open_.empty()) {
      root_ = std::move(node);
      return;
    }
    OpenNode& parent = open_.back();
    if (expecting_key()) {
      if (node.kind == YamlNode::Kind::null) fail(node.pos, "a key is missing before this `:`");
      auto [first, inserted] = parent.keys.emplace(node.text, node.pos);
      if (!inserted) {
        fail(node.pos, "duplicate key `" + message_text(node.text) + "` (first at line " +
                           std::to_string(first->second.line) + ", column " +
                           std::to_string(first->second.column) + "); keep only one of them");
      }
    } else if (parent.node.kind == YamlNode::Kind::mapping && node.kind == YamlNode::Kind::null) {
      // yaml-cpp places an empty value at the next token; its key is clearer.
      node.pos = parent.node.items.back().pos;
    }
    parent.node.items.push_back(std::move(node));
  }

  const std::string& file_;
  const YamlLimits& limits_;
  std::vector<OpenNode> open_;
  YamlNode root_;
  int documents_ = 0;
  SourcePos last_{1, 1};
};

// The first line, up to `last_line`, whose indentation holds a tab: YAML
// forbids tabs there, and yaml-cpp's own message does not say so. 0: none.
int line_with_tab_indent(std::string_view text, int last_line) {
  int line = 1;
  std::size_t start = 0;
  while (start < text.size() && line <= last_line) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::size_t i = start;
    bool tab = false;
    for (; i < end && (text[i] == ' ' || text[i] == '\t'); ++i) tab = tab || text[i] == '\t';
    if (tab && i < end && text[i] != '#') return line;
    start = end + 1;
    ++line;
  }
  return 0;
}

}  // namespace

YamlNode parse_yaml(std::string_view text, const std::string& file, const YamlLimits& limits) {
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  TreeBuilder builder(file, limits);
  try {
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const YAML::Exception& e) {
    const SourcePos pos = e.mark.is_null() ? builder.last_pos() : to_pos(e.mark);
    // yaml-cpp resolves aliases before reporting them: an unknown one lands here.
    if (e.msg == YAML::ErrorMsg::UNKNOWN_ANCHOR) {
      throw config_error_at({file, pos.line, pos.column}, kNoAliases);
    }
    if (const int line = line_with_tab_indent(text, pos.line); line > 0) {
      throw config_error_at({file, line, 1},
                            "a tab in the indentation; YAML indents with spaces only, so replace "
                            "the tab with spaces");
    }
    throw config_error_at(
        {file, pos.line, pos.column},
        "invalid YAML: " + message_text(e.msg) + "; check the indentation and quoting here");
  }
  return builder.take_root();
}

}  // namespace svcdiff::config
