// Shows a job's progress on a terminal: one redrawn line with a bar on a tty, or one plain line
// per change when the output is a pipe or a file.
#pragma once

#include <cstdio>
#include <string>

namespace vitarec::cli {

class ProgressBar {
 public:
  ProgressBar(std::FILE* out, bool tty) : out_(out), tty_(tty) {}
  // Shows `progress` (0..100) and `message` if either changed since the last call.
  void Update(int progress, const std::string& message);
  // Ends the bar's line (tty) so that what follows starts on a fresh line.
  void Finish();

 private:
  std::FILE* out_;
  bool tty_;
  int last_progress_ = -1;
  std::string last_message_;
  bool drawn_ = false;
};

}  // namespace vitarec::cli
