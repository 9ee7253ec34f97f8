#include "core/path_text.hpp"

#include <vector>

namespace svcdiff {
namespace {

void append_hex_escape(std::string& out, unsigned char byte) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\x";
  out += kHex[byte >> 4];
  out += kHex[byte & 0xF];
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3;
    if (c == 0xE0) low = 0xA0;
    if (c == 0xED) high = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4;
    if (c == 0xF0) low = 0x90;
    if (c == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > s.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    unsigned char next = byte(i + k);
    unsigned char lo = k == 1 ? low : 0x80;
    unsigned char hi = k == 1 ? high : 0xBF;
    if (next < lo || next > hi) return 0;
  }
  return length;
}

std::optional<std::string> fold_dot_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (segments.empty()) return std::nullopt;
      segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string joined;
  for (const auto& segment : segments) {
    if (!joined.empty()) joined += '/';
    joined += segment;
  }
  return joined;
}

std::optional<std::string> unquote_git_path(std::string_view quoted) {
  if (quoted.size() < 2 || quoted.front() != '"' || quoted.back() != '"') return std::nullopt;
  const std::string_view body = quoted.substr(1, quoted.size() - 2);
  std::string out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '"') return std::nullopt;  // an unescaped quote inside
    if (body[i] != '\\') {
      out += body[i];
      continue;
    }
    if (++i == body.size()) return std::nullopt;
    const char c = body[i];
    switch (c) {
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'v':
        out += '\v';
        break;
      case 'f':
        out += '\f';
        break;
      case 'r':
        out += '\r';
        break;
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      default: {
        // Three octal digits, the first 0-3: one byte.
        if (i + 2 >= body.size() || c < '0' || c > '3') return std::nullopt;
        int value = 0;
        for (std::size_t k = i; k < i + 3; ++k) {
          if (body[k] < '0' || body[k] > '7') return std::nullopt;
          value = value * 8 + (body[k] - '0');
        }
        out += static_cast<char>(value);
        i += 2;
      }
    }
  }
  return out;
}

namespace {

std::string escape_bytes(std::string_view bytes, bool escape_backslash,
                         bool escape_control = false) {
  std::string out;
  out.reserve(bytes.size());
  // Bytes kept as they are go out a run at a time, not one append a byte
  // (every path and pattern of the items format comes through here).
  std::size_t kept = 0;  // where the run not yet appended starts
  for (std::size_t i = 0; i < bytes.size();) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    const std::size_t length = byte < 0x80 ? 1 : utf8_sequence_length(bytes, i);  // ASCII: no call
    if (length == 0 || (escape_backslash && bytes[i] == '\\') ||
        (escape_control && (byte < 0x20 || byte == 0x7f))) {
      out.append(bytes.substr(kept, i - kept));
      append_hex_escape(out, byte);
      kept = ++i;
    } else {
      i += length;
    }
  }
  out.append(bytes.substr(kept));
  return out;
}

}  // namespace

std::string json_safe(std::string_view bytes) { return escape_bytes(bytes, false); }

std::string json_path(std::string_view bytes) { return escape_bytes(bytes, true); }

std::string text_path(std::string_view bytes) { return escape_bytes(bytes, true, true); }

std::string message_text(std::string_view text, std::size_t max_bytes) {
  std::size_t end = text.size();
  if (end > max_bytes) {
    end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) --end;  // whole UTF-8
  }
  std::string out;
  for (std::size_t i = 0; i < end;) {
    const auto byte = static_cast<unsigned char>(text[i]);
    // A control byte, or one that is not UTF-8 (a Latin-1 path, a binary
    // value): \xNN, as the log writes it, so the line stays readable text.
    const std::size_t length = byte < 0x20 || byte == 0x7f ? 0 : utf8_sequence_length(text, i);
    if (length == 0) {
      append_hex_escape(out, byte);
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  if (end < text.size()) out += "...";
  return out;
}

std::string one_line(std::string_view message) { return message_text(message, kMaxMessageBytes); }

}  // namespace svcdiff
