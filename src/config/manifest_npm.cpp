// package.json, read with nlohmann/json.
#include <array>
#include <map>
#include <nlohmann/json.hpp>

#include "config/manifests.hpp"
#include "core/error.hpp"

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

// `text` as a JSON string, escaped as nlohmann's dump() does (the parser
// has already checked that it is UTF-8), without building a json value:
// every dependency of every manifest gets one.
std::string json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
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
  return out;
}

// The text `explain` shows for one dependency: "\"name\": \"spec\"".
std::string dependency_text(const std::string& name, const std::string& spec) {
  return json_string(name) + ": " + json_string(spec);
}
std::string dependency_text(const std::string& name, const nlohmann::json& spec) {
  if (spec.is_string()) return dependency_text(name, spec.get_ref<const std::string&>());
  return json_string(name) + ": " + spec.dump();
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
      manifest.dependencies.push_back({kind, name, "", false, 0, dependency_text(name, spec)});
    }
  }
  return manifest;
}

// Reads only `name` and the four dependency objects from the parser's
// events, without building the document: most of a package.json (scripts,
// metadata, external dependencies' trees) is never stored. It gives up, and
// the document reader takes over, on anything it does not take whole: a
// parse error, a kind that is not an object or comes twice, a spec that is
// not a string. Duplicate keys keep the last value, as the document does.
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
  Manifest manifest() && {
    for (std::size_t k = 0; k < kinds_.size(); ++k) {
      for (auto& [name, spec] : kinds_[k]) {
        manifest_.dependencies.push_back(
            {kNpmKinds[k], name, "", false, 0, dependency_text(name, spec)});
      }
    }
    return std::move(manifest_);
  }

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  std::size_t kind_of(const std::string& key) const {
    for (std::size_t k = 0; k < kinds_.size(); ++k) {
      if (key == kNpmKinds[k]) return k;
    }
    return kNone;
  }

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
      if (key_ == "name") manifest_.name = text ? *text : std::string();
      if (kind_of(key_) != kNone && (text || !is_null)) return give_up();
      if (kind_of(key_) != kNone) return seen(kind_of(key_));
      return true;
    }
    if (depth_ == 2 && in_kind_ != kNone) {
      if (!text) return give_up();
      kinds_[in_kind_][key_] = *text;
    }
    return true;
  }

  bool open(bool object) {
    if (depth_ == 0 && !object) return give_up();
    if (depth_ == 1 && key_ == "name") manifest_.name.clear();
    if (depth_ == 1 && kind_of(key_) != kNone) {
      if (!object || !seen(kind_of(key_))) return give_up();
      in_kind_ = kind_of(key_);
    } else if (depth_ == 2 && in_kind_ != kNone) {
      return give_up();
    }
    ++depth_;
    return true;
  }

  bool close() {
    --depth_;
    if (depth_ == 1) in_kind_ = kNone;
    return true;
  }

  // A kind named twice: the document keeps the last one; leave it to it.
  bool seen(std::size_t kind) {
    if (seen_[kind]) return give_up();
    seen_[kind] = true;
    return true;
  }

  Manifest manifest_;
  std::array<std::map<std::string, std::string>, 4> kinds_;
  std::array<bool, 4> seen_{};
  std::string key_;
  std::size_t depth_ = 0;
  std::size_t in_kind_ = kNone;
  bool gave_up_ = false;
  std::string error_;
  std::size_t error_byte_ = 0;
};

}  // namespace

Manifest read_package_json(std::string_view text, const std::string& file) {
  PackageJsonEvents events;
  nlohmann::json::sax_parse(text, &events);
  if (events.taken()) return std::move(events).manifest();
  if (!events.error().empty()) throw not_json(text, file, events.error_byte(), events.error());
  return read_package_json_document(text, file);
}

}  // namespace svcdiff::config
