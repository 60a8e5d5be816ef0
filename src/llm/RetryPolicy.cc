#include "llm/RetryPolicy.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

namespace vitarec::llm {
namespace {

bool StatusRetryable(int status) {
  return status == 408 || status == 409 || status == 429 || (status >= 500 && status <= 599);
}

// A request error reported inside the stream: retrying the same request gets the same answer.
bool RequestError(const CallFailure& f) {
  if (f.error_type.find("invalid_request") != std::string::npos) return true;
  int code = 0;
  const auto [end, ec] =
      std::from_chars(f.error_code.data(), f.error_code.data() + f.error_code.size(), code);
  return ec == std::errc() && end == f.error_code.data() + f.error_code.size() && code >= 400 &&
         code <= 499 && !StatusRetryable(code);
}

std::optional<int> Int(std::string_view s) {
  int v = 0;
  if (s.empty()) return std::nullopt;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

std::optional<unsigned> Month(std::string_view m) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (unsigned i = 0; i < kMonths.size(); ++i)
    if (kMonths[i] == m) return i + 1;
  return std::nullopt;
}

bool DayName(std::string_view d) {
  static constexpr std::string_view kDays[] = {
      "Mon",    "Tue",     "Wed",       "Thu",      "Fri",    "Sat",      "Sun",
      "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
  return std::find(std::begin(kDays), std::end(kDays), d) != std::end(kDays);
}

std::optional<core::TimePoint> HttpDate(std::string_view value, core::TimePoint now) {
  std::string text(value);
  for (char& c : text)
    if (c == ',' || c == '-') c = ' ';
  std::vector<std::string_view> t;
  std::string_view rest(text);
  while (!rest.empty()) {
    const std::size_t b = rest.find_first_not_of(' ');
    if (b == std::string_view::npos) break;
    rest.remove_prefix(b);
    const std::size_t e = std::min(rest.find(' '), rest.size());
    t.push_back(rest.substr(0, e));
    rest.remove_prefix(e);
  }
  std::string_view day, month, year, time;
  if (t.size() == 6 && t[5] == "GMT") {  // IMF-fixdate or RFC 850
    day = t[1], month = t[2], year = t[3], time = t[4];
  } else if (t.size() == 5) {  // asctime
    month = t[1], day = t[2], time = t[3], year = t[4];
  } else {
    return std::nullopt;
  }
  if (!DayName(t[0]) || time.size() != 8 || time[2] != ':' || time[5] != ':') return std::nullopt;
  const auto d = Int(day), y = Int(year), hh = Int(time.substr(0, 2)), mm = Int(time.substr(3, 2)),
             ss = Int(time.substr(6, 2));
  const auto m = Month(month);
  if (!d || !y || !hh || !mm || !ss || !m || (year.size() != 2 && year.size() != 4) ||
      day.size() > 2 || *hh > 23 || *mm > 59 || *ss > 60)
    return std::nullopt;
  int full_year = *y;
  if (year.size() == 2) {
    // RFC 9110: a two-digit year more than 50 years ahead is in the past century.
    const auto today = std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(now));
    const int now_year = static_cast<int>(today.year());
    full_year = now_year - now_year % 100 + *y;
    if (full_year > now_year + 50) full_year -= 100;
  }
  const std::chrono::year_month_day date{std::chrono::year(full_year), std::chrono::month(*m),
                                         std::chrono::day(static_cast<unsigned>(*d))};
  if (!date.ok()) return std::nullopt;
  const auto at = std::chrono::sys_days(date) + std::chrono::hours(*hh) +
                  std::chrono::minutes(*mm) + std::chrono::seconds(std::min(*ss, 59));
  return std::chrono::time_point_cast<core::Millis>(at);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool Retryable(const CallFailure& failure) {
  if (failure.content_received) return false;
  switch (failure.kind) {
    case FailureKind::kConnect:
    case FailureKind::kConnectionLost:
    case FailureKind::kConnectTimeout:
    case FailureKind::kFirstTokenTimeout:
      return true;
    case FailureKind::kHttpStatus:
      return !QuotaExhausted(failure) && StatusRetryable(failure.http_status);
    case FailureKind::kStreamError:
      return !QuotaExhausted(failure) && !RequestError(failure);
    case FailureKind::kIdleTimeout:
    case FailureKind::kTotalTimeout:
    case FailureKind::kMalformed:
    case FailureKind::kRefusal:
    case FailureKind::kEmpty:
      return false;
  }
  return false;
}

core::Millis BackoffDelay(int attempts_made, double unit_random, const RetryOptions& options) {
  const int doublings = std::clamp(attempts_made - 1, 0, 30);
  const double ceiling = std::min(static_cast<double>(options.max_delay.count()),
                                  options.base_delay.count() * std::ldexp(1.0, doublings));
  const double u = std::clamp(unit_random, 0.0, 1.0);
  return core::Millis(static_cast<std::int64_t>(ceiling / 2 + u * ceiling / 2));
}

RetryDecision DecideRetry(const CallFailure& failure, int attempts_made, core::Millis time_left,
                          double unit_random, const RetryOptions& options) {
  if (!Retryable(failure)) return {false, core::Millis(0), "not_retryable"};
  if (attempts_made >= options.max_attempts) return {false, core::Millis(0), "attempts_exhausted"};
  RetryDecision d{true, BackoffDelay(attempts_made, unit_random, options), "backoff"};
  if (failure.retry_after) {
    if (*failure.retry_after > options.retry_after_cap)
      return {false, core::Millis(0), "retry_after_over_cap"};
    d = {true, *failure.retry_after, "retry_after"};
  }
  if (d.delay >= time_left) return {false, core::Millis(0), "no_time_left"};
  return d;
}

std::optional<core::Millis> ParseRetryAfter(std::string_view value, core::TimePoint now) {
  value = Trim(value);
  if (!value.empty() && value.front() >= '0' && value.front() <= '9') {
    std::int64_t seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return core::Millis(std::min<std::int64_t>(seconds, 365LL * 86400) * 1000);
  }
  const auto at = HttpDate(value, now);
  if (!at) return std::nullopt;
  return std::max(core::Millis(0), std::chrono::duration_cast<core::Millis>(*at - now));
}

std::optional<core::Millis> ParseRetryAfterMs(std::string_view value) {
  value = Trim(value);
  double ms = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size() || !(ms >= 0) ||
      ms > 365.0 * 86400 * 1000)
    return std::nullopt;
  return core::Millis(static_cast<std::int64_t>(std::ceil(ms)));
}

}  // namespace vitarec::llm
