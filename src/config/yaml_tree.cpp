#include "config/yaml_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <optional>
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

// How much of YAML a reader accepts. svcdiff.yml is strict: one document, no
// anchors, aliases or tags, and a duplicate or non-scalar key is an error.
enum class Rules { strict, lenient };

// A finished value an anchor names, for its aliases to copy.
struct Anchored {
  YamlNode node;
  std::size_t values = 0;  // nodes in `node`, itself included
  int height = 0;          // nested sequences and mappings in `node`
};

// Turns yaml-cpp's events into YamlNode trees, one a document. Under
// Rules::strict it refuses what svcdiff.yml has no use for and duplicate keys,
// which yaml-cpp itself lets through. Everything it refuses is a YamlError.
class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(std::string_view text, Rules rules, const YamlLimits& limits)
      : text_(text), rules_(rules), limits_(limits) {}

  std::vector<YamlNode> take_documents() { return std::move(documents_); }
  bool strict() const { return rules_ == Rules::strict; }
  // Where the parser last reported something: for its errors without a mark.
  SourcePos last_pos() const { return last_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    seen(mark);
    check_progress(mark);
    if (strict() && !documents_.empty()) {
      fail(to_pos(mark), "a second YAML document; svcdiff.yml holds one, so remove this `---`");
    }
  }
  void OnDocumentEnd() override { documents_.push_back(std::move(root_)); }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    check_node(mark, "", anchor);
    YamlNode node;
    node.pos = to_pos(mark);
    add(std::move(node), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    seen(mark);
    if (strict()) fail(to_pos(mark), kNoAliases);
    add_alias(mark, anchor);
  }

  void OnAnchor(const YAML::Mark& mark, const std::string& /*anchor_name*/) override {
    seen(mark);
    if (strict()) fail(to_pos(mark), kNoAnchors);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    check_node(mark, tag, anchor);
    YamlNode node;
    node.kind = YamlNode::Kind::scalar;
    node.pos = to_pos(mark);
    node.text = value;
    node.quoted = tag == "!";
    add(std::move(node), anchor);
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
    YAML::anchor_t anchor = YAML::NullAnchor;
    std::size_t values_before = 0;                    // values_ when it opened
    int height = 1;                                   // of the node so far
    std::unordered_map<std::string, SourcePos> keys;  // strict mappings: each key where first seen
  };

  [[noreturn]] static void fail(const SourcePos& pos, const std::string& message) {
    throw YamlError(pos, message, /*syntax=*/false);
  }

  void seen(const YAML::Mark& mark) {
    if (!mark.is_null()) last_ = to_pos(mark);
  }

  // yaml-cpp 0.7 starts a document at a token it cannot begin a value with
  // (a `,` outside `[...]` or `{...}`) without consuming it, and then starts
  // another there, forever: a document starting where the last one did is
  // that token.
  void check_progress(const YAML::Mark& mark) {
    const bool stuck = document_start_ && document_start_->pos == mark.pos;
    document_start_ = mark;
    if (!stuck) return;
    const auto at = static_cast<std::size_t>(std::max(mark.pos, 0));
    const std::string token = at < text_.size() ? std::string(1, text_[at]) : "";
    if (token == ",") {
      throw YamlError(to_pos(mark), "a `,` outside `[...]` or `{...}`", /*syntax=*/true,
                      "quote the value it is in");
    }
    throw YamlError(to_pos(mark), "unexpected `" + message_text(token) + "`", /*syntax=*/true);
  }

  bool expecting_key() const {
    return !open_.empty() && open_.back().node.kind == YamlNode::Kind::mapping &&
           open_.back().node.items.size() % 2 == 0;
  }

  void check_node(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor) {
    seen(mark);
    if (!strict()) return;
    if (anchor != YAML::NullAnchor) fail(to_pos(mark), kNoAnchors);
    // "?" marks a plain value, "!" a quoted one; anything else was written.
    if (!tag.empty() && tag != "?" && tag != "!") {
      fail(to_pos(mark), "YAML tags (`" + message_text(written_tag(tag)) +
                             "`) are not supported in svcdiff.yml; quote the value instead");
    }
  }

  void check_depth(const SourcePos& pos, int height) const {
    if (static_cast<int>(open_.size()) + height > limits_.max_depth) {
      fail(pos, "values nested deeper than " + std::to_string(limits_.max_depth) +
                    " levels (the limit); " +
                    (strict() ? "svcdiff.yml never needs that many" : "flatten them"));
    }
  }

  void count_values(const SourcePos& pos, std::size_t values) {
    // Compared before adding: an alias chain's count can pass any integer.
    if (values > limits_.max_values - values_) {
      fail(pos, "more than " + std::to_string(limits_.max_values) +
                    " values once aliases (`*name`) are expanded (the limit)");
    }
    values_ += values;
  }

  void open(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
            YamlNode::Kind kind) {
    check_node(mark, tag, anchor);
    if (strict() && expecting_key()) {
      fail(to_pos(mark), std::string("a key must be a string, not a ") +
                             (kind == YamlNode::Kind::sequence ? "list" : "mapping"));
    }
    check_depth(to_pos(mark), 1);
    count_values(to_pos(mark), 1);
    OpenNode entry;
    entry.node.kind = kind;
    entry.node.pos = to_pos(mark);
    entry.anchor = anchor;
    entry.values_before = values_ - 1;
    open_.push_back(std::move(entry));
  }

  void close() {
    OpenNode done = std::move(open_.back());
    open_.pop_back();
    if (!open_.empty()) open_.back().height = std::max(open_.back().height, done.height + 1);
    remember(done.anchor, done.node, values_ - done.values_before, done.height);
    hang(std::move(done.node));
  }

  // A scalar or null: counted, remembered under its anchor, hung on its parent.
  void add(YamlNode node, YAML::anchor_t anchor) {
    count_values(node.pos, 1);
    remember(anchor, node, 1, 0);
    hang(std::move(node));
  }

  // A copy of what the anchor names, counted and nested as if written here.
  void add_alias(const YAML::Mark& mark, YAML::anchor_t anchor) {
    const auto found = anchored_.find(anchor);
    if (found == anchored_.end()) {
      // yaml-cpp knows the anchor, so it names a value still open around here.
      fail(to_pos(mark), "an alias (`*name`) inside the value its anchor names");
    }
    const Anchored& named = found->second;
    check_depth(to_pos(mark), named.height);
    count_values(to_pos(mark), named.values);
    if (!open_.empty()) open_.back().height = std::max(open_.back().height, named.height + 1);
    hang(YamlNode(named.node));
  }

  void remember(YAML::anchor_t anchor, const YamlNode& node, std::size_t values, int height) {
    if (anchor == YAML::NullAnchor) return;
    // The copy kept here is as large as the value: count it too.
    count_values(node.pos, values);
    anchored_[anchor] = Anchored{node, values, height};
  }

  // Hangs a finished node on the innermost open sequence or mapping, or makes
  // it the document's root.
  void hang(YamlNode node) {
    if (open_.empty()) {
      root_ = std::move(node);
      return;
    }
    OpenNode& parent = open_.back();
    if (strict() && expecting_key()) check_key(parent, node);
    if (parent.node.kind == YamlNode::Kind::mapping && !expecting_key() &&
        node.kind == YamlNode::Kind::null) {
      // yaml-cpp places an empty value at the next token; its key is clearer.
      node.pos = parent.node.items.back().pos;
    }
    parent.node.items.push_back(std::move(node));
  }

  void check_key(OpenNode& parent, const YamlNode& key) const {
    if (key.kind == YamlNode::Kind::null) fail(key.pos, "a key is missing before this `:`");
    auto [first, inserted] = parent.keys.emplace(key.text, key.pos);
    if (!inserted) {
      fail(key.pos, "duplicate key `" + message_text(key.text) + "` (first at line " +
                        std::to_string(first->second.line) + ", column " +
                        std::to_string(first->second.column) + "); keep only one of them");
    }
  }

  std::string_view text_;
  Rules rules_;
  const YamlLimits& limits_;
  std::vector<OpenNode> open_;
  YamlNode root_;
  std::vector<YamlNode> documents_;
  std::optional<YAML::Mark> document_start_;
  std::unordered_map<YAML::anchor_t, Anchored> anchored_;
  std::size_t values_ = 0;
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

// Every document of `text` through `rules`; yaml-cpp's own exceptions become
// syntax YamlErrors.
std::vector<YamlNode> read_documents(std::string_view text, Rules rules, const YamlLimits& limits) {
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  TreeBuilder builder(text, rules, limits);
  try {
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const YAML::Exception& e) {
    const SourcePos pos = e.mark.is_null() ? builder.last_pos() : to_pos(e.mark);
    // yaml-cpp resolves aliases before reporting them: an unknown one lands here.
    if (e.msg == YAML::ErrorMsg::UNKNOWN_ANCHOR && builder.strict()) {
      throw YamlError(pos, kNoAliases, /*syntax=*/false);
    }
    throw YamlError(pos, message_text(e.msg), /*syntax=*/true);
  }
  return builder.take_documents();
}

}  // namespace

std::optional<SourcePos> find_nul(std::string_view text) {
  const std::size_t nul = text.find('\0');
  if (nul == std::string_view::npos) return std::nullopt;
  const std::string_view before = text.substr(0, nul);
  const std::size_t line_start = before.rfind('\n') + 1;  // npos + 1 == 0
  return SourcePos{static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1,
                   static_cast<int>(nul - line_start) + 1};
}

YamlNode parse_yaml(std::string_view text, const std::string& file, const YamlLimits& limits) {
  try {
    std::vector<YamlNode> documents = read_documents(text, Rules::strict, limits);
    return documents.empty() ? YamlNode{} : std::move(documents.front());
  } catch (const YamlError& error) {
    const SourcePos pos = error.pos();
    if (!error.syntax()) throw config_error_at({file, pos.line, pos.column}, error.what());
    if (const int line = line_with_tab_indent(text, pos.line); line > 0) {
      throw config_error_at({file, line, 1},
                            "a tab in the indentation; YAML indents with spaces only, so replace "
                            "the tab with spaces");
    }
    throw config_error_at(
        {file, pos.line, pos.column},
        std::string("invalid YAML: ") + error.what() + "; " +
            (error.advice().empty() ? "check the indentation and quoting here" : error.advice()));
  }
}

std::vector<YamlNode> parse_yaml_documents(std::string_view text, const YamlLimits& limits) {
  return read_documents(text, Rules::lenient, limits);
}

}  // namespace svcdiff::config
