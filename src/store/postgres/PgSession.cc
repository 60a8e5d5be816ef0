#include "store/postgres/PgSession.h"

#include <algorithm>

#include "store/StoreLog.h"

namespace vitarec::store::postgres {

PgSession::PgSession(PgSessionOptions options, std::unique_ptr<PgConnection> first)
    : options_(std::move(options)), conn_(std::move(first)), backoff_(options_.min_backoff) {
  if (conn_) backend_pid_ = conn_->BackendPid();
}

core::Result<PgConnection*> PgSession::Acquire() {
  if (conn_) return conn_.get();
  if (std::chrono::steady_clock::now() < next_attempt_) {
    return core::Fail(core::ErrorCode::kUnavailable,
                      "PostgreSQL unreachable; the " + options_.role + " connection is retrying");
  }
  auto opened = PgConnection::Open(options_.url, options_.connect_timeout);
  if (opened && options_.on_connect) {
    if (auto ready = options_.on_connect(**opened); !ready) opened = core::Fail(ready.error());
  }
  if (!opened) {
    Lost(opened.error());
    return core::Fail(std::move(opened.error()));
  }
  conn_ = std::move(*opened);
  backend_pid_ = conn_->BackendPid();
  backoff_ = options_.min_backoff;
  if (down_) {
    down_ = false;
    StoreLog().info("store database reconnected connection={}", options_.role);
  }
  return conn_.get();
}

bool PgSession::DropIfBroken() {
  if (!conn_ || !conn_->Broken()) return false;
  conn_.reset();
  backend_pid_ = 0;
  Lost(core::MakeError(core::ErrorCode::kUnavailable, "connection lost"));
  next_attempt_ = std::chrono::steady_clock::now();  // the server may be back already
  return true;
}

void PgSession::Drop(const core::Error& why) {
  if (!conn_) return;
  conn_.reset();
  backend_pid_ = 0;
  Lost(why);
  next_attempt_ = std::chrono::steady_clock::now();
}

void PgSession::Lost(const core::Error& error) {
  if (!down_) {
    down_ = true;
    StoreLog().warn("store database unreachable connection={} error=\"{}\"", options_.role,
                    error.message);
  }
  next_attempt_ = std::chrono::steady_clock::now() + backoff_;
  backoff_ = std::min(backoff_ * 2, options_.max_backoff);
}

}  // namespace vitarec::store::postgres
