// The CPU slots: `slots` threads that run the CPU stages of every job, so that no CPU work runs
// on an I/O thread. A job awaiting Run holds no thread while it waits for a slot. FIFO; the
// number waiting and the time spent waiting and running are in RuntimeMetrics.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

#include "core/Error.h"
#include "jobs/RuntimeMetrics.h"

namespace vitarec::jobs {

class CpuPool {
 public:
  // Starts the threads at once (named job-cpu, at `nice`). `metrics` must outlive the pool.
  CpuPool(int slots, int nice, RuntimeMetrics& metrics);
  ~CpuPool();  // finishes the queued work, then joins

  // Runs `work` on a slot and resumes the caller on its own executor with the answer. `work`
  // must not throw. Not cancellable once queued (it is short).
  boost::asio::awaitable<core::Result<void>> Run(std::function<core::Result<void>()> work);

  int slots() const { return static_cast<int>(threads_.size()); }

 private:
  RuntimeMetrics& metrics_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
};

}  // namespace vitarec::jobs
