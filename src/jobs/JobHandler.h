// The work a job does, behind a seam: the recommendation handler in production, scripted
// handlers in tests (one that throws, one that waits for a signal, ...).
#pragma once

#include <string>

#include "core/Error.h"
#include "store/Job.h"

namespace vitarec::jobs {

// Given to the handler to report progress. Report returns an error when the job must stop at
// once (its lease was lost, it was cancelled, its deadline passed); the handler then returns
// that error unchanged.
class ProgressReporter {
 public:
  virtual ~ProgressReporter() = default;
  virtual core::Result<void> Report(int progress) = 0;
};

class JobHandler {
 public:
  virtual ~JobHandler() = default;

  // Computes the result of `job` (its request_json) and returns it as JSON text. Called on a
  // worker thread; may block. Errors: kInvalidArgument for a request that can never succeed,
  // a retryable code (kUnavailable, kDeadlineExceeded, kBusy) when trying again may help, or the
  // error Report returned. Exceptions are caught by the runner and fail the job.
  virtual core::Result<std::string> Run(const store::Job& job, ProgressReporter& progress) = 0;
};

}  // namespace vitarec::jobs
