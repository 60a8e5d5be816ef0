// Lock-free counters and histograms for the Prometheus text format (GET /metrics). Each
// component owns its metrics and renders them; the composition root concatenates the texts.
// Recording is a few relaxed atomic increments, safe from any thread.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace vitarec::core {

// A cumulative histogram of durations with fixed bucket bounds (seconds).
class DurationHistogram {
 public:
  static constexpr std::array<double, 12> kBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1.0,  5.0};

  void Record(std::chrono::nanoseconds d) {
    const double seconds = std::chrono::duration<double>(d).count();
    std::size_t i = 0;
    while (i < kBounds.size() && seconds > kBounds[i]) ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_ns_.fetch_add(static_cast<std::uint64_t>(d.count() < 0 ? 0 : d.count()),
                      std::memory_order_relaxed);
  }

  // Appends `name_bucket{labels,le=...}`, `name_sum{labels}` and `name_count{labels}` lines.
  // `labels` is empty or like `route="submit"`.
  void Render(std::string& out, std::string_view name, std::string_view labels) const;

 private:
  std::array<std::atomic<std::uint64_t>, kBounds.size() + 1> buckets_{};  // last: +Inf
  std::atomic<std::uint64_t> sum_ns_{0};
};

// Appends "# HELP name help\n# TYPE name type\n".
void RenderHeader(std::string& out, std::string_view name, std::string_view type,
                  std::string_view help);

// Appends "name{labels} value\n" (no braces when labels is empty).
void RenderSample(std::string& out, std::string_view name, std::string_view labels, double value);

}  // namespace vitarec::core
