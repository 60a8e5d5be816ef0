#include "core/Clock.h"

#include <ctime>

namespace vitarec::core {

TimePoint SystemClock::Now() const {
  return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
}

std::string FormatIso8601(TimePoint t) {
  const std::int64_t ms = ToUnixMillis(t);
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buf, n);
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03dZ", static_cast<int>(ms % 1000));
  out += frac;
  return out;
}

}  // namespace vitarec::core
