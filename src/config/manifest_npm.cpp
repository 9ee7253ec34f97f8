// package.json: a scanner of its own for the common text, nlohmann/json for
// the rest and for every message.
#include <array>
#include <cstddef>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "config/manifests.hpp"
#include "core/error.hpp"
#include "core/path_text.hpp"

namespace svcdiff::config {

TextPosition position_at(std::string_view text, std::size_t offset) {
  TextPosition position;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else {
      ++position.column;
    }
  }
  return position;
}

namespace {

const char* const kNpmKinds[] = {"dependencies", "devDependencies", "peerDependencies",
                                 "optionalDependencies"};

// Where `"key"` first stands in the text, for messages about its value.
TextPosition position_of_key(std::string_view text, const std::string& key) {
  auto at = text.find("\"" + key + "\"");
  return position_at(text, at == std::string_view::npos ? 0 : at);
}

// Appends `text` as a JSON string, escaped as nlohmann's dump() does (the
// parser has already checked that it is UTF-8), without building a json
// value: every dependency of every manifest gets one.
void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  std::size_t plain = 0;  // start of the run of bytes copied as they are
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text, plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        static const char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
      }
    }
  }
  out.append(text, plain);
  out += '"';
}

// The text `explain` shows for one dependency: "\"name\": \"spec\"", built
// in one string.
std::string dependency_text(std::string_view name, std::string_view spec) {
  std::string text;
  text.reserve(name.size() + spec.size() + 6);
  append_json_string(text, name);
  text += ": ";
  append_json_string(text, spec);
  return text;
}
// The same for a spec the document reader holds, string or not.
std::string document_dependency_text(std::string_view name, const nlohmann::json& spec) {
  if (spec.is_string()) return dependency_text(name, spec.get_ref<const std::string&>());
  std::string text;
  append_json_string(text, name);
  return text + ": " + spec.dump();
}

// The config error for JSON the parser refused at byte `byte` (1-based, as
// nlohmann counts): a syntax error, or a number too large for a double.
Error not_json(std::string_view text, const std::string& file, std::size_t byte,
               const std::string& what) {
  auto position = position_at(text, byte == 0 ? 0 : byte - 1);
  auto detail = what.find("error while parsing");
  if (detail == std::string::npos && what.find("] ") != std::string::npos) {
    detail = what.find("] ") + 2;  // "[json.exception.out_of_range.406] number overflow ..."
  }
  return config_error_at(
      {file, position.line, position.column},
      "not valid JSON: " + what.substr(detail == std::string::npos ? 0 : detail));
}

// The whole document, for what the fast reader leaves to it: the rare spec
// that is not a string, and the errors about a value's type.
Manifest read_package_json_document(std::string_view text, const std::string& file) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    throw not_json(text, file, error.byte, error.what());
  } catch (const nlohmann::json::exception& error) {
    throw not_json(text, file, 0, error.what());
  }
  if (!document.is_object()) throw config_error_at({file, 1, 1}, "expected a JSON object");
  Manifest manifest;
  if (auto name = document.find("name"); name != document.end() && name->is_string()) {
    manifest.name = name->get<std::string>();
  }
  for (const char* kind : kNpmKinds) {
    auto list = document.find(kind);
    if (list == document.end() || list->is_null()) continue;
    if (!list->is_object()) {
      auto position = position_of_key(text, kind);
      throw config_error_at({file, position.line, position.column},
                            std::string("`") + kind + "` must be an object of package names");
    }
    for (const auto& [name, spec] : list->items()) {
      manifest.dependencies.push_back(
          {kind, name, "", false, 0, document_dependency_text(name, spec)});
    }
  }
  return manifest;
}

constexpr std::size_t kNoKind = static_cast<std::size_t>(-1);

// Which of kNpmKinds `key` names, or kNoKind.
std::size_t kind_of(std::string_view key) {
  for (std::size_t k = 0; k < std::size(kNpmKinds); ++k) {
    if (key == kNpmKinds[k]) return k;
  }
  return kNoKind;
}

// What the readers keep of a package.json: `name` and the four dependency
// objects, the last of duplicate keys winning (as in the document).
struct NpmDeclarations {
  std::string name;
  std::array<std::map<std::string, std::string>, 4> kinds;
  std::array<bool, 4> seen{};

  // False for a kind named twice: the document keeps the last one, and only
  // the document reader can say which type that has.
  bool see(std::size_t kind) {
    if (seen[kind]) return false;
    seen[kind] = true;
    return true;
  }

  Manifest manifest() && {
    Manifest manifest;
    manifest.name = std::move(name);
    std::size_t count = 0;
    for (const auto& kind : kinds) count += kind.size();
    manifest.dependencies.reserve(count);
    for (std::size_t k = 0; k < kinds.size(); ++k) {
      for (auto& [dependency, spec] : kinds[k]) {
        manifest.dependencies.push_back(
            {kNpmKinds[k], dependency, "", false, 0, dependency_text(dependency, spec)});
      }
    }
    return manifest;
  }
};

// Reads the package.json most repositories have, by hand: one pass that
// checks the JSON grammar and UTF-8 as nlohmann does, copies out only what
// NpmDeclarations keeps and skips the rest without building it. It takes
// nothing it is unsure of: a `\u` escape, a number with an exponent or of
// 300 characters or more (the parser says whether it fits in a double), a
// byte order mark, nesting past kMaxDepth, a kind that is no object or comes
// twice, a spec that is not a string, and every invalid text make read()
// return false, and the parser reads the text instead. So it never accepts a
// text the parser refuses, and messages stay the parser's.
class PackageJsonScanner {
 public:
  explicit PackageJsonScanner(std::string_view text)
      : at_(text.data()), end_(text.data() + text.size()) {}

  // True when it read the whole text, filling `out`.
  bool read(NpmDeclarations& out) {
    if (!take('{')) return false;
    if (!take('}')) {
      do {
        if (!member(out)) return false;
      } while (take(','));
      if (!take('}')) return false;
    }
    skip_space();
    return at_ == end_;
  }

 private:
  static constexpr int kMaxDepth = 64;
  static constexpr std::ptrdiff_t kMaxNumber = 300;

  // Bytes a string holds as they are: printable ASCII but `"` and `\`.
  static constexpr std::array<bool, 256> kPlain = [] {
    std::array<bool, 256> plain{};
    for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
    return plain;
  }();

  void skip_space() {
    while (at_ != end_ && (*at_ == ' ' || *at_ == '\n' || *at_ == '\r' || *at_ == '\t')) ++at_;
  }

  // Skips white space, then `c` if it is next.
  bool take(char c) {
    skip_space();
    if (at_ == end_ || *at_ != c) return false;
    ++at_;
    return true;
  }

  // One `"key": value` of the top-level object.
  bool member(NpmDeclarations& out) {
    std::string key;
    if (!take_string(&key) || !take(':')) return false;
    skip_space();
    if (at_ == end_) return false;
    if (key == "name") {
      if (*at_ == '"') return string(&out.name);
      out.name.clear();  // a name that is not a string is no name
      return value(0);
    }
    const std::size_t kind = kind_of(key);
    if (kind == kNoKind) return value(0);
    if (*at_ == 'n') return word("null") && out.see(kind);
    return *at_ == '{' && out.see(kind) && dependencies(out.kinds[kind]);
  }

  // A dependency object whose specs are all strings.
  bool dependencies(std::map<std::string, std::string>& into) {
    ++at_;  // '{'
    if (take('}')) return true;
    std::string name;
    std::string spec;
    do {
      if (!take_string(&name) || !take(':') || !take_string(&spec)) return false;
      into.insert_or_assign(name, spec);
    } while (take(','));
    return take('}');
  }

  // Any JSON value, checked and skipped.
  bool value(int depth) {
    skip_space();
    if (at_ == end_ || depth > kMaxDepth) return false;
    switch (*at_) {
      case '"':
        return string(nullptr);
      case '{':
        ++at_;
        if (take('}')) return true;
        do {
          if (!take_string(nullptr) || !take(':') || !value(depth + 1)) return false;
        } while (take(','));
        return take('}');
      case '[':
        ++at_;
        if (take(']')) return true;
        do {
          if (!value(depth + 1)) return false;
        } while (take(','));
        return take(']');
      case 't':
        return word("true");
      case 'f':
        return word("false");
      case 'n':
        return word("null");
      default:
        return number();
    }
  }

  bool word(std::string_view literal) {
    if (static_cast<std::size_t>(end_ - at_) < literal.size() ||
        std::string_view(at_, literal.size()) != literal) {
      return false;
    }
    at_ += literal.size();
    return true;
  }

  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)? ; an exponent is left to the parser.
  bool number() {
    const char* start = at_;
    if (at_ != end_ && *at_ == '-') ++at_;
    if (at_ == end_ || !is_digit(*at_)) return false;
    if (*at_++ != '0') {
      while (at_ != end_ && is_digit(*at_)) ++at_;
    }
    if (at_ != end_ && *at_ == '.') {
      ++at_;
      if (at_ == end_ || !is_digit(*at_)) return false;
      while (at_ != end_ && is_digit(*at_)) ++at_;
    }
    if (at_ != end_ && (*at_ == 'e' || *at_ == 'E')) return false;
    return at_ - start < kMaxNumber;
  }

  bool take_string(std::string* out) {
    skip_space();
    return string(out);
  }

  // A string starting at `at_`, decoded into `out` unless it is null.
  bool string(std::string* out) {
    if (at_ == end_ || *at_ != '"') return false;
    const char* run = ++at_;  // start of the bytes copied as they are
    if (out != nullptr) out->clear();
    while (true) {
      while (at_ != end_ && kPlain[static_cast<unsigned char>(*at_)]) ++at_;
      if (at_ == end_) return false;
      if (*at_ == '"') {
        if (out != nullptr) out->append(run, at_);
        ++at_;
        return true;
      }
      if (*at_ == '\\') {
        if (out != nullptr) out->append(run, at_);
        if (!escape(out)) return false;
        run = at_;
      } else if (!utf8_sequence()) {
        return false;  // a control character, or not UTF-8
      }
    }
  }

  // A two-character escape; `\u` is left to the parser.
  bool escape(std::string* out) {
    if (end_ - at_ < 2) return false;
    char decoded = 0;
    switch (at_[1]) {
      case '"':
      case '\\':
      case '/':
        decoded = at_[1];
        break;
      case 'b':
        decoded = '\b';
        break;
      case 'f':
        decoded = '\f';
        break;
      case 'n':
        decoded = '\n';
        break;
      case 'r':
        decoded = '\r';
        break;
      case 't':
        decoded = '\t';
        break;
      default:
        return false;
    }
    if (out != nullptr) *out += decoded;
    at_ += 2;
    return true;
  }

  // A multi-byte UTF-8 sequence as RFC 3629 allows it (no overlong forms,
  // no surrogates, nothing past U+10FFFF), as the parser checks it. A
  // single byte here is a control character: refused.
  bool utf8_sequence() {
    const std::size_t length =
        utf8_sequence_length(std::string_view(at_, static_cast<std::size_t>(end_ - at_)), 0);
    if (length < 2) return false;
    at_ += length;
    return true;
  }

  const char* at_;
  const char* end_;
};

// Reads only `name` and the four dependency objects from the parser's
// events, for what the scanner does not take. It gives up, and the document
// reader takes over, on anything it does not take whole: a parse error, a
// kind that is not an object or comes twice, a spec that is not a string.
class PackageJsonEvents : public nlohmann::json::json_sax_t {
 public:
  bool null() override { return value(nullptr); }
  bool boolean(bool) override { return value(nullptr, false); }
  bool number_integer(number_integer_t) override { return value(nullptr, false); }
  bool number_unsigned(number_unsigned_t) override { return value(nullptr, false); }
  bool number_float(number_float_t, const string_t&) override { return value(nullptr, false); }
  bool binary(binary_t&) override { return give_up(); }
  bool string(string_t& text) override { return value(&text); }
  bool start_object(std::size_t) override { return open(true); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& text) override {
    key_ = text;
    return true;
  }
  bool parse_error(std::size_t byte, const std::string&,
                   const nlohmann::json::exception& error) override {
    error_byte_ = byte;
    error_ = error.what();
    return give_up();
  }

  bool taken() const { return !gave_up_; }
  // The parser's complaint, if it had one ("" otherwise), and where.
  const std::string& error() const { return error_; }
  std::size_t error_byte() const { return error_byte_; }
  Manifest manifest() && { return std::move(read_).manifest(); }

 private:
  bool give_up() {
    gave_up_ = true;
    return false;
  }

  // A scalar value; `text` is null unless it is a string. A value that is
  // neither a string nor null (`is_null`) is left to the document when it
  // is a dependency kind or a spec.
  bool value(const std::string* text, bool is_null = true) {
    if (depth_ == 0) return give_up();  // not an object: the document says so
    if (depth_ == 1) {
      if (key_ == "name") read_.name = text ? *text : std::string();
      const std::size_t kind = kind_of(key_);
      if (kind == kNoKind) return true;
      if (text || !is_null || !read_.see(kind)) return give_up();
      return true;
    }
    if (depth_ == 2 && in_kind_ != kNoKind) {
      if (!text) return give_up();
      read_.kinds[in_kind_][key_] = *text;
    }
    return true;
  }

  bool open(bool object) {
    if (depth_ == 0 && !object) return give_up();
    if (depth_ == 1) {
      if (key_ == "name") read_.name.clear();
      const std::size_t kind = kind_of(key_);
      if (kind != kNoKind) {
        if (!object || !read_.see(kind)) return give_up();
        in_kind_ = kind;
      }
    } else if (depth_ == 2 && in_kind_ != kNoKind) {
      return give_up();
    }
    ++depth_;
    return true;
  }

  bool close() {
    --depth_;
    if (depth_ == 1) in_kind_ = kNoKind;
    return true;
  }

  NpmDeclarations read_;
  std::string key_;
  std::size_t depth_ = 0;
  std::size_t in_kind_ = kNoKind;
  bool gave_up_ = false;
  std::string error_;
  std::size_t error_byte_ = 0;
};

}  // namespace

Manifest read_package_json(std::string_view text, const std::string& file) {
  if (NpmDeclarations declarations; PackageJsonScanner(text).read(declarations)) {
    return std::move(declarations).manifest();
  }
  PackageJsonEvents events;
  nlohmann::json::sax_parse(text, &events);
  if (events.taken()) return std::move(events).manifest();
  if (!events.error().empty()) throw not_json(text, file, events.error_byte(), events.error());
  return read_package_json_document(text, file);
}

}  // namespace svcdiff::config
