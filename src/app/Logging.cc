#include "app/Logging.h"

#include <spdlog/async.h>
#include <spdlog/details/thread_pool.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace vitarec::app {
namespace {

// stderr, written in batches: the lines the async loggers' thread formats are collected and
// written with one write(2) when its queue is empty (or 64 KiB are pending), instead of one
// write per line. Under load (an access-log line per request) that is a few writes per
// thousand lines; when idle every line is written at once, as before.
//
// The pool is held by a plain pointer, not a weak_ptr: locking a weak_ptr here, on the pool's
// own thread, could make that thread the pool's last owner at exit, and a pool destroyed on its
// own thread joins itself (std::terminate; seen once in ~40 SIGTERM stops under load). Only the
// pool's thread calls this sink (every logger is asynchronous), so the pool outlives each call.
class BatchedStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit BatchedStderrSink(spdlog::details::thread_pool* pool) : pool_(pool) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    pending_.append(formatted.data(), formatted.size());
    ++pending_lines_;
    if (pending_.size() < kMaxPending && pool_->queue_size() != 0) return;
    const bool busy = pending_lines_ > 1;
    flush_();
    // Under load (more than one line was waiting), the thread pauses before it looks at the queue
    // again: the lines of the next few milliseconds then wait in the queue while this thread is
    // not parked on its condition variable, so the threads that log do not have to wake it (a
    // futex system call each) for every few lines. A lone line is written at once, as before.
    if (busy) std::this_thread::sleep_for(kLinger);
  }

  void flush_() override {
    std::size_t written = 0;
    while (written < pending_.size()) {
      const ssize_t n =
          ::write(STDERR_FILENO, pending_.data() + written, pending_.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;  // stderr is gone or full: drop the lines rather than block the logger
      written += static_cast<std::size_t>(n);
    }
    pending_.clear();
    pending_lines_ = 0;
  }

 private:
  static constexpr std::size_t kMaxPending = 64 * 1024;
  // At 20,000 lines/s, 4 ms are 80 lines: far from the queue's 16,384 slots, so no logging
  // thread blocks on a full queue meanwhile.
  static constexpr std::chrono::milliseconds kLinger{4};
  spdlog::details::thread_pool* const pool_;
  std::string pending_;
  int pending_lines_ = 0;
};

}  // namespace

void SetUpLogging(const std::string& level) {
  static bool done = false;
  if (done) return;
  done = true;
  spdlog::init_thread_pool(16384, 1);
  auto sink = std::make_shared<BatchedStderrSink>(spdlog::thread_pool().get());
  const auto parsed = spdlog::level::from_str(level);
  for (const char* name : {"app", "http", "jobs", "store"}) {
    auto logger = std::make_shared<spdlog::async_logger>(name, sink, spdlog::thread_pool(),
                                                         spdlog::async_overflow_policy::block);
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %-5l %-5n %v", spdlog::pattern_time_type::utc);
    logger->set_level(parsed);
    logger->flush_on(spdlog::level::warn);
    spdlog::register_logger(logger);
  }
  spdlog::set_default_logger(spdlog::get("app"));
  spdlog::flush_every(std::chrono::seconds(1));
}

}  // namespace vitarec::app
