#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace svcdiff::repo {

// Lets the diff walk tell its caller which directories of the head tree hold
// a file of a few names: the walk reads those trees anyway, so the caller
// need not look the files up again (issue 10: discovery on demand asks
// whether each directory along the changes holds its `require`).
class HeadFileWatch {
 public:
  // At most 64 names: bit i of what read_whole reports stands for names[i].
  explicit HeadFileWatch(std::vector<std::string> names) : names_(std::move(names)) {}
  virtual ~HeadFileWatch() = default;

  const std::vector<std::string>& names() const { return names_; }
  // Whether to look in directory `dir` ("a/b"): asked once for each
  // directory below the root that the walk enters (a directory it does not
  // enter, such as one equal on both sides, is never asked about).
  virtual bool watches(std::string_view dir) = 0;
  // The walk leaves `dir`, a watched directory, having seen each of its
  // entries at head (a walk that stops early there reads the rest of its
  // list): bit i of `held` is set when it holds a file or symlink named
  // names()[i]. A directory that is not at head (deleted whole) holds none.
  virtual void read_whole(std::string_view dir, std::uint64_t held) = 0;

 private:
  std::vector<std::string> names_;
};

}  // namespace svcdiff::repo
