#include "jobs/CpuPool.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "async/AwaitCallback.h"
#include "core/Thread.h"

namespace vitarec::jobs {

CpuPool::CpuPool(int slots, int nice, RuntimeMetrics& metrics)
    : metrics_(metrics), work_(boost::asio::make_work_guard(io_)) {
  for (int i = 0; i < slots; ++i) {
    threads_.emplace_back([this, nice] {
      core::NameThisThread("job-cpu");
      if (!core::SetThisThreadNice(nice)) {
        spdlog::warn("cpu slot priority not lowered nice={} error=\"{}\"", nice,
                     std::strerror(errno));
      }
      io_.run();
    });
  }
}

CpuPool::~CpuPool() {
  work_.reset();
  for (std::thread& t : threads_) t.join();
}

boost::asio::awaitable<core::Result<void>> CpuPool::Run(std::function<core::Result<void>()> work) {
  return async::AwaitCallback<void>([this, work = std::move(work)](auto done) mutable {
    metrics_.cpu_waiting.fetch_add(1, std::memory_order_relaxed);
    const auto queued = std::chrono::steady_clock::now();
    boost::asio::post(io_, [this, work = std::move(work), done = std::move(done), queued] {
      const auto started = std::chrono::steady_clock::now();
      metrics_.cpu_waiting.fetch_sub(1, std::memory_order_relaxed);
      metrics_.cpu_running.fetch_add(1, std::memory_order_relaxed);
      metrics_.cpu_wait_time.Record(started - queued);
      core::Result<void> r = work();
      metrics_.cpu_run_time.Record(std::chrono::steady_clock::now() - started);
      metrics_.cpu_running.fetch_sub(1, std::memory_order_relaxed);
      done(std::move(r));
    });
  });
}

}  // namespace vitarec::jobs
