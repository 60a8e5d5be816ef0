// Pure readers of request details the API interprets: the JSON content type, the wait a
// synchronous call asks for (?mode=sync, "Prefer: wait=N"), whole seconds, Idempotency-Key.
// No I/O; unit-tested in tests/http/RequestOptionsTest.cc.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "http/Message.h"

namespace vitarec::http {

// "application/json" or any "+json" media type, parameters (charset) ignored.
bool IsJsonContentType(std::string_view value);

// A non-negative whole number; nullopt when malformed.
std::optional<std::int64_t> ParseSeconds(std::string_view text);

// The wait a submit asked for: ?mode=sync (the cap) or "Prefer: wait=N" (RFC 7240, capped);
// nullopt when neither is present.
std::optional<std::chrono::seconds> RequestedSyncWait(const HttpRequest& request,
                                                      std::chrono::seconds cap);

// At most 200 visible ASCII characters.
bool ValidIdempotencyKey(std::string_view key);

}  // namespace vitarec::http
