#include "http/Router.h"

#include <charconv>

#include "core/Id.h"
#include "http/ApiJson.h"
#include "http/AsyncBridge.h"
#include "http/JobEventStream.h"
#include "http/RequestOptions.h"
#include "http/StaticFiles.h"
#include "recommend/RequestParser.h"

namespace vitarec::http {
namespace {

using core::ErrorCode;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kPortalStatus = "/portal/status/";
constexpr std::string_view kFrontStatus = "/api/portal/status/";
constexpr std::string_view kPortalEvents = "/portal/events/";
constexpr std::string_view kFrontEvents = "/api/portal/events/";
constexpr std::string_view kPortalControl = "/portal/recommend/";
constexpr std::string_view kFrontControl = "/api/portal/recommend/";
HttpResponse Json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpResponse MethodNotAllowed(std::string_view allow) {
  HttpResponse r =
      ErrorResponse(405, "method_not_allowed", "this path accepts " + std::string(allow) + " only");
  r.AddHeader("Allow", std::string(allow));
  return r;
}

HttpResponse StatusResponse(const store::Job& job, int retry_after) {
  HttpResponse r = Json(200, StatusJson(job));
  r.AddHeader("ETag", ETagFor(job));
  r.AddHeader("Cache-Control", "no-store");
  if (!store::IsFinal(job.state)) r.AddHeader("Retry-After", std::to_string(retry_after));
  return r;
}

}  // namespace

Router::Router(jobs::JobService* jobs, jobs::ChangeHub* changes, RouterOptions options)
    : jobs_(jobs), changes_(changes), options_(options) {}

asio::awaitable<HttpResponse> Router::Handle(HttpRequest request) {
  const std::string_view path = request.Path();
  const std::string& method = request.method;
  const bool get = method == "GET" || method == "HEAD";
  try {
    if (options_.backend != nullptr) {
      const bool api = path == "/portal/recommend" || path.starts_with("/portal/recommend/") ||
                       path.starts_with("/portal/status/") || path.starts_with("/api/") ||
                       path == "/readyz";
      if (path.starts_with(kPortalEvents) || path.starts_with(kFrontEvents)) {
        co_return ErrorResponse(404, "not_found",
                                "event streams are not relayed by the front-end tier; poll the "
                                "status instead");
      }
      if (api) {
        std::chrono::seconds relay_wait{0};
        std::string_view wait_text;
        if (request.QueryParam("wait", wait_text)) {
          relay_wait = std::min(std::chrono::seconds(ParseSeconds(wait_text).value_or(0)),
                                options_.max_long_poll);
        }
        if (auto sync = RequestedSyncWait(request, options_.max_sync_wait)) relay_wait = *sync;
        co_return co_await options_.backend->Forward(std::move(request), relay_wait);
      }
    }
    if (path == "/portal/recommend" || path == "/api/portal/quiz") {
      if (method != "POST") co_return MethodNotAllowed("POST");
      std::string submit_status_prefix(path == "/portal/recommend" ? kPortalStatus : kFrontStatus);
      co_return co_await Submit(std::move(request), std::move(submit_status_prefix));
    }
    std::string_view status_prefix;
    if (path.starts_with(kPortalStatus)) status_prefix = kPortalStatus;
    if (path.starts_with(kFrontStatus)) status_prefix = kFrontStatus;
    if (!status_prefix.empty()) {
      if (!get) co_return MethodNotAllowed("GET, HEAD");
      std::string id(path.substr(status_prefix.size()));
      co_return co_await Status(std::move(request), std::move(id));
    }
    std::string_view events_prefix;
    if (path.starts_with(kPortalEvents)) events_prefix = kPortalEvents;
    if (path.starts_with(kFrontEvents)) events_prefix = kFrontEvents;
    if (!events_prefix.empty()) {
      if (!get) co_return MethodNotAllowed("GET");
      std::string events_id(path.substr(events_prefix.size()));
      co_return co_await Events(std::move(request), std::move(events_id));
    }
    std::string_view control_prefix;
    if (path.starts_with(kPortalControl)) control_prefix = kPortalControl;
    if (path.starts_with(kFrontControl)) control_prefix = kFrontControl;
    if (!control_prefix.empty()) {
      const std::string_view rest = path.substr(control_prefix.size());
      const auto slash = rest.find('/');
      const std::string_view action = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
      if (action == "retry" || action == "cancel") {
        if (method != "POST") co_return MethodNotAllowed("POST");
        if (auto refused = CheckAdmin(request)) co_return std::move(*refused);
        std::string control_id(rest.substr(0, slash));
        std::string control_status(control_prefix == kPortalControl ? kPortalStatus : kFrontStatus);
        co_return co_await Control(std::move(control_id), std::string(action),
                                   std::move(control_status));
      }
    }
    if (path == "/healthz") {
      if (!get) co_return MethodNotAllowed("GET, HEAD");
      co_return Json(200, R"({"status":"ok"})");
    }
    if (path == "/metrics" && options_.metrics) {
      if (!get) co_return MethodNotAllowed("GET, HEAD");
      if (auto denied = CheckAdmin(request)) co_return std::move(*denied);
      HttpResponse scraped;
      scraped.content_type = "text/plain; version=0.0.4; charset=utf-8";
      scraped.body = options_.metrics();
      scraped.AddHeader("Cache-Control", "no-store");
      co_return scraped;
    }
    if (path == "/readyz") {
      if (!get) co_return MethodNotAllowed("GET, HEAD");
      co_return co_await Ready();
    }
    if (get) {
      if (path == "/") {
        HttpResponse moved;
        moved.status = 302;
        moved.content_type.clear();
        moved.AddHeader("Location", "/portal");
        co_return moved;
      }
      std::string_view asset_path;
      if (path == "/portal" || path == "/portal/") asset_path = "portal.html";
      if (path == "/portal/results") asset_path = "results.html";
      if (path.starts_with("/static/")) asset_path = path.substr(1);
      if (!asset_path.empty()) {
        if (auto asset = AssetResponse(request, asset_path)) co_return std::move(*asset);
      }
    }
    co_return ErrorResponse(404, "not_found", "no route for " + std::string(path));
  } catch (const std::exception& e) {
    co_return ErrorResponse(500, "internal", std::string("unexpected error: ") + e.what());
  }
}

// Note for every coroutine here: g++ 12 mis-handles locals of the same name in sibling scopes of
// one coroutine (they may share a frame slot and be destroyed twice), so each local is unique.
asio::awaitable<HttpResponse> Router::Submit(HttpRequest request, std::string status_prefix) {
  if (!IsJsonContentType(request.Header("Content-Type"))) {
    co_return ErrorResponse(
        core::MakeError(ErrorCode::kUnsupportedMediaType,
                        "the body must be JSON (Content-Type: application/json)", "Content-Type"));
  }
  auto parsed = recommend::ParseRecommendRequestText(request.body);
  if (!parsed) co_return ErrorResponse(parsed.error());
  std::string key(request.Header("Idempotency-Key"));
  if (!ValidIdempotencyKey(key)) {
    co_return ErrorResponse(core::MakeError(
        ErrorCode::kInvalidArgument, "Idempotency-Key must be at most 200 visible ASCII characters",
        "Idempotency-Key"));
  }
  const auto sync_wait = RequestedSyncWait(request, options_.max_sync_wait);
  auto executor = co_await asio::this_coro::executor;

  std::string id = core::NewId();
  std::optional<ChangeWatch> watch;
  if (sync_wait) watch.emplace(*changes_, id, executor);  // before the insert: miss nothing
  jobs::JobRequest job_request{parsed->quiz_id, parsed->category, parsed->locale,
                               recommend::ToCanonicalJson(*parsed)};
  auto insert = [this, &id, &job_request, &key](auto done) {
    jobs_->SubmitWithId(id, std::move(job_request), key, std::move(done));
  };
  auto submitted = co_await AwaitCallback<jobs::SubmitOutcome>(insert);
  if (!submitted) co_return ErrorResponse(submitted.error());
  store::Job job = std::move(submitted->job);

  if (sync_wait) {
    const auto deadline = Clock::now() + *sync_wait;
    if (job.id != id) {  // an idempotent replay: follow the earlier job
      watch.emplace(*changes_, job.id, executor);
      auto read_replayed = [this, &job](auto done) { jobs_->Get(job.id, std::move(done)); };
      auto replayed = co_await AwaitCallback<store::Job>(read_replayed);
      if (replayed) job = std::move(*replayed);
    }
    auto reread = [this, &job](auto done) { jobs_->Get(job.id, std::move(done)); };
    while (!store::IsFinal(job.state)) {
      // co_await stays out of loop conditions: g++ 12 resumes such loops wrongly.
      const bool changed = co_await watch->WaitBeyond(job.version, deadline);
      if (!changed) break;
      auto fresh = co_await AwaitCallback<store::Job>(reread);
      if (!fresh) co_return ErrorResponse(fresh.error());
      job = std::move(*fresh);
    }
    if (store::IsFinal(job.state)) {
      HttpResponse completed = StatusResponse(job, options_.retry_after_seconds);
      completed.AddHeader("Preference-Applied", "wait=" + std::to_string(sync_wait->count()));
      co_return completed;
    }
  }
  const std::string status_url = status_prefix + job.id;
  HttpResponse accepted = Json(202, AcceptedJson(job, status_url));
  accepted.AddHeader("Location", status_url);
  accepted.AddHeader("Retry-After", std::to_string(options_.retry_after_seconds));
  accepted.AddHeader("Cache-Control", "no-store");
  if (!submitted->created) accepted.AddHeader("Idempotent-Replayed", "true");
  co_return accepted;
}

asio::awaitable<HttpResponse> Router::Status(HttpRequest request, std::string id_text) {
  auto id = core::ParseId(id_text);
  if (!id) {
    co_return ErrorResponse(core::MakeError(ErrorCode::kInvalidArgument,
                                            "the recommendation id is not a valid UUID", "id"));
  }
  std::optional<std::chrono::seconds> wait;
  if (std::string_view text; request.QueryParam("wait", text)) {
    auto secs = ParseSeconds(text);
    if (!secs) {
      co_return ErrorResponse(core::MakeError(ErrorCode::kInvalidArgument,
                                              "wait must be a whole number of seconds", "wait"));
    }
    wait = std::min(std::chrono::seconds(*secs), options_.max_long_poll);
  }
  std::optional<ChangeWatch> watch;
  auto executor = co_await asio::this_coro::executor;
  if (wait && wait->count() > 0) watch.emplace(*changes_, *id, executor);

  auto read = [this, &id](auto done) { jobs_->Get(*id, std::move(done)); };
  auto got = co_await AwaitCallback<store::Job>(read);
  if (!got) co_return ErrorResponse(got.error());
  store::Job job = std::move(*got);

  const std::string_view if_none_match = request.Header("If-None-Match");
  const bool client_current = !if_none_match.empty() && if_none_match == ETagFor(job);
  if (watch && !store::IsFinal(job.state) && (if_none_match.empty() || client_current)) {
    const auto deadline = Clock::now() + *wait;
    const bool job_changed = co_await watch->WaitBeyond(job.version, deadline);
    if (job_changed) {
      auto fresh = co_await AwaitCallback<store::Job>(read);
      if (!fresh) co_return ErrorResponse(fresh.error());
      job = std::move(*fresh);
    }
  }
  if (!if_none_match.empty() && if_none_match == ETagFor(job)) {
    HttpResponse not_modified;
    not_modified.status = 304;
    not_modified.content_type.clear();
    not_modified.AddHeader("ETag", ETagFor(job));
    not_modified.AddHeader("Cache-Control", "no-store");
    if (!store::IsFinal(job.state))
      not_modified.AddHeader("Retry-After", std::to_string(options_.retry_after_seconds));
    co_return not_modified;
  }
  co_return StatusResponse(job, options_.retry_after_seconds);
}

asio::awaitable<HttpResponse> Router::Events(HttpRequest request, std::string id_text) {
  auto id = core::ParseId(id_text);
  if (!id) {
    co_return ErrorResponse(core::MakeError(ErrorCode::kInvalidArgument,
                                            "the recommendation id is not a valid UUID", "id"));
  }
  std::int64_t last_event_id = 0;
  if (const std::string_view last = request.Header("Last-Event-ID"); !last.empty()) {
    auto seen = ParseSeconds(last);  // a non-negative integer, like a number of seconds
    if (!seen) {
      co_return ErrorResponse(core::MakeError(ErrorCode::kInvalidArgument,
                                              "Last-Event-ID must be an event id from this stream",
                                              "Last-Event-ID"));
    }
    last_event_id = *seen;
  }
  auto events_executor = co_await asio::this_coro::executor;
  auto watch = std::make_unique<ChangeWatch>(*changes_, *id, events_executor);
  auto read_events_job = [this, &id](auto done) { jobs_->Get(*id, std::move(done)); };
  auto first = co_await AwaitCallback<store::Job>(read_events_job);
  if (!first) co_return ErrorResponse(first.error());
  auto stream =
      std::make_shared<JobEventStream>(*jobs_, std::move(watch), std::move(*first), last_event_id,
                                       options_.sse_heartbeat, options_.sse_max_duration);
  HttpResponse events;
  events.content_type = "text/event-stream; charset=utf-8";
  events.AddHeader("Cache-Control", "no-store");
  events.AddHeader("X-Accel-Buffering", "no");  // tell nginx not to buffer the stream
  events.body = stream->Preamble();
  events.stream = std::move(stream);
  co_return events;
}

asio::awaitable<HttpResponse> Router::Control(std::string id_text, std::string action,
                                              std::string status_prefix) {
  auto id = core::ParseId(id_text);
  if (!id) {
    co_return ErrorResponse(core::MakeError(ErrorCode::kInvalidArgument,
                                            "the recommendation id is not a valid UUID", "id"));
  }
  const bool retry = action == "retry";
  auto act = [this, &id, retry](auto done) {
    if (retry) {
      jobs_->Retry(*id, std::move(done));
    } else {
      jobs_->Cancel(*id, std::move(done));
    }
  };
  auto changed = co_await AwaitCallback<store::Job>(act);
  if (!changed) {
    if (changed.error().code == ErrorCode::kConflict) {
      core::Error conflict = changed.error();
      if (conflict.message.empty())
        conflict.message = retry ? "only a failed or cancelled recommendation can be retried"
                                 : "a finished recommendation cannot be cancelled";
      co_return ErrorResponse(conflict);
    }
    co_return ErrorResponse(changed.error());
  }
  const std::string control_url = status_prefix + changed->id;
  // 200 when the job is already in its final state (cancel of a queued job), else 202.
  HttpResponse controlled = Json(store::IsFinal(changed->state) ? 200 : 202, StatusJson(*changed));
  controlled.AddHeader("Location", control_url);
  controlled.AddHeader("Cache-Control", "no-store");
  if (!store::IsFinal(changed->state))
    controlled.AddHeader("Retry-After", std::to_string(options_.retry_after_seconds));
  co_return controlled;
}

std::optional<HttpResponse> Router::CheckAdmin(const HttpRequest& request) const {
  if (options_.admin_token.empty()) return std::nullopt;
  const std::string_view given = request.Header("Authorization");
  const std::string expected = "Bearer " + options_.admin_token;
  // Constant-time comparison: the time taken does not tell how much of the token matched.
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i)
    diff |= static_cast<unsigned char>(expected[i] ^ (i < given.size() ? given[i] : 0));
  if (diff == 0) return std::nullopt;
  HttpResponse refused = ErrorResponse(401, "unauthorized",
                                       "this route needs \"Authorization: Bearer <admin token>\"");
  refused.AddHeader("WWW-Authenticate", "Bearer");
  return refused;
}

asio::awaitable<HttpResponse> Router::Ready() {
  auto start_ping = [this](auto done) { jobs_->Ping(std::move(done)); };
  auto ping = co_await AwaitCallback<void>(start_ping);
  if (!ping) {
    co_return ErrorResponse(core::MakeError(ErrorCode::kUnavailable,
                                            "the store is not reachable: " + ping.error().message));
  }
  co_return Json(200, R"({"status":"ready"})");
}

}  // namespace vitarec::http
