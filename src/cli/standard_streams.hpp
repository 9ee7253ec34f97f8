#pragma once

// svcdiff's standard input, output and error, as the caller left them.

namespace svcdiff::cli {

// Which of descriptors 0, 1 and 2 were closed when svcdiff started.
struct ClosedStreams {
  bool input = false;
  bool output = false;
  bool error = false;
};

// Run once, first: a closed descriptor 0, 1 or 2 is opened again (standard
// output on /dev/full, the others on /dev/null), so a file svcdiff opens later
// cannot take its number and receive what was meant for the stream.
void guard_standard_streams();
const ClosedStreams& closed_at_start();

// Flushes standard output. False when something written to it was lost (a
// full disk, a closed pipe, a stream closed at start), with the reason.
bool flush_standard_output(const char** reason);

}  // namespace svcdiff::cli
