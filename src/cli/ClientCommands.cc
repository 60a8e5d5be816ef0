#include "cli/ClientCommands.h"

#include <unistd.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>

#include "cli/HttpClient.h"
#include "cli/ProgressBar.h"
#include "cli/RecommendationText.h"

namespace vitarec::cli {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kExitOk = 0;
constexpr int kExitRequest = 1;
constexpr int kExitJobFailed = 2;
constexpr int kExitTimedOut = 3;
constexpr int kExitServer = 4;

json::object ParseObject(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.get_object());
}

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

int Int(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_int64() ? static_cast<int>(v->get_int64()) : 0;
}

// Reports an HTTP error answer and returns the exit code for it.
int ReportHttpError(const HttpResult& r) {
  json::object body = ParseObject(r.body);
  std::string message;
  if (const json::value* e = body.if_contains("error"); e && e->is_object())
    message = Str(e->get_object(), "message");
  if (message.empty()) message = r.body.substr(0, 200);
  std::fprintf(stderr, "error: the server answered %d: %s\n", r.status, message.c_str());
  return r.status >= 500 ? kExitServer : kExitRequest;
}

// Prints a final status and returns the exit code for it.
int PrintFinal(const json::object& status, const std::string& raw, bool as_json) {
  const std::string state = Str(status, "status");
  if (as_json) {
    std::printf("%s\n", raw.c_str());
  } else if (state == "completed") {
    const json::value* rec = status.if_contains("recommendation");
    std::printf("%s", RecommendationText(rec ? *rec : json::value()).c_str());
  }
  if (state == "completed") return kExitOk;
  std::string message;
  if (const json::value* e = status.if_contains("error"); e && e->is_object())
    message = Str(e->get_object(), "message");
  std::fprintf(stderr, "error: the recommendation %s%s%s\n", state.c_str(),
               message.empty() ? "" : ": ", message.c_str());
  return kExitJobFailed;
}

}  // namespace

int RunRecommend(const RecommendArgs& args) {
  auto client = HttpClient::Create(args.server);
  if (!client) {
    std::fprintf(stderr, "error: %s\n", client.error().message.c_str());
    return kExitRequest;
  }
  json::object body;
  body["query"] = args.query;
  body["locale"] = args.locale;
  const auto give_up = std::chrono::steady_clock::now() + seconds(args.timeout_s);
  auto submitted =
      (*client)->Send("POST", args.sync ? "/portal/recommend?mode=sync" : "/portal/recommend",
                      json::serialize(body), {}, seconds(args.sync ? 35 : 10));
  if (!submitted) {
    std::fprintf(stderr, "error: %s (is `vitarec serve` running there?)\n",
                 submitted.error().message.c_str());
    return kExitServer;
  }
  if (submitted->status != 200 && submitted->status != 202) return ReportHttpError(*submitted);
  json::object status = ParseObject(submitted->body);
  if (submitted->status == 200) return PrintFinal(status, submitted->body, args.json);

  const std::string id = Str(status, "recommendation_id");
  std::string status_url = submitted->Header("Location");
  if (status_url.empty()) status_url = "/portal/status/" + id;
  const bool tty = isatty(fileno(stderr)) != 0;
  ProgressBar bar(stderr, tty);
  bar.Update(Int(status, "progress"), tty ? "" : "submitted " + id);
  std::string etag;
  std::string raw;
  for (;;) {
    if (std::chrono::steady_clock::now() >= give_up) {
      bar.Finish();
      std::fprintf(stderr,
                   "error: gave up after %d s; the recommendation is still being prepared: "
                   "vitarec status %s\n",
                   args.timeout_s, id.c_str());
      return kExitTimedOut;
    }
    std::vector<std::pair<std::string, std::string>> headers;
    if (!etag.empty()) headers.emplace_back("If-None-Match", etag);
    auto polled = (*client)->Send("GET", status_url + "?wait=10", "", headers, seconds(20));
    if (!polled) {
      bar.Finish();
      std::fprintf(stderr, "error: %s\n", polled.error().message.c_str());
      return kExitServer;
    }
    if (polled->status == 304) continue;
    if (polled->status != 200) {
      bar.Finish();
      return ReportHttpError(*polled);
    }
    etag = polled->Header("ETag");
    raw = std::move(polled->body);
    status = ParseObject(raw);
    bar.Update(Int(status, "progress"), Str(status, "progressMessage"));
    if (Str(status, "status") != "processing") break;
  }
  bar.Finish();
  return PrintFinal(status, raw, args.json);
}

int RunStatus(const StatusArgs& args) {
  auto client = HttpClient::Create(args.server);
  if (!client) {
    std::fprintf(stderr, "error: %s\n", client.error().message.c_str());
    return kExitRequest;
  }
  auto r = (*client)->Send("GET", "/portal/status/" + args.id, "", {}, seconds(10));
  if (!r) {
    std::fprintf(stderr, "error: %s (is `vitarec serve` running there?)\n",
                 r.error().message.c_str());
    return kExitServer;
  }
  if (r->status != 200) return ReportHttpError(*r);
  const json::object status = ParseObject(r->body);
  if (args.json) {
    std::printf("%s\n", r->body.c_str());
    return kExitOk;
  }
  std::printf("%s  %s  %d%%  %s\n", Str(status, "recommendation_id").c_str(),
              Str(status, "status").c_str(), Int(status, "progress"),
              Str(status, "progressMessage").c_str());
  if (Str(status, "status") == "completed") {
    const json::value* rec = status.if_contains("recommendation");
    std::printf("\n%s", RecommendationText(rec ? *rec : json::value()).c_str());
  } else if (const json::value* e = status.if_contains("error"); e && e->is_object()) {
    std::printf("error: %s (%s)\n", Str(e->get_object(), "message").c_str(),
                Str(e->get_object(), "code").c_str());
  }
  return kExitOk;
}

}  // namespace vitarec::cli
