// The worker pool with real threads, a real SQLite store and the system clock.
#include "jobs/WorkerPool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>

#include "core/Id.h"
#include "store/Blocking.h"
#include "store/OpenStore.h"
#include "support/TempDir.h"

namespace vitarec::jobs {
namespace {

using core::Millis;
using store::JobState;
using store::Wait;

class CountingHandler final : public JobHandler {
 public:
  core::Result<std::string> Run(const store::Job&, ProgressReporter& progress) override {
    for (int p : {10, 30, 70, 90})
      if (auto r = progress.Report(p); !r) return core::Fail(r.error());
    ++runs;
    return std::string(R"({"ok":true})");
  }
  std::atomic<int> runs{0};
};

// Blocks inside the job until released, to observe shutdown.
class BlockingHandler final : public JobHandler {
 public:
  core::Result<std::string> Run(const store::Job&, ProgressReporter& progress) override {
    if (auto r = progress.Report(10); !r) return core::Fail(r.error());
    started.set_value();
    std::unique_lock lock(mu);
    cv.wait(lock, [this] { return release; });
    if (auto r = progress.Report(30); !r) return core::Fail(r.error());
    return std::string("{}");
  }
  void Release() {
    std::lock_guard lock(mu);
    release = true;
    cv.notify_all();
  }
  std::promise<void> started;
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
};

class WorkerPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenStore("sqlite:" + dir_.File("pool.db"), {});
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }

  std::string Insert() {
    store::NewJob job;
    job.id = core::NewId();
    job.locale = "es";
    job.request_json = "{}";
    job.created_at = clock_.Now();
    auto r = Wait<store::InsertOutcome>([&](auto done) { store_->Insert(job, done); });
    EXPECT_TRUE(r);
    return job.id;
  }

  store::Job Get(const std::string& id) {
    auto r = Wait<store::Job>([&](auto done) { store_->Get(id, done); });
    return r ? *r : store::Job{};
  }

  WorkerPoolOptions Options() {
    WorkerPoolOptions o;
    o.workers = 4;
    o.poll_interval = Millis(20);
    o.runner.owner = "test-pool";
    return o;
  }

  testing::TempDir dir_;
  core::SystemClock clock_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(WorkerPoolTest, CompletesEveryQueuedJobExactlyOnce) {
  std::vector<std::string> ids;
  for (int i = 0; i < 200; ++i) ids.push_back(Insert());
  CountingHandler handler;
  WorkerPool pool(*store_, clock_, handler, Options());
  pool.Start();
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (pool.Stats().completed < ids.size() && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(Millis(10));
  pool.Stop(Millis(1000));
  EXPECT_EQ(pool.Stats().completed, ids.size());
  EXPECT_EQ(handler.runs.load(), static_cast<int>(ids.size()));
  for (const std::string& id : ids) {
    const store::Job job = Get(id);
    EXPECT_EQ(job.state, JobState::kCompleted) << id;
    EXPECT_EQ(job.attempt, 1) << id;
  }
}

TEST_F(WorkerPoolTest, WakeStartsANewJobWithoutWaitingForThePoll) {
  CountingHandler handler;
  WorkerPoolOptions options = Options();
  options.poll_interval = Millis(60000);
  WorkerPool pool(*store_, clock_, handler, options);
  pool.Start();
  std::this_thread::sleep_for(Millis(50));  // the first claim found nothing
  const std::string id = Insert();
  pool.Wake();
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (Get(id).state != JobState::kCompleted && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(Millis(5));
  EXPECT_EQ(Get(id).state, JobState::kCompleted);
  pool.Stop(Millis(0));
}

TEST_F(WorkerPoolTest, StopHandsBackAJobThatOutlivesTheGracePeriod) {
  const std::string id = Insert();
  BlockingHandler handler;
  WorkerPool pool(*store_, clock_, handler, Options());
  pool.Start();
  handler.started.get_future().wait();
  std::thread releaser([&] {
    std::this_thread::sleep_for(Millis(300));
    handler.Release();  // after the grace period below has passed
  });
  pool.Stop(Millis(100));
  releaser.join();
  const store::Job job = Get(id);
  EXPECT_EQ(job.state, JobState::kQueued);
  EXPECT_EQ(job.attempt, 0);
  EXPECT_EQ(pool.Stats().released, 1u);
}

TEST_F(WorkerPoolTest, StopWaitsForAJobThatFinishesWithinTheGracePeriod) {
  const std::string id = Insert();
  BlockingHandler handler;
  WorkerPool pool(*store_, clock_, handler, Options());
  pool.Start();
  handler.started.get_future().wait();
  std::thread releaser([&] {
    std::this_thread::sleep_for(Millis(100));
    handler.Release();
  });
  pool.Stop(Millis(5000));
  releaser.join();
  EXPECT_EQ(Get(id).state, JobState::kCompleted);
}

}  // namespace
}  // namespace vitarec::jobs
