#include "http/RequestOptions.h"

#include <charconv>

namespace vitarec::http {
namespace {

constexpr std::size_t kMaxIdempotencyKey = 200;

}  // namespace

bool IsJsonContentType(std::string_view value) {
  const std::string_view media = value.substr(0, value.find(';'));
  std::string_view trimmed = media;
  while (!trimmed.empty() && trimmed.back() == ' ') trimmed.remove_suffix(1);
  if (EqualsIgnoreCase(trimmed, "application/json")) return true;
  return trimmed.size() > 5 && EqualsIgnoreCase(trimmed.substr(trimmed.size() - 5), "+json");
}

// Parses a non-negative integer number of seconds; nullopt when malformed.
std::optional<std::int64_t> ParseSeconds(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

// The wait a submit asked for: ?mode=sync (the cap) or "Prefer: wait=N" (RFC 7240).
std::optional<std::chrono::seconds> RequestedSyncWait(const HttpRequest& request,
                                                      std::chrono::seconds cap) {
  std::string_view mode;
  if (request.QueryParam("mode", mode) && mode == "sync") return cap;
  std::string_view prefer = request.Header("Prefer");
  while (!prefer.empty()) {
    const auto comma = prefer.find(',');
    std::string_view token = prefer.substr(0, comma);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    if (token.size() > 5 && EqualsIgnoreCase(token.substr(0, 5), "wait=")) {
      if (auto secs = ParseSeconds(token.substr(5)))
        return std::min(std::chrono::seconds(*secs), cap);
      return cap;
    }
    if (comma == std::string_view::npos) break;
    prefer.remove_prefix(comma + 1);
  }
  return std::nullopt;
}

bool ValidIdempotencyKey(std::string_view key) {
  if (key.size() > kMaxIdempotencyKey) return false;
  for (char c : key)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

}  // namespace vitarec::http
