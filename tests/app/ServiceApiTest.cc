// The HTTP contract of DESIGN.md, driven over real sockets against the whole service (real
// engine, real SQLite store, real workers).
#include <gtest/gtest.h>

#include <set>

#include "support/ServiceFixture.h"

namespace vitarec::testing {
namespace {

constexpr char kJson[] = "application/json";

class ServiceApiTest : public ServiceFixture {};

TEST_F(ServiceApiTest, SubmitAnswers202WithLocationAndRetryAfterThenCompletesWithADose) {
  const cli::HttpResult r =
      Post(R"({"query":"magnesio","quiz_id":"sueno-v1","category":"minerales"})");
  ASSERT_EQ(r.status, 202) << r.body;
  const json::value accepted = Json(r);
  const std::string id(accepted.at("recommendation_id").as_string());
  EXPECT_EQ(accepted.at("status"), "processing");
  EXPECT_EQ(accepted.at("progress"), 0);
  EXPECT_EQ(accepted.at("statusUrl"), json::value("/portal/status/" + id));
  EXPECT_EQ(r.Header("Location"), "/portal/status/" + id);
  EXPECT_EQ(r.Header("Retry-After"), "3");
  EXPECT_EQ(r.Header("Content-Type"), kJson);
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");

  const json::value status = WaitFinal(id);
  ASSERT_EQ(status.at("status"), "completed") << json::serialize(status);
  EXPECT_EQ(status.at("progress"), 100);
  EXPECT_EQ(status.at("quiz_id"), "sueno-v1");
  EXPECT_EQ(status.at("category"), "minerales");
  EXPECT_TRUE(status.at("expiresAt").is_string()) << "a completed job shows when it expires";
  const json::value& item = status.at("recommendation").at("items").at(0);
  EXPECT_EQ(item.at("supplement").at("id"), "magnesium");
  EXPECT_TRUE(item.at("dose").at("amount").is_number()) << json::serialize(item);
  EXPECT_FALSE(item.at("dose").at("unit").as_string().empty());
}

TEST_F(ServiceApiTest, TheSynchronousCallAnswers200WithTheCompletedBody) {
  for (const auto& [target, headers] :
       std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>>{
           {"/portal/recommend?mode=sync", {}}, {"/portal/recommend", {{"Prefer", "wait=10"}}}}) {
    const cli::HttpResult r = Post(R"({"query":"magnesium","locale":"en"})", headers, target);
    ASSERT_EQ(r.status, 200) << target << " " << r.body;
    const json::value v = Json(r);
    EXPECT_EQ(v.at("status"), "completed");
    EXPECT_EQ(v.at("recommendation").at("items").at(0).at("supplement").at("id"), "magnesium");
    EXPECT_FALSE(r.Header("Preference-Applied").empty());
  }
}

TEST_F(ServiceApiTest, StatusStatesItsCachingRulesAndAnswers304WhenUnchanged) {
  const cli::HttpResult r = Post(R"({"query":"magnesio"})", {}, "/portal/recommend?mode=sync");
  ASSERT_EQ(r.status, 200);
  const std::string id(Json(r).at("recommendation_id").as_string());
  const cli::HttpResult first = Send("GET", "/portal/status/" + id);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.Header("Cache-Control"), "no-store");
  const std::string etag = first.Header("ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_TRUE(first.Header("Retry-After").empty()) << "a final status needs no Retry-After";
  const cli::HttpResult again = Send("GET", "/portal/status/" + id, "", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST_F(ServiceApiTest, TheSameIdempotencyKeyReturnsTheSameRecommendation) {
  const std::vector<std::pair<std::string, std::string>> key = {{"Idempotency-Key", "order-42"}};
  const cli::HttpResult a = Post(R"({"query":"zinc"})", key);
  const cli::HttpResult b = Post(R"({"query":"zinc"})", key);
  ASSERT_EQ(a.status, 202);
  ASSERT_EQ(b.status, 202);
  EXPECT_EQ(Json(a).at("recommendation_id"), Json(b).at("recommendation_id"));
  EXPECT_EQ(b.Header("Idempotent-Replayed"), "true");
  const cli::HttpResult other = Post(R"({"query":"hierro"})", key);
  EXPECT_EQ(other.status, 409) << other.body;
  EXPECT_EQ(Json(other).at("error").at("code"), "conflict");
}

TEST_F(ServiceApiTest, InvalidBodiesAreRejectedWithAMessageNamingTheField) {
  struct Case {
    std::string body;
    std::string field;  // "" when the error is about the whole body
  };
  const Case cases[] = {
      {R"({})", "query"},
      {R"({"query":"   "})", "query"},
      {R"({"query":5})", "query"},
      {R"({"query":"x","locale":"fr"})", "locale"},
      {R"({"query":"x","quiz_id":["a"]})", "quiz_id"},
      {R"({"answers":[]})", "answers"},
      {R"({"answers":{"age":"old"}})", "answers.age"},
      {R"({"answers":{"age":-3}})", "answers.age"},
      {R"({"answers":{"age":34.5}})", "answers.age"},
      {R"({"answers":{"sex":"x"}})", "answers.sex"},
      {R"({"answers":{"pregnant":"no"}})", "answers.pregnant"},
      {R"({"answers":{"medications":"warfarin"}})", "answers.medications"},
      {R"({"answers":{"goals":[1]}})", "answers.goals[0]"},
      {R"({"query":")" + std::string(600, 'a') + R"("})", "query"},
      {R"([1,2])", ""},
      {R"("magnesio")", ""},
      {R"({"query":"magnesio")", ""},
      {"{\"query\":" + std::string(100, '[') + std::string(100, ']') + "}", ""},
  };
  for (const Case& c : cases) {
    const cli::HttpResult r = Post(c.body);
    EXPECT_EQ(r.status, 400) << c.body;
    const json::value v = Json(r);
    EXPECT_EQ(v.at("error").at("code"), "invalid_argument") << c.body;
    EXPECT_FALSE(v.at("error").at("message").as_string().empty()) << c.body;
    if (!c.field.empty()) {
      EXPECT_EQ(v.at("error").at("field"), json::value(c.field)) << c.body;
      EXPECT_NE(std::string(v.at("error").at("message").as_string()).find(c.field),
                std::string::npos)
          << "the message should name " << c.field;
    }
  }
}

TEST_F(ServiceApiTest, ValidBodiesOfEveryShapeAreAccepted) {
  const std::string bodies[] = {
      R"({"query":"magnesio"})",
      R"({"query":"vitamin D","locale":"en-US"})",
      R"({"answers":{"age":34,"sex":"female","pregnant":false,"goals":["sleep"],"conditions":[],"medications":["levothyroxine"],"diet":"vegan"}})",
      R"({"query":"magnesio","quiz_id":"sueno-v1","category":"minerales","locale":"es","answers":{"age":70},"unknown_field":1})",
      R"({"query":"<script>alert(1)</script>' OR 1=1; --"})",
  };
  for (const std::string& body : bodies) {
    const cli::HttpResult r = Post(body);
    ASSERT_EQ(r.status, 202) << body << " -> " << r.body;
    const json::value status = WaitFinal(std::string(Json(r).at("recommendation_id").as_string()));
    EXPECT_EQ(status.at("status"), "completed") << body << " -> " << json::serialize(status);
  }
}

TEST_F(ServiceApiTest, ABodyThatIsNotJsonIsUnsupported) {
  const cli::HttpResult r = Send("POST", "/portal/recommend", "query=magnesio",
                                 {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(Json(r).at("error").at("code"), "unsupported_media_type");
}

TEST_F(ServiceApiTest, UnknownAndMalformedIdsAndRoutesGetClearErrors) {
  const cli::HttpResult unknown =
      Send("GET", "/portal/status/3f2b8c1e-0000-4abc-8def-0123456789ab");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(Json(unknown).at("error").at("code"), "not_found");
  const cli::HttpResult malformed = Send("GET", "/portal/status/not-an-id");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(Json(malformed).at("error").at("field"), "id");
  const cli::HttpResult route = Send("GET", "/nope");
  EXPECT_EQ(route.status, 404);
  const cli::HttpResult method = Send("DELETE", "/portal/recommend");
  EXPECT_EQ(method.status, 405);
  EXPECT_EQ(method.Header("Allow"), "POST");
}

TEST_F(ServiceApiTest, HealthAndReadinessAnswer) {
  EXPECT_EQ(Send("GET", "/healthz").status, 200);
  const cli::HttpResult ready = Send("GET", "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(Json(ready).at("status"), "ready");
}

TEST_F(ServiceApiTest, TheFrontEndRoutesServeTheSameContract) {
  const cli::HttpResult r = Post(R"({"query":"magnesio"})", {}, "/api/portal/quiz");
  ASSERT_EQ(r.status, 202);
  const std::string id(Json(r).at("recommendation_id").as_string());
  EXPECT_EQ(Json(r).at("statusUrl"), json::value("/api/portal/status/" + id));
  const cli::HttpResult s = Send("GET", "/api/portal/status/" + id);
  EXPECT_EQ(s.status, 200);
  EXPECT_EQ(Json(s).at("recommendation_id"), json::value(id));
}

TEST_F(ServiceApiTest, ManyRequestsShareOneKeptAliveConnection) {
  for (int i = 0; i < 200; ++i) ASSERT_EQ(Send("GET", "/healthz").status, 200);
}

TEST_F(ServiceApiTest, ASecondServerOnTheSamePortIsRefusedClearly) {
  app::ServiceOptions options;
  options.listen = "127.0.0.1:" + std::to_string(port_);
  options.store = "sqlite:" + dir_.File("other.db");
  options.max_inflight = 0;
  app::Service other(options);
  const auto started = other.Start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("in use"), std::string::npos) << started.error().message;
}

TEST_F(ServiceApiTest, MetricsCountRequestsJobsAndStagesInPrometheusFormat) {
  const cli::HttpResult r = Post(R"({"query":"magnesio"})", {}, "/portal/recommend?mode=sync");
  ASSERT_EQ(r.status, 200);
  Send("GET", "/portal/status/3f2b8c1e-0000-4abc-8def-0123456789ab");
  const cli::HttpResult m = Send("GET", "/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(m.Header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  for (const char* expected :
       {"vitarec_http_requests_total{route=\"submit\",code=\"200\"} 1\n",
        "vitarec_http_requests_total{route=\"status\",code=\"404\"} 1\n",
        "vitarec_jobs_submitted_total 1\n", "vitarec_jobs_runs_total{outcome=\"completed\"} 1\n",
        "vitarec_job_stage_duration_seconds_count{stage=\"safety\"} 1\n",
        "# TYPE vitarec_http_request_duration_seconds histogram\n",
        "vitarec_http_open_connections 1\n"}) {
    EXPECT_NE(m.body.find(expected), std::string::npos) << expected << "\n" << m.body;
  }
}

class AdminTokenTest : public ServiceFixture {
  void Configure(app::ServiceOptions& o) override { o.admin_token = "s3cret"; }
};

TEST_F(AdminTokenTest, RetryCancelAndMetricsNeedTheBearerToken) {
  const cli::HttpResult denied = Send("GET", "/metrics");
  EXPECT_EQ(denied.status, 401);
  EXPECT_EQ(denied.Header("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(Send("GET", "/metrics", "", {{"Authorization", "Bearer wrong!"}}).status, 401);
  EXPECT_EQ(Send("GET", "/metrics", "", {{"Authorization", "Bearer s3cret"}}).status, 200);
  const std::string id(Json(Post(R"({"query":"zinc"})")).at("recommendation_id").as_string());
  EXPECT_EQ(Send("POST", "/portal/recommend/" + id + "/cancel").status, 401);
  EXPECT_EQ(Send("GET", "/portal/status/" + id).status, 200) << "status stays public";
}

// With slow stages, the service shows progress and answers long-polls when it changes.
class SlowStagesTest : public ServiceFixture {
  void Configure(app::ServiceOptions& o) override { o.stage_delay_ms = 300; }
};

TEST_F(SlowStagesTest, ALongPollAnswersAsSoonAsTheJobChanges) {
  const cli::HttpResult r = Post(R"({"query":"magnesio"})");
  ASSERT_EQ(r.status, 202);
  const std::string id(Json(r).at("recommendation_id").as_string());
  std::vector<int> progress_seen;
  std::string etag;
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!etag.empty()) headers.emplace_back("If-None-Match", etag);
    const cli::HttpResult s = Send("GET", "/portal/status/" + id + "?wait=10", "", headers);
    ASSERT_TRUE(s.status == 200 || s.status == 304) << s.status;
    if (s.status == 304) continue;
    etag = s.Header("ETag");
    const json::value v = Json(s);
    const int progress = static_cast<int>(v.at("progress").as_int64());
    if (progress_seen.empty() || progress_seen.back() != progress)
      progress_seen.push_back(progress);
    if (v.at("status") != "processing") break;
  }
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_LT(took, std::chrono::seconds(5)) << "long-polls waited for their timeout";
  ASSERT_FALSE(progress_seen.empty());
  EXPECT_EQ(progress_seen.back(), 100);
  EXPECT_TRUE(std::is_sorted(progress_seen.begin(), progress_seen.end())) << "progress went back";
  EXPECT_GE(progress_seen.size(), 3u) << "expected to see intermediate stages";
}

TEST_F(SlowStagesTest, TheSynchronousCallFallsBackTo202WhenNotDoneInTime) {
  const cli::HttpResult r = Post(R"({"query":"magnesio"})", {{"Prefer", "wait=0"}});
  EXPECT_EQ(r.status, 202) << r.body;
  const cli::HttpResult r2 = Post(R"({"query":"magnesio"})", {{"Prefer", "wait=1"}});
  EXPECT_EQ(r2.status, 202) << r2.body;
  EXPECT_FALSE(r2.Header("Location").empty());
}

TEST_F(SlowStagesTest, ProgressMessagesFollowTheRequestLocale) {
  const cli::HttpResult r = Post(R"({"query":"magnesium","locale":"en"})");
  const std::string id(Json(r).at("recommendation_id").as_string());
  const cli::HttpResult s = Send("GET", "/portal/status/" + id);
  const json::value v = Json(s);
  EXPECT_EQ(v.at("status"), "processing");
  EXPECT_EQ(s.Header("Retry-After"), "3");
  const std::string message(v.at("progressMessage").as_string());
  const std::set<std::string> english = {"Waiting in the queue", "Understanding your query",
                                         "Gathering candidates and evidence"};
  EXPECT_TRUE(english.count(message)) << message;
}

}  // namespace
}  // namespace vitarec::testing
