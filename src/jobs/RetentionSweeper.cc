#include "jobs/RetentionSweeper.h"

#include <spdlog/spdlog.h>

#include "core/Thread.h"
#include "store/Blocking.h"

namespace vitarec::jobs {
namespace {

std::shared_ptr<spdlog::logger> Log() {
  static auto logger = spdlog::get("jobs") ? spdlog::get("jobs") : spdlog::default_logger();
  return logger;
}

}  // namespace

RetentionSweeper::RetentionSweeper(store::Store& store, core::Clock& clock,
                                   RetentionOptions options)
    : store_(store), clock_(clock), options_(options) {}

RetentionSweeper::~RetentionSweeper() { Stop(); }

void RetentionSweeper::Start() {
  if (!thread_.joinable())
    thread_ = std::thread([this] {
      core::NameThisThread("job-retention");
      Loop();
    });
}

void RetentionSweeper::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::int64_t RetentionSweeper::SweepOnce() {
  std::int64_t total = 0;
  for (;;) {
    const core::TimePoint now = clock_.Now();
    store::PurgeOptions options{now, options_.batch, now - options_.tombstone_retention};
    auto purged = store::Wait<int>([&](auto done) { store_.Purge(options, std::move(done)); });
    if (!purged) {
      Log()->warn("purge failed error=\"{}\"", purged.error().message);
      break;
    }
    total += *purged;
    if (*purged < options_.batch) break;
    std::lock_guard lock(mu_);
    if (stopping_) break;
  }
  if (total > 0) Log()->info("jobs purged count={}", total);
  return total;
}

void RetentionSweeper::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    SweepOnce();
    lock.lock();
    cv_.wait_for(lock, options_.interval, [this] { return stopping_; });
  }
}

}  // namespace vitarec::jobs
