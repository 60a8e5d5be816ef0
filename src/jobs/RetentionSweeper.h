// Purges finished jobs whose retention period is over, in the background and in small batches:
// every `interval` it asks the store to purge up to `batch` expired jobs, again at once while a
// batch came back full, so a large backlog drains without one long transaction. Purged ids leave
// a tombstone (the API answers 410 Gone) that is itself deleted after `tombstone_retention`.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/Clock.h"
#include "store/Store.h"

namespace vitarec::jobs {

struct RetentionOptions {
  core::Millis interval{60000};
  int batch = 500;
  core::Millis tombstone_retention{90LL * 24 * 3600 * 1000};
};

class RetentionSweeper {
 public:
  // `store` and `clock` must outlive the sweeper.
  RetentionSweeper(store::Store& store, core::Clock& clock, RetentionOptions options);
  ~RetentionSweeper();  // Stop()

  void Start();
  void Stop();  // blocks until the thread exited

  // One sweep (all full batches), on the calling thread; returns the number of jobs purged.
  std::int64_t SweepOnce();

 private:
  void Loop();

  store::Store& store_;
  core::Clock& clock_;
  const RetentionOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace vitarec::jobs
