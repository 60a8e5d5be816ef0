// One job in flight in this process, shared by its coroutine (JobRunner), the lease keeper and
// the change listener (JobRuntime). Interrupt may be called from any thread: it records why the
// job must stop (the first reason is kept) and cancels, on the job's own executor, whatever the
// job is waiting for at that moment (asio::cancellation_signal bound to its co_spawn).
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/post.hpp>
#include <memory>
#include <string>

#include "core/Clock.h"
#include "store/Job.h"

namespace vitarec::jobs {

enum class StopReason { kNone, kLeaseLost, kCancelRequested, kHandBack };

class ActiveJob : public std::enable_shared_from_this<ActiveJob> {
 public:
  // `claimed` is the job as Claim returned it.
  ActiveJob(const store::Job& claimed, std::string owner, boost::asio::any_io_executor ex)
      : lease{claimed.id, std::move(owner), claimed.fence},
        executor(std::move(ex)),
        claimed_version(claimed.version),
        renewed_until_ms_(core::ToUnixMillis(claimed.lease_expires_at)) {}

  const store::Lease lease;
  const boost::asio::any_io_executor executor;  // the I/O thread the job runs on
  const std::int64_t claimed_version;           // changes up to this one are the claim's

  void Interrupt(StopReason reason) {
    StopReason none = StopReason::kNone;
    if (!reason_.compare_exchange_strong(none, reason)) return;
    boost::asio::post(executor, [self = shared_from_this()] {
      self->signal_.emit(boost::asio::cancellation_type::terminal);
    });
  }
  StopReason stop_reason() const { return reason_.load(); }

  // The slot to bind to the job's co_spawn; only on `executor`'s thread, before the spawn.
  boost::asio::cancellation_slot slot() { return signal_.slot(); }

  // Until when the lease is known to be held (the claim, then each renewal).
  core::TimePoint renewed_until() const { return core::FromUnixMillis(renewed_until_ms_.load()); }
  void set_renewed_until(core::TimePoint t) { renewed_until_ms_ = core::ToUnixMillis(t); }

  // Changes of the job published since the change listener's last read of it began; a read
  // runs while this is above 0 (JobRuntime::CheckJob).
  std::atomic<int> checks_wanted{0};
  // Progress writes of this job not yet answered by a change or a failure. Each one that commits
  // publishes exactly one change, which the change listener then need not read the job for;
  // one that is refused publishes none and stops the job itself (NoteRefusal). So a change that
  // arrives while one is owed is taken as ours: a cancel request committed before our write
  // makes that write fail with kCancelled, one committed after it comes as the next change.
  std::atomic<int> own_writes_owed{0};

  // Takes one owed write for a published change; false when none was owed.
  bool TakeOwnWrite() {
    int owed = own_writes_owed.load();
    while (owed > 0 && !own_writes_owed.compare_exchange_weak(owed, owed - 1)) {
    }
    return owed > 0;
  }

 private:
  std::atomic<StopReason> reason_{StopReason::kNone};
  boost::asio::cancellation_signal signal_;  // emitted on `executor` only
  std::atomic<std::int64_t> renewed_until_ms_;
};

}  // namespace vitarec::jobs
