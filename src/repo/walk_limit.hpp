#pragma once

#include <cstddef>
#include <string_view>

namespace svcdiff::repo {

// Lets a walk stop reading a subtree once it has enough of its paths: the
// caller knows when the rest could not change its answer (issue 10).
class WalkLimit {
 public:
  virtual ~WalkLimit() = default;

  // How many counted paths to report below directory `dir` ("a/b"), 0 for
  // every one. Asked only for a directory that exists at head and lies in
  // no limited directory; the answer holds until the walk leaves it.
  virtual std::size_t limit_below(std::string_view dir) = 0;
  // Whether a path below the limited directory counts against its limit (an
  // ignored one need not).
  virtual bool counts(std::string_view path, bool is_dir) const = 0;
  // Whether the walk reads below directory `dir` ("a/b") at all: false when
  // the caller needs no path there (none is reported, its trees are never
  // read). Asked before limit_below, for every changed directory.
  virtual bool enters(std::string_view /*dir*/) { return true; }
  // As enters(), for a directory on both sides whose tree changed (rather
  // than added or deleted whole): a caller that wants only what was added or
  // deleted whole below some depth may decline these.
  virtual bool enters_changed(std::string_view dir) { return enters(dir); }
  // The walk stopped early in `dir`, a directory limit_below limited: some
  // changed paths there (its own entries too) went unreported.
  virtual void left_out_in(std::string_view /*dir*/) {}
};

}  // namespace svcdiff::repo
