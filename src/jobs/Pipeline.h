// A job's work as the runtime sees it: a sequence of stages declared by a pipeline (the
// recommendation pipeline in src/pipeline; test pipelines in tests/jobs). The runtime knows
// nothing else about the work: it runs the stages in order, stores the progress and message
// each one declares, and applies leases, retries, deadlines and cancellation (JobRunner.h).
//
// Two kinds of stage:
//  - CPU: a plain function run on one of the runtime's CPU slots, never on an I/O thread.
//    Consecutive CPU stages run in one hand-off to a slot. Not interruptible while it runs (a
//    stop is seen before the next stage), so each must be short.
//  - async: a coroutine awaited on the job's own I/O thread, holding no thread while it waits.
//    Cancel, a lost lease, the deadline and shutdown cancel its pending wait at once through
//    the coroutine's cancellation slot (async/Timers.h); it then ends with any error, or by an
//    exception (asio::error::operation_aborted), and the runtime reports the reason it stopped.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "async/Timers.h"
#include "core/Error.h"
#include "store/Job.h"

namespace vitarec::jobs {

// A text in several languages: For(locale) is the text for that locale, else the first given.
class LocalizedText {
 public:
  LocalizedText() = default;
  LocalizedText(std::initializer_list<std::pair<std::string, std::string>> by_locale)
      : by_locale_(by_locale) {}
  std::string_view For(std::string_view locale) const {
    for (const auto& [name, text] : by_locale_)
      if (name == locale) return text;
    return by_locale_.empty() ? std::string_view() : std::string_view(by_locale_.front().second);
  }

 private:
  std::vector<std::pair<std::string, std::string>> by_locale_;
};

// What a job shows at the points of its lifecycle that belong to no stage.
struct LifecycleTexts {
  LocalizedText queued;     // new, or handed back to the queue
  LocalizedText done;       // completed (progress 100)
  LocalizedText failed;     // failed for good
  LocalizedText retrying;   // a retryable failure; it runs again after its backoff
  LocalizedText cancelled;  // stopped by a cancel request
};

// One run of one job through the stages, made by Pipeline::Begin. The pipeline's stages cast it
// to the pipeline's own type. Touched by one stage at a time (CPU stages on a CPU thread, async
// ones on the job's I/O thread; each hand-off orders the accesses).
class JobWork {
 public:
  virtual ~JobWork() = default;
  // The job's result (JSON text) after the last stage succeeded.
  virtual core::Result<std::string> Result() = 0;
};

// What an async stage may use besides its work.
struct StageIo {
  async::Timers* timers;  // waits on the service's clock (fake in tests)
};

struct Stage {
  // Errors of either kind: kInvalidArgument for work that can never succeed, a retryable code
  // (kUnavailable, kDeadlineExceeded, kBusy) when trying again may help.
  using CpuWork = std::function<core::Result<void>(JobWork&)>;
  using AsyncWork = std::function<boost::asio::awaitable<core::Result<void>>(JobWork*, StageIo)>;

  std::string name;       // the metrics label (vitarec_job_stage_duration_seconds{stage})
  int progress = 0;       // stored when the stage begins, unless the job already shows it
  LocalizedText message;  // stored with that progress
  CpuWork cpu;            // set for a CPU stage
  AsyncWork async;        // set for an async stage
};

class Pipeline {
 public:
  virtual ~Pipeline() = default;
  // The stages every job runs, in order; the same vector for the pipeline's lifetime.
  virtual const std::vector<Stage>& stages() const = 0;
  virtual const LifecycleTexts& texts() const = 0;
  // The work of one run of `job`, before its first stage. Called on an I/O thread: quick, no
  // parsing of large inputs (do that in a CPU stage). Errors fail the run as a stage's would.
  virtual core::Result<std::unique_ptr<JobWork>> Begin(const store::Job& job) const = 0;
};

}  // namespace vitarec::jobs
