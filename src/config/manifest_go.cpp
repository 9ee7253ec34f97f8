// go.mod and go.work: a line format, read here without a library.
#include <optional>

#include "config/manifests.hpp"
#include "core/error.hpp"

namespace svcdiff::config {
namespace {

struct GoLine {
  std::vector<std::string> words;  // unquoted
  std::string comment;             // after `//`
};

// Splits one line into words (Go quoted and raw strings kept whole) and its
// trailing `//` comment; nullopt for an unterminated string.
std::optional<GoLine> split_go_line(std::string_view line) {
  GoLine out;
  std::size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
    } else if (c == '/' && i + 1 < line.size() && line[i + 1] == '/') {
      out.comment = std::string(line.substr(i + 2));
      break;
    } else if (c == '"' || c == '`') {
      std::string word;
      std::size_t j = i + 1;
      for (; j < line.size() && line[j] != c; ++j) {
        if (c == '"' && line[j] == '\\' && j + 1 < line.size()) ++j;
        word += line[j];
      }
      if (j == line.size()) return std::nullopt;
      out.words.push_back(std::move(word));
      i = j + 1;
    } else {
      std::size_t j = i;
      while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r' &&
             !(line[j] == '/' && j + 1 < line.size() && line[j + 1] == '/')) {
        ++j;
      }
      out.words.emplace_back(line.substr(i, j - i));
      i = j;
    }
  }
  return out;
}

// Go's rule for a local replacement: a path, not a module path.
bool is_local_path(const std::string& path) {
  return path == "." || path == ".." || path.rfind("./", 0) == 0 || path.rfind("../", 0) == 0 ||
         path.rfind('/', 0) == 0;
}

}  // namespace

Manifest read_go_mod(std::string_view text, const std::string& file) {
  Manifest manifest;
  std::string block;  // the directive of an open `xxx (` block
  int block_line = 0;
  int number = 0;
  auto fail = [&](const std::string& message) -> Error {
    return config_error_at({file, number, 1}, message);
  };
  // One directive: `verb` and the words after it.
  auto apply = [&](const std::string& verb, const std::vector<std::string>& args,
                   const std::string& comment, const std::string& line) {
    if (verb == "module") {
      if (args.size() != 1) throw fail("`module` takes one module path");
      manifest.name = args[0];
    } else if (verb == "require") {
      if (args.size() != 2) throw fail("`require` takes a module path and a version");
      bool indirect = comment.find("indirect") != std::string::npos;
      manifest.dependencies.push_back(
          {indirect ? "indirect" : "direct", args[0], "", false, number, line});
    } else if (verb == "replace") {
      std::size_t arrow = 0;
      while (arrow < args.size() && args[arrow] != "=>") ++arrow;
      if (arrow == 0 || arrow > 2 || arrow + 1 >= args.size() || args.size() > arrow + 3) {
        throw fail("`replace` takes `module [version] => path` or `=> module version`");
      }
      if (is_local_path(args[arrow + 1])) manifest.local_paths[args[0]] = args[arrow + 1];
    } else if (verb == "use") {
      if (args.size() != 1) throw fail("`use` takes one directory");
      manifest.uses.push_back(args[0]);
    }
    // go, toolchain, exclude, retract, godebug, tool...: nothing to infer.
  };

  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(start, end - start);
    start = end + 1;
    ++number;
    auto line = split_go_line(raw);
    if (!line) throw fail("unterminated string");
    std::string shown(raw);
    while (!shown.empty() && (shown.front() == ' ' || shown.front() == '\t')) shown.erase(0, 1);
    while (!shown.empty() && (shown.back() == '\r' || shown.back() == ' ')) shown.pop_back();
    const auto& words = line->words;
    if (words.empty()) continue;
    if (!block.empty()) {
      if (words.size() == 1 && words[0] == ")") {
        block.clear();
        continue;
      }
      apply(block, words, line->comment, block + " " + shown);
      continue;
    }
    if (words.size() == 2 && words[1] == "(") {
      block = words[0];
      block_line = number;
      continue;
    }
    if (words.size() == 1 && words[0] == ")") throw fail("`)` closes no block");
    apply(words[0], {words.begin() + 1, words.end()}, line->comment, shown);
  }
  if (!block.empty()) {
    number = block_line;
    throw fail("`" + block + " (` is never closed; add a line with `)`");
  }
  return manifest;
}

}  // namespace svcdiff::config
