// Log set-up: one logger per subsystem ("app", "http", "jobs", "store"), all writing to stderr
// (journald-friendly: one line per event, "event phrase key=value ..."), asynchronously so that
// the I/O threads never wait for the terminal or the journal, and in batches (one write for the
// lines queued at once, not one per line).
#pragma once

#include <string>

namespace vitarec::app {

// Creates the loggers. `level`: trace, debug, info, warn, error, critical, off.
void SetUpLogging(const std::string& level);

}  // namespace vitarec::app
