// The job runtime on a real SQLite store with fake timers: no test sleeps; time moves only when a
// test advances it, and FakeTimers::AwaitWaiting tells when the runtime has reached its next wait.
// The pipeline is a scripted, test-only one (ScriptedPipeline.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <functional>
#include <mutex>

#include "core/Id.h"
#include "jobs/JobRuntime.h"
#include "store/Blocking.h"
#include "store/OpenStore.h"
#include "support/TempDir.h"
#include "tests/jobs/ScriptedPipeline.h"

namespace vitarec::jobs {
namespace {

using core::ErrorCode;
using core::Millis;
using store::JobState;
using store::Wait;
using testing::Cpu;
using ::testing::ElementsAre;
using testing::ScriptedPipeline;
using testing::Step;

constexpr Millis kLease{600000};  // far beyond the waits, unless a test is about leases
constexpr Millis kHour{3600 * 1000};

class JobRuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenStore("sqlite:" + dir_.File("jobs.db"), {});
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    store_->SetChangeListener([this](const store::JobChange& change) {
      if (JobRuntime* runtime = runtime_.load()) {
        runtime->OnChange(change);
        if (change.state == JobState::kQueued) runtime->Wake();
      }
      std::lock_guard lock(mu_);
      changes_.push_back(change);
      changed_.notify_all();
    });
  }
  void TearDown() override { StopRuntime(Millis(0)); }

  RuntimeOptions Options() {
    RuntimeOptions o;
    o.max_inflight = 100;
    o.cpu_slots = 2;
    o.io_threads = 2;
    o.poll_interval = kHour;  // claims come from Wake (inserts) only, unless a test advances
    o.lease_duration = kLease;
    o.runner.owner = "runtime-under-test";
    o.runner.job_timeout = Millis(120000);
    o.runner.retry_base_delay = Millis(1000);
    o.runner.finish_write_tries = 1;
    o.runner.progress_min_delay = Millis(0);
    return o;
  }

  void StartRuntime(std::vector<Step> steps, RuntimeOptions options) {
    pipeline_ = std::make_unique<ScriptedPipeline>(std::move(steps));
    owned_ = std::make_unique<JobRuntime>(*store_, timers_, *pipeline_, options);
    runtime_ = owned_.get();
    owned_->Start();
  }
  void StartRuntime(std::vector<Step> steps) { StartRuntime(std::move(steps), Options()); }

  void StopRuntime(Millis grace) {
    if (!owned_) return;
    owned_->Stop(grace);
    runtime_ = nullptr;
  }

  std::string Insert(int max_attempts = 3) {
    store::NewJob job;
    job.id = core::NewId();
    job.quiz_id = "sueno-v1";
    job.category = "minerales";
    job.locale = "es";
    job.request_json = R"({"query":"magnesio"})";
    job.progress_message = "En cola";
    job.max_attempts = max_attempts;
    job.created_at = timers_.clock().Now();
    auto r = Wait<store::InsertOutcome>([&](auto done) { store_->Insert(job, done); });
    EXPECT_TRUE(r) << r.error().message;
    return job.id;
  }

  store::Job Get(const std::string& id) {
    auto r = Wait<store::Job>([&](auto done) { store_->Get(id, done); });
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : store::Job{};
  }

  // Blocks until job `id` is in `state` (as published by the store); false after 10 s of real
  // time, a bound a passing test never reaches.
  bool AwaitState(const std::string& id, JobState state) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] {
      for (auto it = changes_.rbegin(); it != changes_.rend(); ++it)
        if (it->id == id) return it->state == state;
      return false;
    });
  }

  // Blocks until a change of job `id` to `state` with a version above `after` was published;
  // its version, or 0 after 10 s of real time.
  std::int64_t AwaitChange(const std::string& id, JobState state, std::int64_t after) {
    std::int64_t found = 0;
    std::unique_lock lock(mu_);
    changed_.wait_for(lock, std::chrono::seconds(10), [&] {
      for (const auto& c : changes_)
        if (c.id == id && c.state == state && c.version > after) found = c.version;
      return found != 0;
    });
    return found;
  }

  std::vector<int> ProgressWritten(const std::string& id) {
    std::vector<int> out;
    std::lock_guard lock(mu_);
    for (const auto& c : changes_)
      if (c.id == id) out.push_back(static_cast<int>(c.version));
    return out;
  }

  ::vitarec::testing::TempDir dir_;
  async::FakeTimers timers_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ScriptedPipeline> pipeline_;
  std::unique_ptr<JobRuntime> owned_;
  std::atomic<JobRuntime*> runtime_{nullptr};
  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<store::JobChange> changes_;  // guarded by mu_
};

TEST_F(JobRuntimeTest, RunsTheStagesInOrderAndStoresEachProgress) {
  StartRuntime({Cpu("parse", 10), testing::Wait("fetch", 40, Millis(20000)), Cpu("render", 90)});
  const std::string id = Insert();
  ASSERT_TRUE(timers_.AwaitWaiting(4));  // the fetch, its deadline, the claim and lease loops
  ASSERT_EQ(AwaitChange(id, JobState::kRunning, 3), 4) << "progress 40 written";

  store::Job waiting = Get(id);
  EXPECT_EQ(waiting.state, JobState::kRunning);
  EXPECT_EQ(waiting.progress, 40);
  EXPECT_EQ(waiting.progress_message, "fetch (es)");
  timers_.Advance(Millis(20000));

  ASSERT_TRUE(AwaitState(id, JobState::kCompleted));
  const store::Job job = Get(id);
  EXPECT_EQ(job.result_json, R"(["parse","fetch","render"])");
  EXPECT_EQ(job.progress, 100);
  EXPECT_EQ(job.progress_message, "Listo");
  EXPECT_EQ(job.quiz_id, "sueno-v1");
  EXPECT_EQ(job.category, "minerales");
  EXPECT_THAT(pipeline_->Ran(), ElementsAre("parse", "fetch:start", "fetch", "render"));
  // insert, claim, progress 10, 40, 90, completion
  EXPECT_EQ(ProgressWritten(id), (std::vector<int>{1, 2, 3, 4, 5, 6}));
}

TEST_F(JobRuntimeTest, CpuStagesRunOnCpuSlotsAndWaitsOnIoThreads) {
  StartRuntime({Cpu("a", 10), testing::Wait("w", 50, Millis(1000)), Cpu("b", 90)});
  const std::string id = Insert();
  ASSERT_TRUE(timers_.AwaitWaiting(4));
  timers_.Advance(Millis(1000));
  ASSERT_TRUE(AwaitState(id, JobState::kCompleted));
  const auto cpu = pipeline_->CpuThreads();
  const auto io = pipeline_->WaitThreads();
  ASSERT_EQ(cpu.size(), 2u);
  ASSERT_EQ(io.size(), 1u);
  for (const auto& t : cpu) EXPECT_NE(t, io[0]) << "a CPU stage ran on the I/O thread";
}

TEST_F(JobRuntimeTest, AThousandWaitingJobsShareAFewThreadsAndAllComplete) {
  RuntimeOptions options = Options();
  options.max_inflight = 2000;
  options.claim_batch = 256;
  StartRuntime({testing::Wait("slow", 10, Millis(20000)), Cpu("done", 90)}, options);
  std::vector<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.push_back(Insert());
  ASSERT_TRUE(timers_.AwaitWaiting(2 * 1000 + 2)) << "every job waits at once";
  EXPECT_EQ(owned_->Stats().in_flight, 1000);
  timers_.Advance(Millis(20000));
  for (const std::string& id : ids) ASSERT_TRUE(AwaitState(id, JobState::kCompleted)) << id;
  ASSERT_TRUE(owned_->AwaitIdle(Millis(10000)));
  EXPECT_EQ(owned_->Stats().completed, 1000u);
}

TEST_F(JobRuntimeTest, NoMoreThanMaxInflightJobsAreClaimedAndAFreedSlotIsFilledAtOnce) {
  RuntimeOptions options = Options();
  options.max_inflight = 2;
  StartRuntime({testing::Wait("slow", 10, Millis(1000))}, options);
  const std::string first = Insert(), second = Insert(), third = Insert();
  ASSERT_TRUE(timers_.AwaitWaiting(2 * 2 + 2));
  EXPECT_EQ(owned_->Stats().in_flight, 2);
  EXPECT_EQ(Get(third).state, JobState::kQueued) << "claimed beyond --max-inflight";

  timers_.Advance(Millis(1000));  // the first two finish; the third is claimed without a poll

  ASSERT_TRUE(AwaitState(third, JobState::kRunning));
  ASSERT_TRUE(timers_.AwaitWaiting(2 + 2));
  timers_.Advance(Millis(1000));
  for (const std::string& id : {first, second, third})
    EXPECT_TRUE(AwaitState(id, JobState::kCompleted)) << id;
}

TEST_F(JobRuntimeTest, ADeadlinePassingDuringAWaitFailsTheJobAtOnce) {
  RuntimeOptions options = Options();
  options.runner.job_timeout = Millis(30000);
  StartRuntime({Cpu("parse", 10), testing::Wait("model", 50, Millis(600000)), Cpu("after", 90)},
               options);
  const std::string id = Insert(/*max_attempts=*/1);
  ASSERT_TRUE(timers_.AwaitWaiting(4));

  timers_.Advance(Millis(30000));

  ASSERT_TRUE(AwaitState(id, JobState::kFailed));
  const store::Job job = Get(id);
  ASSERT_TRUE(job.error);
  EXPECT_EQ(job.error->code, "deadline_exceeded");
  EXPECT_TRUE(job.error->retryable);
  EXPECT_EQ(job.progress, 50);
  EXPECT_THAT(pipeline_->Ran(), ElementsAre("parse", "model:start"));
}

TEST_F(JobRuntimeTest, ACancelRequestStopsAWaitingJobAtOnce) {
  StartRuntime({testing::Wait("model", 50, Millis(600000)), Cpu("after", 90)});
  const std::string id = Insert();
  ASSERT_TRUE(timers_.AwaitWaiting(4));

  const core::TimePoint now = timers_.clock().Now();
  ASSERT_TRUE(Wait<store::Job>(
      [&](auto done) { store_->Cancel(id, now, now + kHour, "Cancelando", done); }));

  ASSERT_TRUE(AwaitState(id, JobState::kCancelled)) << "no time passed: the wait was cut short";
  EXPECT_EQ(Get(id).progress_message, "Cancelado");
  EXPECT_THAT(pipeline_->Ran(), ElementsAre("model:start"));
  ASSERT_TRUE(owned_->AwaitIdle(Millis(10000)));
  EXPECT_EQ(owned_->Stats().cancelled, 1u);
}

TEST_F(JobRuntimeTest, ALeaseTakenOverDuringAWaitStopsTheJobWithoutWriting) {
  StartRuntime({testing::Wait("model", 50, Millis(600000)), Cpu("after", 90)});
  const std::string id = Insert();
  ASSERT_TRUE(timers_.AwaitWaiting(4));
  // The node stalls past its lease (its renewals would have been refused) and another takes it.
  auto intruder = Wait<std::vector<store::Job>>([&](auto done) {
    store_->Claim({"intruder", 1, timers_.clock().Now() + kLease, kLease, {}}, done);
  });
  ASSERT_TRUE(intruder && intruder->size() == 1u);

  ASSERT_TRUE(owned_->AwaitIdle(Millis(10000))) << "the change of owner stopped the job";
  EXPECT_EQ(owned_->Stats().lease_lost, 1u);
  const store::Job job = Get(id);
  EXPECT_EQ(job.lease_owner, "intruder");
  EXPECT_EQ(job.state, JobState::kRunning);
  EXPECT_THAT(pipeline_->Ran(), ElementsAre("model:start"));
}

TEST_F(JobRuntimeTest, RenewsEveryDueLeaseWithOneStoreCallPerPeriod) {
  constexpr Millis kShortLease{15000};
  RuntimeOptions options = Options();
  options.lease_duration = kShortLease;
  StartRuntime({testing::Wait("model", 50, Millis(600000))}, options);
  std::vector<std::string> ids;
  for (int i = 0; i < 50; ++i) ids.push_back(Insert());
  ASSERT_TRUE(timers_.AwaitWaiting(2 * 50 + 2));
  const core::TimePoint claimed_at = timers_.clock().Now();

  for (int period = 1; period <= 3; ++period) {
    timers_.Advance(kShortLease / 3);
    ASSERT_TRUE(timers_.AwaitWaiting(2 * 50 + 2)) << "the lease loop waits again once renewed";
  }

  std::string metrics;
  owned_->RenderMetrics(metrics);
  EXPECT_THAT(metrics, ::testing::HasSubstr("vitarec_jobs_lease_renewal_calls_total 3\n"));
  EXPECT_THAT(metrics, ::testing::HasSubstr("vitarec_jobs_leases_renewed_total 150\n"));
  for (const std::string& id : ids)
    EXPECT_EQ(Get(id).lease_expires_at, claimed_at + kShortLease + kShortLease) << id;
}

TEST_F(JobRuntimeTest, StopHandsBackEveryWaitingJobAtOnceWithoutUsingAnAttempt) {
  StartRuntime({testing::Wait("model", 50, Millis(600000)), Cpu("after", 90)});
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(Insert());
  ASSERT_TRUE(timers_.AwaitWaiting(2 * 3 + 2));

  StopRuntime(Millis(0));

  EXPECT_EQ(owned_->Stats().released, 3u);
  for (const std::string& id : ids) {
    const store::Job job = Get(id);
    EXPECT_EQ(job.state, JobState::kQueued);
    EXPECT_EQ(job.attempt, 0) << "a hand-back must not use up an attempt";
    EXPECT_EQ(job.progress_message, "En cola");
  }
}

TEST_F(JobRuntimeTest, StopWaitsForAJobThatFinishesWithinTheGracePeriod) {
  StartRuntime({testing::Wait("model", 50, Millis(2000)), Cpu("after", 90)});
  const std::string id = Insert();
  ASSERT_TRUE(timers_.AwaitWaiting(4));
  const core::TimePoint grace_ends = timers_.clock().Now() + Millis(10000);
  std::thread stopper([&] { StopRuntime(Millis(10000)); });
  ASSERT_TRUE(timers_.AwaitWaitFor(grace_ends));

  timers_.Advance(Millis(2000));  // the job's wait ends, well within the grace period
  stopper.join();

  EXPECT_EQ(Get(id).state, JobState::kCompleted);
  EXPECT_EQ(owned_->Stats().released, 0u);
}

TEST_F(JobRuntimeTest, StopHandsBackAJobStillWaitingWhenTheGracePeriodEnds) {
  StartRuntime({testing::Wait("model", 50, Millis(600000)), Cpu("after", 90)});
  const std::string slow = Insert();
  ASSERT_TRUE(timers_.AwaitWaiting(4));
  const core::TimePoint grace_ends = timers_.clock().Now() + Millis(5000);
  std::thread stopper([&] { StopRuntime(Millis(5000)); });
  ASSERT_TRUE(timers_.AwaitWaitFor(grace_ends)) << "the stop waits for its grace period";

  timers_.Advance(Millis(4999));
  EXPECT_EQ(owned_->Stats().in_flight, 1) << "still within the grace period";
  timers_.Advance(Millis(1));
  stopper.join();

  EXPECT_EQ(Get(slow).state, JobState::kQueued);
  EXPECT_EQ(owned_->Stats().released, 1u);
}

TEST_F(JobRuntimeTest, RetriesWithBackoffUntilMaxAttempts) {
  Step flaky = Cpu("call", 10);
  flaky.failure = ErrorCode::kUnavailable;
  StartRuntime({flaky});
  const std::string id = Insert(/*max_attempts=*/3);
  std::int64_t version = 1;  // the insert
  for (int attempt = 1; attempt <= 2; ++attempt) {
    version = AwaitChange(id, JobState::kQueued, version);
    ASSERT_NE(version, 0) << "attempt " << attempt << " was not requeued";
    const store::Job job = Get(id);
    EXPECT_EQ(job.attempt, attempt);
    ASSERT_TRUE(job.error);
    EXPECT_EQ(job.error->code, "unavailable");
    EXPECT_EQ(job.progress_message, "Reintentando");
    const Millis full(1000LL << (attempt - 1));
    EXPECT_GE(job.run_at, timers_.clock().Now() + full / 2);
    EXPECT_LE(job.run_at, timers_.clock().Now() + full);
    timers_.Advance(full);
    owned_->Wake();
  }
  ASSERT_TRUE(AwaitState(id, JobState::kFailed));
  const store::Job job = Get(id);
  EXPECT_EQ(job.attempt, 3);
  EXPECT_TRUE(job.error->retryable);
  EXPECT_EQ(job.progress_message, "Falló");
}

TEST_F(JobRuntimeTest, AnExceptionInAStageFailsTheJobWithAnInternalError) {
  Step boom = Cpu("boom", 30);
  boom.raise = true;
  StartRuntime({Cpu("parse", 10), boom});
  const std::string id = Insert();
  ASSERT_TRUE(AwaitState(id, JobState::kFailed));
  const store::Job job = Get(id);
  ASSERT_TRUE(job.error);
  EXPECT_EQ(job.error->code, "internal");
  EXPECT_THAT(job.error->message, ::testing::HasSubstr("boom"));
  EXPECT_FALSE(job.error->retryable);
}

TEST_F(JobRuntimeTest, AQuickJobSkipsProgressWritesThatNobodyCouldSee) {
  RuntimeOptions options = Options();
  options.runner.progress_min_delay = Millis(50);
  StartRuntime({Cpu("a", 10), Cpu("b", 30), testing::Wait("w", 50, Millis(60)), Cpu("c", 90)},
               options);
  const std::string id = Insert();
  ASSERT_TRUE(timers_.AwaitWaiting(4));
  timers_.Advance(Millis(60));
  ASSERT_TRUE(AwaitState(id, JobState::kCompleted));
  // insert, claim, progress 90 (after the quiet period), completion
  EXPECT_EQ(Get(id).version, 4);
}

TEST_F(JobRuntimeTest, BackoffGrowsExponentiallyWithJitterAndACap) {
  StartRuntime({Cpu("a", 10)});
  store::Store& store = *store_;
  ScriptedPipeline pipeline({Cpu("a", 10)});
  RuntimeMetrics metrics({"a"});
  CpuPool cpu(1, 0, metrics);
  RunnerOptions options;
  JobRunner runner(store, timers_, cpu, pipeline, options, metrics);
  for (int attempt = 1; attempt <= 10; ++attempt) {
    const double full = std::min(1000.0 * (1 << (attempt - 1)), 60000.0);
    for (int i = 0; i < 20; ++i) {
      const auto d = runner.BackoffDelay(attempt).count();
      EXPECT_GE(d, full * 0.5 - 1) << "attempt " << attempt;
      EXPECT_LE(d, full) << "attempt " << attempt;
    }
  }
}

}  // namespace
}  // namespace vitarec::jobs
