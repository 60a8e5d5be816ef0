#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "http/ApiJson.h"

namespace vitarec::http {
namespace {

namespace json = boost::json;
using core::ErrorCode;

store::Job SampleJob(store::JobState state) {
  store::Job job;
  job.id = "3f2b8c1e-0000-4abc-8def-0123456789ab";
  job.state = state;
  job.progress = 70;
  job.progress_message = "Evaluando seguridad e interacciones";
  job.quiz_id = "sueno-v1";
  job.category = "minerales";
  job.locale = "es";
  job.attempt = 1;
  job.version = 5;
  job.created_at = core::FromUnixMillis(1'795'875'656'123);
  job.updated_at = core::FromUnixMillis(1'795'875'657'000);
  return job;
}

TEST(ApiJsonTest, EachErrorCodeMapsToItsHttpStatus) {
  const std::pair<ErrorCode, int> table[] = {
      {ErrorCode::kInvalidArgument, 400},
      {ErrorCode::kNotFound, 404},
      {ErrorCode::kMethodNotAllowed, 405},
      {ErrorCode::kConflict, 409},
      {ErrorCode::kGone, 410},
      {ErrorCode::kPayloadTooLarge, 413},
      {ErrorCode::kUnsupportedMediaType, 415},
      {ErrorCode::kBusy, 503},
      {ErrorCode::kUnavailable, 503},
      {ErrorCode::kDeadlineExceeded, 504},
      {ErrorCode::kInternal, 500},
  };
  for (const auto& [code, status] : table) EXPECT_EQ(HttpStatusFor(code), status) << status;
}

TEST(ApiJsonTest, AnErrorResponseNamesCodeMessageAndField) {
  const HttpResponse r = ErrorResponse(
      core::MakeError(ErrorCode::kInvalidArgument, "answers.age must be...", "answers.age"));
  EXPECT_EQ(r.status, 400);
  const json::value v = json::parse(r.body);
  EXPECT_EQ(v.at("error").at("code"), "invalid_argument");
  EXPECT_EQ(v.at("error").at("field"), "answers.age");
  EXPECT_EQ(v.at("error").at("message"), "answers.age must be...");
}

TEST(ApiJsonTest, UnavailableAndBusyTellTheClientWhenToRetry) {
  for (ErrorCode code : {ErrorCode::kUnavailable, ErrorCode::kBusy}) {
    const HttpResponse r = ErrorResponse(core::MakeError(code, "later"));
    ASSERT_EQ(r.headers.size(), 1u);
    EXPECT_EQ(r.headers[0].first, "Retry-After");
  }
}

TEST(ApiJsonTest, ProcessingStatusKeepsQuizAndCategoryAndShowsTheState) {
  const json::value v = json::parse(StatusJson(SampleJob(store::JobState::kRunning)));
  EXPECT_EQ(v.at("recommendation_id"), "3f2b8c1e-0000-4abc-8def-0123456789ab");
  EXPECT_EQ(v.at("status"), "processing");
  EXPECT_EQ(v.at("state"), "running");
  EXPECT_EQ(v.at("progress"), 70);
  EXPECT_EQ(v.at("progressMessage"), "Evaluando seguridad e interacciones");
  EXPECT_EQ(v.at("quiz_id"), "sueno-v1");
  EXPECT_EQ(v.at("category"), "minerales");
  EXPECT_EQ(v.at("createdAt"), "2026-11-28T14:20:56.123Z");
  EXPECT_FALSE(v.as_object().contains("recommendation"));
  EXPECT_FALSE(v.as_object().contains("error"));
}

TEST(ApiJsonTest, CompletedStatusCarriesTheStoredRecommendation) {
  store::Job job = SampleJob(store::JobState::kCompleted);
  job.progress = 100;
  job.result_json = R"({"items":[{"supplement":{"id":"magnesium"}}]})";
  const json::value v = json::parse(StatusJson(job));
  EXPECT_EQ(v.at("status"), "completed");
  EXPECT_EQ(v.at("recommendation").at("items").at(0).at("supplement").at("id"), "magnesium");
  EXPECT_TRUE(v.at("expiresAt").is_null()) << "no expiry was set on this sample";
  job.expires_at = core::FromUnixMillis(1'795'875'656'123 + 30LL * 24 * 3600 * 1000);
  EXPECT_EQ(json::parse(StatusJson(job)).at("expiresAt"), "2026-12-28T14:20:56.123Z");
}

TEST(ApiJsonTest, FailedStatusCarriesTheError) {
  store::Job job = SampleJob(store::JobState::kFailed);
  job.error = store::JobError{"deadline_exceeded", "took too long", true};
  const json::value v = json::parse(StatusJson(job));
  EXPECT_EQ(v.at("status"), "failed");
  EXPECT_EQ(v.at("error").at("code"), "deadline_exceeded");
  EXPECT_EQ(v.at("error").at("retryable"), true);
}

TEST(ApiJsonTest, AQueuedRetryShowsWhenItRunsAgainAndItsLastError) {
  store::Job job = SampleJob(store::JobState::kQueued);
  job.error = store::JobError{"unavailable", "store busy", true};
  job.run_at = core::FromUnixMillis(1'795'875'660'000);
  const json::value v = json::parse(StatusJson(job));
  EXPECT_EQ(v.at("status"), "processing");
  EXPECT_EQ(v.at("nextRetryAt"), "2026-11-28T14:21:00.000Z");
  EXPECT_EQ(v.at("lastError").at("code"), "unavailable");
}

TEST(ApiJsonTest, AbsentQuizAndCategoryAreNull) {
  store::Job job = SampleJob(store::JobState::kQueued);
  job.quiz_id.clear();
  job.category.clear();
  const json::value v = json::parse(StatusJson(job));
  EXPECT_TRUE(v.at("quiz_id").is_null());
  EXPECT_TRUE(v.at("category").is_null());
}

TEST(ApiJsonTest, TheAcceptedBodyPointsAtTheStatus) {
  const json::value v =
      json::parse(AcceptedJson(SampleJob(store::JobState::kQueued), "/portal/status/x"));
  EXPECT_EQ(v.at("status"), "processing");
  EXPECT_EQ(v.at("statusUrl"), "/portal/status/x");
  EXPECT_EQ(ETagFor(SampleJob(store::JobState::kQueued)), "\"v5\"");
}

}  // namespace
}  // namespace vitarec::http
