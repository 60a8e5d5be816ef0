// Request counts by route and status, and latency histograms by route, recorded by the server
// after each response; rendered for GET /metrics. Lock-free; safe from every I/O thread.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "core/Metrics.h"

namespace vitarec::http {

enum class Route { kSubmit, kStatus, kEvents, kControl, kPage, kHealth, kMetrics, kOther };
inline constexpr std::size_t kRouteCount = 8;

// The route label of a request path ("submit", "status", ...); bounded, so that a client
// cannot create new time series.
Route ClassifyRoute(std::string_view path);
std::string_view RouteName(Route route);

class HttpMetrics {
 public:
  void Record(Route route, int status, std::chrono::nanoseconds duration);
  // Appends the HTTP families; `open_connections` is the current number of connections.
  void Render(std::string& out, int open_connections) const;

 private:
  static constexpr std::array<int, 20> kStatuses = {200, 202, 204, 302, 304, 400, 401,
                                                    404, 405, 409, 410, 413, 414, 415,
                                                    429, 431, 500, 502, 503, 504};
  // [route][status slot]; the last slot counts any other status.
  std::array<std::array<std::atomic<std::uint64_t>, kStatuses.size() + 1>, kRouteCount> counts_{};
  std::array<core::DurationHistogram, kRouteCount> latency_;
};

}  // namespace vitarec::http
