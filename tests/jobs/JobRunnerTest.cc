// The job lifecycle on a real SQLite store with a fake clock: stages and progress, failures,
// retries with backoff, deadlines, fencing of a lost lease, and recovery after a crash.
#include "jobs/JobRunner.h"

#include <gtest/gtest.h>

#include <functional>
#include <mutex>

#include "store/Blocking.h"
#include "store/OpenStore.h"
#include "support/TempDir.h"

namespace vitarec::jobs {
namespace {

using core::ErrorCode;
using core::Millis;
using store::JobState;
using store::Wait;

// A handler whose behaviour each test scripts.
class ScriptedHandler final : public JobHandler {
 public:
  using Script = std::function<core::Result<std::string>(const store::Job&, ProgressReporter&)>;
  explicit ScriptedHandler(Script script) : script_(std::move(script)) {}
  core::Result<std::string> Run(const store::Job& job, ProgressReporter& progress) override {
    ++runs;
    return script_(job, progress);
  }
  int runs = 0;

 private:
  Script script_;
};

core::Result<std::string> AllStages(const store::Job&, ProgressReporter& progress) {
  for (int p : {10, 30, 70, 90})
    if (auto r = progress.Report(p); !r) return core::Fail(r.error());
  return std::string(R"({"items":[]})");
}

class JobRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    auto opened = store::OpenStore("sqlite:" + dir_.File("jobs.db"), {});
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    store_->SetChangeListener([this](const store::JobChange& change) {
      std::lock_guard lock(mu_);
      changes_.push_back(change);
    });
  }

  std::string Insert(int max_attempts = 3) {
    store::NewJob job;
    job.id = "00000000-0000-4000-8000-" + std::to_string(100000000000 + next_++);
    job.quiz_id = "sueno-v1";
    job.category = "minerales";
    job.locale = "es";
    job.request_json = R"({"query":"magnesio","locale":"es"})";
    job.progress_message = "En cola";
    job.max_attempts = max_attempts;
    job.created_at = clock_.Now();
    auto r = Wait<store::InsertOutcome>([&](auto done) { store_->Insert(job, done); });
    EXPECT_TRUE(r) << r.error().message;
    return job.id;
  }

  std::vector<store::Job> Claim(const std::string& owner, int max = 10) {
    store::ClaimOptions options{owner, max, clock_.Now(), kLease};
    auto r = Wait<std::vector<store::Job>>([&](auto done) { store_->Claim(options, done); });
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : std::vector<store::Job>{};
  }

  store::Job Get(const std::string& id) {
    auto r = Wait<store::Job>([&](auto done) { store_->Get(id, done); });
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : store::Job{};
  }

  std::shared_ptr<ActiveJob> ActiveFor(const store::Job& job, const std::string& owner) {
    return std::make_shared<ActiveJob>(store::Lease{job.id, owner, job.fence});
  }

  JobRunner MakeRunner(JobHandler& handler, const std::string& owner = "w1") {
    RunnerOptions options;
    options.owner = owner;
    options.job_timeout = Millis(120000);
    options.retry_base_delay = Millis(1000);
    options.finish_write_tries = 1;
    options.progress_min_delay = Millis(0);
    return JobRunner(*store_, clock_, handler, options);
  }

  static constexpr Millis kLease{15000};
  testing::TempDir dir_;
  core::FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  std::mutex mu_;
  std::vector<store::JobChange> changes_;
  int next_ = 0;
};

TEST_F(JobRunnerTest, CompletesThroughEveryStageAndKeepsTheRequestFields) {
  const std::string id = Insert();
  auto claimed = Claim("w1");
  ASSERT_EQ(claimed.size(), 1u);
  ScriptedHandler handler(AllStages);
  JobRunner runner = MakeRunner(handler);
  EXPECT_EQ(runner.Run(claimed[0], ActiveFor(claimed[0], "w1")), JobRunner::Outcome::kCompleted);

  const store::Job job = Get(id);
  EXPECT_EQ(job.state, JobState::kCompleted);
  EXPECT_EQ(job.progress, 100);
  EXPECT_EQ(job.progress_message, "Recomendación lista");
  EXPECT_EQ(job.result_json, R"({"items":[]})");
  EXPECT_EQ(job.quiz_id, "sueno-v1");
  EXPECT_EQ(job.category, "minerales");
  EXPECT_TRUE(job.lease_owner.empty());
  // insert, claim, four progress writes, completion: versions 1..7, each change published.
  EXPECT_EQ(job.version, 7);
  std::lock_guard lock(mu_);
  std::vector<std::int64_t> versions;
  for (const auto& c : changes_)
    if (c.id == id) versions.push_back(c.version);
  EXPECT_EQ(versions, (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7}));
}

TEST_F(JobRunnerTest, AnExceptionFailsTheJobWithAnInternalError) {
  const std::string id = Insert();
  auto claimed = Claim("w1");
  ScriptedHandler handler([](const store::Job&, ProgressReporter& p) -> core::Result<std::string> {
    (void)p.Report(10);
    throw std::runtime_error("boom");
  });
  JobRunner runner = MakeRunner(handler);
  EXPECT_EQ(runner.Run(claimed[0], ActiveFor(claimed[0], "w1")), JobRunner::Outcome::kFailed);
  const store::Job job = Get(id);
  EXPECT_EQ(job.state, JobState::kFailed);
  ASSERT_TRUE(job.error);
  EXPECT_EQ(job.error->code, "internal");
  EXPECT_NE(job.error->message.find("boom"), std::string::npos);
  EXPECT_FALSE(job.error->retryable);
  EXPECT_EQ(job.progress, 10);
}

TEST_F(JobRunnerTest, RetriesWithBackoffUntilMaxAttempts) {
  const std::string id = Insert(/*max_attempts=*/3);
  ScriptedHandler handler([](const store::Job&, ProgressReporter&) -> core::Result<std::string> {
    return core::Fail(ErrorCode::kUnavailable, "the language model did not answer");
  });
  JobRunner runner = MakeRunner(handler);
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto claimed = Claim("w1");
    ASSERT_EQ(claimed.size(), 1u) << "attempt " << attempt;
    EXPECT_EQ(claimed[0].attempt, attempt);
    EXPECT_EQ(runner.Run(claimed[0], ActiveFor(claimed[0], "w1")), JobRunner::Outcome::kRequeued);
    const store::Job job = Get(id);
    EXPECT_EQ(job.state, JobState::kQueued);
    ASSERT_TRUE(job.error);
    EXPECT_EQ(job.error->code, "unavailable");
    const Millis full(1000LL << (attempt - 1));
    EXPECT_GE(job.run_at, clock_.Now() + full / 2);
    EXPECT_LE(job.run_at, clock_.Now() + full);
    EXPECT_TRUE(Claim("w1").empty()) << "claimed before its backoff ended";
    clock_.Advance(full);
  }
  auto last = Claim("w1");
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(runner.Run(last[0], ActiveFor(last[0], "w1")), JobRunner::Outcome::kFailed);
  const store::Job job = Get(id);
  EXPECT_EQ(job.state, JobState::kFailed);
  EXPECT_TRUE(job.error->retryable);
  EXPECT_EQ(job.attempt, 3);
  EXPECT_EQ(handler.runs, 3);
}

TEST_F(JobRunnerTest, AJobPastItsTimeLimitStopsWithDeadlineExceeded) {
  const std::string id = Insert(/*max_attempts=*/1);
  auto claimed = Claim("w1");
  const store::Lease lease{claimed[0].id, "w1", claimed[0].fence};
  ScriptedHandler handler([&](const store::Job&, ProgressReporter& p) -> core::Result<std::string> {
    if (auto r = p.Report(10); !r) return core::Fail(r.error());
    // The pool's lease keeper would keep the lease alive meanwhile.
    EXPECT_TRUE(Wait<void>([&](auto done) {
      store_->RenewLease(lease, clock_.Now(), clock_.Now() + Millis(200000), done);
    }));
    clock_.Advance(Millis(121000));
    if (auto r = p.Report(30); !r) return core::Fail(r.error());
    return std::string("{}");
  });
  JobRunner runner = MakeRunner(handler);
  EXPECT_EQ(runner.Run(claimed[0], ActiveFor(claimed[0], "w1")), JobRunner::Outcome::kFailed);
  const store::Job job = Get(id);
  ASSERT_TRUE(job.error);
  EXPECT_EQ(job.error->code, "deadline_exceeded");
  EXPECT_TRUE(job.error->retryable);
  EXPECT_EQ(job.progress, 10);
}

TEST_F(JobRunnerTest, AWorkerThatLostItsLeaseCannotOverwriteTheNewOwner) {
  const std::string id = Insert();
  auto first = Claim("w1");
  ASSERT_EQ(first.size(), 1u);
  clock_.Advance(kLease + Millis(1));  // w1 stalls past its lease
  auto second = Claim("w2");
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].fence, first[0].fence + 1);
  EXPECT_EQ(second[0].attempt, 2);

  ScriptedHandler late(AllStages);
  JobRunner stale = MakeRunner(late, "w1");
  const auto stale_active = ActiveFor(first[0], "w1");
  EXPECT_EQ(stale.Run(first[0], stale_active), JobRunner::Outcome::kLeaseLost);
  EXPECT_TRUE(stale_active->lease_lost);
  store::Job job = Get(id);
  EXPECT_EQ(job.state, JobState::kRunning);
  EXPECT_EQ(job.lease_owner, "w2");
  EXPECT_TRUE(job.result_json.empty());
  EXPECT_EQ(job.progress, 0) << "a stale progress write got through";

  ScriptedHandler current(AllStages);
  JobRunner owner = MakeRunner(current, "w2");
  EXPECT_EQ(owner.Run(second[0], ActiveFor(second[0], "w2")), JobRunner::Outcome::kCompleted);
  EXPECT_EQ(Get(id).state, JobState::kCompleted);
}

TEST_F(JobRunnerTest, AJobLeftRunningByACrashRunsAgainAfterRestart) {
  const std::string id = Insert();
  auto claimed = Claim("crashed-worker");
  ASSERT_EQ(claimed.size(), 1u);
  store_.reset();  // the process dies: no final write
  Open();
  EXPECT_TRUE(Claim("w1").empty()) << "taken while the old lease was still valid";
  clock_.Advance(kLease);
  auto again = Claim("w1");
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, id);
  EXPECT_EQ(again[0].attempt, 2);
  ScriptedHandler handler(AllStages);
  JobRunner runner = MakeRunner(handler);
  EXPECT_EQ(runner.Run(again[0], ActiveFor(again[0], "w1")), JobRunner::Outcome::kCompleted);
  EXPECT_EQ(Get(id).state, JobState::kCompleted);
}

TEST_F(JobRunnerTest, AJobAskedToHandBackIsReleasedToTheQueueUnharmed) {
  const std::string id = Insert();
  auto claimed = Claim("w1");
  auto active = ActiveFor(claimed[0], "w1");
  ScriptedHandler handler([&](const store::Job&, ProgressReporter& p) -> core::Result<std::string> {
    if (auto r = p.Report(10); !r) return core::Fail(r.error());
    active->hand_back = true;  // SIGTERM arrives
    if (auto r = p.Report(30); !r) return core::Fail(r.error());
    return std::string("{}");
  });
  JobRunner runner = MakeRunner(handler);
  EXPECT_EQ(runner.Run(claimed[0], active), JobRunner::Outcome::kReleased);
  const store::Job job = Get(id);
  EXPECT_EQ(job.state, JobState::kQueued);
  EXPECT_EQ(job.attempt, 0) << "a hand-back must not use up an attempt";
  EXPECT_EQ(Claim("w2").size(), 1u) << "released work runs at once";
}

TEST_F(JobRunnerTest, AQuickJobSkipsProgressWritesThatNobodyCouldSee) {
  const std::string id = Insert();
  auto claimed = Claim("w1");
  ScriptedHandler handler([this](const store::Job&, ProgressReporter& p) -> core::Result<std::string> {
    for (int progress : {10, 30}) (void)p.Report(progress);
    clock_.Advance(Millis(60));  // the next stages begin after the quiet period
    for (int progress : {70, 90}) (void)p.Report(progress);
    return std::string("{}");
  });
  RunnerOptions options;
  options.owner = "w1";
  options.progress_min_delay = Millis(50);
  JobRunner runner(*store_, clock_, handler, options);
  EXPECT_EQ(runner.Run(claimed[0], ActiveFor(claimed[0], "w1")), JobRunner::Outcome::kCompleted);
  // insert, claim, progress 70, progress 90, completion
  EXPECT_EQ(Get(id).version, 5);
}

TEST_F(JobRunnerTest, BackoffGrowsExponentiallyWithJitterAndACap) {
  ScriptedHandler handler(AllStages);
  JobRunner runner = MakeRunner(handler);
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
