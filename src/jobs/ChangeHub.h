// Fan-out of job changes to whoever waits on a job (the synchronous call, long-polls, event
// streams). The store publishes every committed change here; subscribers are told the id's new
// version and state, and then read the job themselves.
//
// Thread-safety: all methods may be called from any thread. Waiters run on the publishing thread
// (a store thread), outside the hub's lock; they must be quick and must neither block nor throw.
//
// Release: when Unsubscribe returns, the waiter is not running and never runs again, and the hub
// holds no copy of it — a call under way on another thread is waited for (briefly: waiters are
// quick). So whatever the waiter captured is released by the unsubscriber, on its own thread: a
// waiter may own objects bound to the unsubscriber's thread or io_context (ChangeWatch's timer),
// and that context may be destroyed right after Unsubscribe. The one exception is an Unsubscribe
// called from inside a waiter (any waiter, of any hub, on this thread): it returns at once, since
// waiting there could deadlock, and the call under way releases the waiter when it ends.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/Job.h"

namespace vitarec::jobs {

class ChangeHub {
 public:
  using Waiter = std::function<void(const store::JobChange&)>;

  ChangeHub() = default;
  ChangeHub(const ChangeHub&) = delete;
  ChangeHub& operator=(const ChangeHub&) = delete;
  // No Publish may be under way and no Unsubscribe pending; remaining waiters are released.
  ~ChangeHub();

  // Calls `waiter` for every change of job `id` published from now on, until Unsubscribe.
  // Returns the token for Unsubscribe.
  std::uint64_t Subscribe(const std::string& id, Waiter waiter);
  // Stops the calls and releases the waiter (see "Release" above). Unknown tokens are ignored.
  void Unsubscribe(std::uint64_t token);

  // Calls the waiters of `change.id` on this thread. A waiter unsubscribed before its turn comes
  // is skipped.
  void Publish(const store::JobChange& change);

  // Number of live subscriptions (for metrics and tests).
  std::size_t SubscriberCount() const;

 private:
  struct Subscription {
    std::uint64_t token = 0;
    Waiter waiter;
    int calls = 0;                     // Publish calls holding it; guarded by mu_
    bool unsubscribed = false;         // guarded by mu_
    bool released_by_publish = false;  // unsubscribed from inside a waiter; guarded by mu_
  };
  // Ends one Publish call's hold on `s`; returns `s` when that call must destroy it. Locks mu_.
  std::unique_ptr<Subscription> EndCall(Subscription* s);

  mutable std::mutex mu_;
  std::condition_variable calls_ended_;  // an unsubscribed Subscription's `calls` reached 0
  // Guarded by mu_:
  std::uint64_t next_token_ = 1;
  std::unordered_map<std::string, std::vector<std::unique_ptr<Subscription>>> by_id_;
  std::unordered_map<std::uint64_t, std::string> id_of_token_;
};

}  // namespace vitarec::jobs
