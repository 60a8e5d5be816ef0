#include "http/ApiJson.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace vitarec::http {
namespace {

namespace json = boost::json;
using core::ErrorCode;

json::value TextOrNull(const std::string& s) {
  return s.empty() ? json::value(nullptr) : json::value(s);
}

}  // namespace

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kMethodNotAllowed:
      return 405;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kGone:
      return 410;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kUnsupportedMediaType:
      return 415;
    case ErrorCode::kBusy:
      return 503;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kDeadlineExceeded:
      return 504;
    case ErrorCode::kLeaseLost:
    case ErrorCode::kCancelled:
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

HttpResponse ErrorResponse(const core::Error& error) {
  json::object inner;
  inner["code"] = core::ErrorCodeName(error.code);
  inner["message"] = error.message;
  if (!error.field.empty()) inner["field"] = error.field;
  json::object outer;
  outer["error"] = std::move(inner);
  HttpResponse response;
  response.status = HttpStatusFor(error.code);
  response.body = json::serialize(outer);
  if (response.status == 429 || response.status == 503) response.AddHeader("Retry-After", "1");
  return response;
}

HttpResponse ErrorResponse(int status, std::string_view code, std::string_view message) {
  json::object inner;
  inner["code"] = code;
  inner["message"] = message;
  json::object outer;
  outer["error"] = std::move(inner);
  HttpResponse response;
  response.status = status;
  response.body = json::serialize(outer);
  if (status == 429 || status == 503) response.AddHeader("Retry-After", "1");
  return response;
}

std::string_view ApiStatus(store::JobState state) {
  switch (state) {
    case store::JobState::kQueued:
    case store::JobState::kRunning:
      return "processing";
    default:
      return store::JobStateName(state);
  }
}

std::string StatusJson(const store::Job& job) {
  json::object obj;
  obj["recommendation_id"] = job.id;
  obj["status"] = ApiStatus(job.state);
  obj["state"] = store::JobStateName(job.state);
  obj["progress"] = job.progress;
  obj["progressMessage"] = job.progress_message;
  obj["quiz_id"] = TextOrNull(job.quiz_id);
  obj["category"] = TextOrNull(job.category);
  obj["locale"] = job.locale;
  obj["attempt"] = job.attempt;
  obj["createdAt"] = core::FormatIso8601(job.created_at);
  obj["updatedAt"] = core::FormatIso8601(job.updated_at);
  // When a final job will be purged (410 afterwards); null while the job is still processing.
  obj["expiresAt"] = job.expires_at.time_since_epoch().count() > 0
                         ? json::value(core::FormatIso8601(job.expires_at))
                         : json::value(nullptr);
  if (job.state == store::JobState::kQueued && job.attempt > 0)
    obj["nextRetryAt"] = core::FormatIso8601(job.run_at);
  if (job.error && job.state != store::JobState::kCompleted) {
    json::object error;
    error["code"] = job.error->code;
    error["message"] = job.error->message;
    error["retryable"] = job.error->retryable;
    obj[job.state == store::JobState::kFailed ? "error" : "lastError"] = std::move(error);
  }
  std::string out = json::serialize(obj);
  if (job.state == store::JobState::kCompleted && !job.result_json.empty()) {
    out.pop_back();  // the closing brace; the stored result is spliced in as it is
    out += ",\"recommendation\":";
    out += job.result_json;
    out += '}';
  }
  return out;
}

std::string AcceptedJson(const store::Job& job, std::string_view status_url) {
  unsigned char buffer[1024];  // the whole object: no allocation but the returned string's
  json::monotonic_resource memory(buffer, sizeof buffer);
  json::object obj(4, &memory);
  obj["recommendation_id"] = job.id;
  obj["status"] = ApiStatus(job.state);
  obj["progress"] = job.progress;
  obj["statusUrl"] = status_url;
  return json::serialize(obj);
}

std::string ETagFor(const store::Job& job) { return "\"v" + std::to_string(job.version) + "\""; }

}  // namespace vitarec::http
