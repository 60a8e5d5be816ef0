// A connection that comes back by itself: the owner asks for it before each use; while the
// server is unreachable the request fails at once with kUnavailable, and a new connection is
// tried when the backoff (doubling from min_backoff to max_backoff) has passed. Losing and
// regaining the connection is logged once each, without the URL (it may hold a password).
//
// Threading: not thread-safe; owned by one store thread. backend_pid() may be read anywhere.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/Clock.h"
#include "core/Error.h"
#include "store/postgres/PgConnection.h"

namespace vitarec::store::postgres {

struct PgSessionOptions {
  std::string url;
  std::string role;  // for logs: "writer", "reader", "listener"
  core::Millis connect_timeout{5000};
  core::Millis min_backoff{100};
  core::Millis max_backoff{5000};
  // Runs on each new connection before it is handed out (e.g. LISTEN); a failure discards it.
  std::function<core::Result<void>(PgConnection&)> on_connect;
};

class PgSession {
 public:
  // `first` is an already open connection, or null to connect at the first Acquire.
  PgSession(PgSessionOptions options, std::unique_ptr<PgConnection> first);

  // The open connection, connecting first when there is none and the backoff has passed;
  // kUnavailable otherwise.
  core::Result<PgConnection*> Acquire();

  // Drops the connection when it is broken (call after a failed statement), so that the next
  // Acquire reconnects. Returns whether it was dropped.
  bool DropIfBroken();

  // Drops the connection whatever its status (after a protocol-level failure).
  void Drop(const core::Error& why);

  bool connected() const { return conn_ != nullptr; }
  // When the next connection attempt is allowed (for owners that wait for it).
  std::chrono::steady_clock::time_point next_attempt() const { return next_attempt_; }
  // The server process of the current connection, 0 when none.
  int backend_pid() const { return backend_pid_.load(); }

 private:
  void Lost(const core::Error& error);

  const PgSessionOptions options_;
  std::unique_ptr<PgConnection> conn_;
  std::chrono::steady_clock::time_point next_attempt_{};
  core::Millis backoff_;
  bool down_ = false;  // logged as lost, not yet logged as back
  std::atomic<int> backend_pid_{0};
};

}  // namespace vitarec::store::postgres
