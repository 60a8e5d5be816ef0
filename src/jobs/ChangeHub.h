// Fan-out of job changes to whoever waits on a job (the synchronous call, long-polls, event
// streams). The store publishes every committed change here; subscribers are told the id's new
// version and state, and then read the job themselves.
//
// Thread-safety: all methods may be called from any thread. Waiters run on the publishing thread
// (a store thread), outside the hub's lock; they must be quick and must not block. A waiter may
// still run once after Unsubscribe returned if a Publish was already under way — waiters own
// their state (e.g. through a shared_ptr) so that this is harmless.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/Job.h"

namespace vitarec::jobs {

class ChangeHub {
 public:
  using Waiter = std::function<void(const store::JobChange&)>;

  // Calls `waiter` for every change of job `id` published from now on, until Unsubscribe.
  // Returns the token for Unsubscribe.
  std::uint64_t Subscribe(const std::string& id, Waiter waiter);
  void Unsubscribe(std::uint64_t token);

  void Publish(const store::JobChange& change);

  // Number of live subscriptions (for metrics and tests).
  std::size_t SubscriberCount() const;

 private:
  struct Entry {
    std::uint64_t token;
    Waiter waiter;
  };
  mutable std::mutex mu_;
  std::uint64_t next_token_ = 1;                                    // guarded by mu_
  std::unordered_map<std::string, std::vector<Entry>> by_id_;       // guarded by mu_
  std::unordered_map<std::uint64_t, std::string> id_of_token_;      // guarded by mu_
};

}  // namespace vitarec::jobs
