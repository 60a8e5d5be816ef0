// What the job runtime counts for /metrics: the jobs in flight and where each one is (waiting
// for a CPU slot, on a CPU slot, awaiting an async stage), the time spent in each, the stages'
// durations and how runs ended. Relaxed atomics: any thread records, the renderer reads.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/Metrics.h"

namespace vitarec::jobs {

struct RuntimeMetrics {
  // `stage_names`: the pipeline's stage names, in order (one histogram each).
  explicit RuntimeMetrics(std::vector<std::string> stage_names);

  std::atomic<std::int64_t> in_flight{0};    // claimed here and not yet finished
  std::atomic<std::int64_t> cpu_waiting{0};  // queued for a CPU slot
  std::atomic<std::int64_t> cpu_running{0};  // on a CPU slot
  std::atomic<std::int64_t> awaiting{0};     // in an async stage (a timer, I/O)
  core::DurationHistogram cpu_wait_time;     // queued for a slot, per hand-off
  core::DurationHistogram cpu_run_time;      // on a slot, per hand-off
  core::DurationHistogram await_time;        // per async stage
  core::DurationHistogram attempt;           // one run of a job, without its final write
  const std::vector<std::string> stage_names;
  std::unique_ptr<core::DurationHistogram[]> stage;  // one per stage name

  std::atomic<std::uint64_t> renewal_calls{0};   // RenewLeases calls
  std::atomic<std::uint64_t> leases_renewed{0};  // leases sent in them
  std::atomic<std::uint64_t> cancel_checks{0};   // reads of a running job after a change
  std::atomic<std::uint64_t> claim_failures{0};  // claims the store could not do

  // Appends the families above (without the outcomes, which JobRuntime renders).
  void Render(std::string& out) const;
};

}  // namespace vitarec::jobs
