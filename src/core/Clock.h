// Wall-clock time behind one seam, so that leases, retries and retention are tested with a
// FakeClock that never sleeps. All persisted times are UTC milliseconds since the Unix epoch.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace vitarec::core {

using Millis = std::chrono::milliseconds;
using TimePoint = std::chrono::time_point<std::chrono::system_clock, Millis>;

inline std::int64_t ToUnixMillis(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromUnixMillis(std::int64_t ms) { return TimePoint(Millis(ms)); }

// "2026-11-28T14:20:56.123Z".
std::string FormatIso8601(TimePoint t);

class Clock {
 public:
  virtual ~Clock() = default;
  // The current time. Thread-safe.
  virtual TimePoint Now() const = 0;
};

// The operating system's clock.
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
};

// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start = FromUnixMillis(1'800'000'000'000))
      : now_ms_(ToUnixMillis(start)) {}
  TimePoint Now() const override { return FromUnixMillis(now_ms_.load()); }
  void Advance(Millis d) { now_ms_ += d.count(); }
  void Set(TimePoint t) { now_ms_ = ToUnixMillis(t); }

 private:
  std::atomic<std::int64_t> now_ms_;
};

}  // namespace vitarec::core
