// The HTTP API: maps each request to its handler and builds the response. Handlers are
// coroutines on the connection's executor; they wait for the job layer (whose callbacks run on
// store threads) without blocking the I/O thread. No socket work happens here.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "http/BackendProxy.h"
#include "http/Message.h"
#include "jobs/ChangeHub.h"
#include "jobs/JobService.h"

namespace vitarec::http {

struct RouterOptions {
  std::chrono::seconds max_sync_wait{25};      // cap of ?mode=sync and Prefer: wait=N
  std::chrono::seconds max_long_poll{30};      // cap of GET status ?wait=N
  int retry_after_seconds = 3;                 // advertised while a job is processing
  std::chrono::seconds sse_heartbeat{15};      // comment lines on an idle event stream
  std::chrono::seconds sse_max_duration{600};  // then the client reconnects (Last-Event-ID)
  // When not empty, retry, cancel and /metrics require "Authorization: Bearer <admin_token>".
  std::string admin_token;
  // Produces the text of GET /metrics (Prometheus text format); unset: 404.
  std::function<std::string()> metrics;
  // Front-end tier: when set, every API route (and /readyz) is relayed to this backend and the
  // router has no job service of its own. Must outlive the router.
  BackendProxy* backend = nullptr;
};

class Router {
 public:
  // Everything passed must outlive the router. Thread-safe: one router serves every I/O thread.
  // `jobs` and `changes` may be null only with options.backend set (front-end tier).
  Router(jobs::JobService* jobs, jobs::ChangeHub* changes, RouterOptions options);

  // Never throws; every failure becomes a JSON error response.
  boost::asio::awaitable<HttpResponse> Handle(HttpRequest request);

 private:
  boost::asio::awaitable<HttpResponse> Submit(HttpRequest request, std::string status_prefix);
  boost::asio::awaitable<HttpResponse> Status(HttpRequest request, std::string id_text);
  boost::asio::awaitable<HttpResponse> Ready();
  // nullopt when the request may use admin routes, else the 401 to send.
  std::optional<HttpResponse> CheckAdmin(const HttpRequest& request) const;
  boost::asio::awaitable<HttpResponse> Events(HttpRequest request, std::string id_text);
  // POST .../{id}/retry and .../{id}/cancel.
  boost::asio::awaitable<HttpResponse> Control(std::string id_text, std::string action,
                                               std::string status_prefix);

  jobs::JobService* jobs_;
  jobs::ChangeHub* changes_;
  const RouterOptions options_;
};

}  // namespace vitarec::http
