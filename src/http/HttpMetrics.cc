#include "http/HttpMetrics.h"

namespace vitarec::http {

Route ClassifyRoute(std::string_view path) {
  if (path == "/portal/recommend" || path == "/api/portal/quiz") return Route::kSubmit;
  if (path.starts_with("/portal/status/") || path.starts_with("/api/portal/status/"))
    return Route::kStatus;
  if (path.starts_with("/portal/events/") || path.starts_with("/api/portal/events/"))
    return Route::kEvents;
  if (path.starts_with("/portal/recommend/") || path.starts_with("/api/portal/recommend/"))
    return Route::kControl;
  if (path == "/" || path.starts_with("/portal") || path.starts_with("/static/"))
    return Route::kPage;
  if (path == "/healthz" || path == "/readyz") return Route::kHealth;
  if (path == "/metrics") return Route::kMetrics;
  return Route::kOther;
}

std::string_view RouteName(Route route) {
  switch (route) {
    case Route::kSubmit:
      return "submit";
    case Route::kStatus:
      return "status";
    case Route::kEvents:
      return "events";
    case Route::kControl:
      return "control";
    case Route::kPage:
      return "page";
    case Route::kHealth:
      return "health";
    case Route::kMetrics:
      return "metrics";
    case Route::kOther:
      return "other";
  }
  return "other";
}

void HttpMetrics::Record(Route route, int status, std::chrono::nanoseconds duration) {
  const auto r = static_cast<std::size_t>(route);
  std::size_t slot = kStatuses.size();
  for (std::size_t i = 0; i < kStatuses.size(); ++i) {
    if (kStatuses[i] == status) {
      slot = i;
      break;
    }
  }
  counts_[r][slot].fetch_add(1, std::memory_order_relaxed);
  latency_[r].Record(duration);
}

void HttpMetrics::Render(std::string& out, int open_connections) const {
  core::RenderHeader(out, "vitarec_http_requests_total", "counter",
                     "HTTP requests answered, by route and status code");
  for (std::size_t r = 0; r < kRouteCount; ++r) {
    const std::string route(RouteName(static_cast<Route>(r)));
    for (std::size_t i = 0; i <= kStatuses.size(); ++i) {
      const std::uint64_t n = counts_[r][i].load(std::memory_order_relaxed);
      if (n == 0) continue;
      const std::string code = i < kStatuses.size() ? std::to_string(kStatuses[i]) : "other";
      core::RenderSample(out, "vitarec_http_requests_total",
                         "route=\"" + route + "\",code=\"" + code + "\"", static_cast<double>(n));
    }
  }
  core::RenderHeader(out, "vitarec_http_request_duration_seconds", "histogram",
                     "Time from a request's arrival to its response being written, by route");
  for (std::size_t r = 0; r < kRouteCount; ++r) {
    latency_[r].Render(out, "vitarec_http_request_duration_seconds",
                       "route=\"" + std::string(RouteName(static_cast<Route>(r))) + "\"");
  }
  core::RenderHeader(out, "vitarec_http_open_connections", "gauge", "Open client connections");
  core::RenderSample(out, "vitarec_http_open_connections", "", open_connections);
}

}  // namespace vitarec::http
