// Retry, cancel, Server-Sent Events and the queue cap, end to end over HTTP.
#include <gtest/gtest.h>

#include "support/RawHttp.h"
#include "support/ServiceFixture.h"

namespace vitarec::testing {
namespace {

using std::chrono::milliseconds;

std::string IdOf(const cli::HttpResult& r) {
  return std::string(json::parse(r.body).at("recommendation_id").as_string());
}

// Every job's first run fails (chaos flag), and one attempt is all a job gets.
class FailingOnceTest : public ServiceFixture {
  void Configure(app::ServiceOptions& o) override {
    o.fail_first_claims = 1;
    o.max_attempts = 1;
  }
};

TEST_F(FailingOnceTest, AFailedRecommendationIsSavedAndARetryCompletesIt) {
  const std::string id = IdOf(Post(R"({"query":"magnesio"})"));
  const json::value failed = WaitFinal(id);
  ASSERT_EQ(failed.at("status"), "failed") << json::serialize(failed);
  EXPECT_EQ(failed.at("error").at("code"), "internal");
  EXPECT_NE(std::string(failed.at("error").at("message").as_string()).find("injected"),
            std::string::npos);

  const cli::HttpResult retried = Send("POST", "/portal/recommend/" + id + "/retry");
  ASSERT_EQ(retried.status, 202) << retried.body;
  EXPECT_EQ(retried.Header("Location"), "/portal/status/" + id);
  const json::value done = WaitFinal(id);
  EXPECT_EQ(done.at("status"), "completed") << json::serialize(done);

  const cli::HttpResult again = Send("POST", "/portal/recommend/" + id + "/retry");
  EXPECT_EQ(again.status, 409) << "a completed recommendation cannot be retried";
  EXPECT_EQ(Json(again).at("error").at("code"), "conflict");
}

// No workers: jobs stay queued.
class QueuedOnlyTest : public ServiceFixture {
  void Configure(app::ServiceOptions& o) override { o.max_inflight = 0; }
};

TEST_F(QueuedOnlyTest, CancellingAQueuedJobIsImmediateAndFinal) {
  const std::string id = IdOf(Post(R"({"query":"zinc","locale":"en"})"));
  const cli::HttpResult cancelled = Send("POST", "/portal/recommend/" + id + "/cancel");
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(Json(cancelled).at("status"), "cancelled");
  EXPECT_EQ(Json(Send("GET", "/portal/status/" + id)).at("status"), "cancelled");
  EXPECT_EQ(Send("POST", "/portal/recommend/" + id + "/cancel").status, 409);
  const cli::HttpResult retried = Send("POST", "/portal/recommend/" + id + "/retry");
  EXPECT_EQ(retried.status, 202);
  EXPECT_EQ(Json(retried).at("state"), "queued");
}

TEST_F(QueuedOnlyTest, ControlOfUnknownOrMalformedIdsIsRefusedClearly) {
  EXPECT_EQ(Send("POST", "/portal/recommend/3f2b8c1e-0000-4abc-8def-0123456789ab/retry").status,
            404);
  EXPECT_EQ(Send("POST", "/portal/recommend/nope/cancel").status, 400);
  EXPECT_EQ(Send("GET", "/portal/recommend/3f2b8c1e-0000-4abc-8def-0123456789ab/retry").status,
            405);
}

class CappedQueueTest : public ServiceFixture {
  void Configure(app::ServiceOptions& o) override {
    o.max_inflight = 0;
    o.max_queued = 2;
  }
};

TEST_F(CappedQueueTest, SubmissionsBeyondTheQueueCapGet503WithRetryAfter) {
  int accepted = 0;
  cli::HttpResult refused;
  for (int i = 0; i < 6; ++i) {
    const cli::HttpResult r = Post(R"({"query":"magnesio"})");
    if (r.status == 202) ++accepted;
    if (r.status == 503) refused = r;
    std::this_thread::sleep_for(milliseconds(150));  // the cap is checked on a count ≤ 100 ms old
  }
  EXPECT_GE(accepted, 2);
  EXPECT_LE(accepted, 4);
  ASSERT_EQ(refused.status, 503);
  EXPECT_EQ(Json(refused).at("error").at("code"), "busy");
  EXPECT_FALSE(refused.Header("Retry-After").empty());
}

TEST_F(CappedQueueTest, ABurstBeyondTheCapIsRefusedWithoutWaitingForTheNextCount) {
  // No pause: the count of active jobs is at most 100 ms old, but the jobs created here since
  // are added to it, so a burst cannot overshoot the cap in between.
  int accepted = 0;
  int refused = 0;
  for (int i = 0; i < 6; ++i) {
    const int status = Post(R"({"query":"magnesio"})").status;
    if (status == 202) ++accepted;
    if (status == 503) ++refused;
  }
  EXPECT_GE(accepted, 1);  // a job counted and also still added errs on the full side
  EXPECT_LE(accepted, 2);
  EXPECT_EQ(accepted + refused, 6);
}

class SlowJobsTest : public ServiceFixture {
  void Configure(app::ServiceOptions& o) override { o.stage_delay_ms = 250; }
};

TEST_F(SlowJobsTest, CancellingARunningJobStopsItAtTheNextStage) {
  const std::string id = IdOf(Post(R"({"query":"magnesio"})"));
  for (int i = 0; i < 40; ++i) {
    if (Json(Send("GET", "/portal/status/" + id)).at("state") == "running") break;
    std::this_thread::sleep_for(milliseconds(25));
  }
  const cli::HttpResult asked = Send("POST", "/portal/recommend/" + id + "/cancel");
  ASSERT_EQ(asked.status, 202) << asked.body;
  const json::value final_state = WaitFinal(id);
  EXPECT_EQ(final_state.at("status"), "cancelled") << json::serialize(final_state);
  EXPECT_LT(final_state.at("progress").as_int64(), 100);
}

// Reads a whole event stream and returns its events' data lines and ids.
struct Stream {
  std::vector<std::int64_t> ids;
  std::vector<json::value> data;
  std::string raw;
};
Stream ReadEvents(unsigned short port, const std::string& id,
                  const std::string& last_event_id = "") {
  std::string request =
      "GET /portal/events/" + id +
      " HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nConnection: close\r\n";
  if (!last_event_id.empty()) request += "Last-Event-ID: " + last_event_id + "\r\n";
  Stream s;
  s.raw = Exchange(port, request + "\r\n", milliseconds(15000));
  std::size_t pos = 0;
  while ((pos = s.raw.find("\nid: ", pos)) != std::string::npos) {
    s.ids.push_back(std::stoll(s.raw.substr(pos + 5)));
    const auto data = s.raw.find("data: ", pos);
    const auto end = s.raw.find('\n', data);
    s.data.push_back(json::parse(s.raw.substr(data + 6, end - data - 6)));
    pos = end;
  }
  return s;
}

TEST_F(SlowJobsTest, EventsStreamEveryStageAndCloseAfterTheFinalOne) {
  const std::string id = IdOf(Post(R"({"query":"magnesio"})"));
  const Stream s = ReadEvents(port_, id);
  ASSERT_NE(s.raw.find("Content-Type: text/event-stream"), std::string::npos) << s.raw;
  ASSERT_GE(s.data.size(), 4u) << s.raw;
  EXPECT_TRUE(std::is_sorted(s.ids.begin(), s.ids.end()));
  std::int64_t last_progress = -1;
  for (const json::value& v : s.data) {
    EXPECT_GE(v.at("progress").as_int64(), last_progress) << "progress went back";
    last_progress = v.at("progress").as_int64();
  }
  EXPECT_EQ(s.data.back().at("status"), "completed");
  EXPECT_TRUE(s.data.back().as_object().contains("recommendation"));
}

TEST_F(SlowJobsTest, AReconnectWithLastEventIdResumesWithoutRepeating) {
  const std::string id = IdOf(Post(R"({"query":"magnesio"})"));
  const Stream first = ReadEvents(port_, id);
  ASSERT_FALSE(first.ids.empty());
  // Everything seen: the stream has nothing new and ends at once.
  const Stream again = ReadEvents(port_, id, std::to_string(first.ids.back()));
  EXPECT_TRUE(again.ids.empty()) << again.raw;
  // Seen up to the first event only: the current (final) state comes at once.
  const Stream resumed = ReadEvents(port_, id, std::to_string(first.ids.front()));
  ASSERT_EQ(resumed.ids.size(), 1u) << resumed.raw;
  EXPECT_EQ(resumed.ids.back(), first.ids.back());
  EXPECT_EQ(ReadEvents(port_, "3f2b8c1e-0000-4abc-8def-0123456789ab").raw.substr(0, 12),
            "HTTP/1.1 404");
}

}  // namespace
}  // namespace vitarec::testing
