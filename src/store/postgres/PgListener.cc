#include "store/postgres/PgListener.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "core/Thread.h"
#include "store/StoreLog.h"

namespace vitarec::store::postgres {
namespace {

// Notifications sent while the LISTEN connection was down are lost. On reconnection (after
// LISTEN, so nothing falls between) every job changed since shortly before the loss is published
// again, so that long-polls and event streams waiting on this node see what they missed
// (a change published twice is harmless: waiters compare versions). The margin covers a loss
// noticed late (TCP keep-alive) and clocks of other nodes behind this one's.
const PgStatement kChangedSince{"vitarec_listen_changed_since",
                                "SELECT id, version, state FROM jobs WHERE updated_at >= $1"};
constexpr std::int64_t kCatchUpMarginMs = 60'000;

std::int64_t WallMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Publishes every job changed since `since_ms`; false when the query failed.
bool CatchUp(PgConnection& db, std::int64_t since_ms, const ChangePublisher& publisher) {
  auto rows = db.Run(kChangedSince, {Param(since_ms)});
  if (!rows) {
    StoreLog().warn("store listen catch-up failed error=\"{}\"", rows.error().message);
    return false;
  }
  for (int r = 0; r < rows->Rows(); ++r) {
    const auto state = ParseJobState(rows->Text(r, 2));
    if (!state) continue;
    JobChange change;
    change.id = rows->Text(r, 0);
    change.version = rows->Int(r, 1);
    change.state = *state;
    publisher.Publish(change);
  }
  StoreLog().info("store listen caught up changes={}", rows->Rows());
  return true;
}

}  // namespace

PgListener::PgListener(std::unique_ptr<PgSession> session, std::function<int()> own_pid,
                       const ChangePublisher& publisher)
    : session_(std::move(session)), own_pid_(std::move(own_pid)), publisher_(publisher) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0) {
    wake_read_ = fds[0];
    wake_write_ = fds[1];
  }
  thread_ = std::thread([this] {
    core::NameThisThread("pg-listener");
    Run();
  });
}

PgListener::~PgListener() {
  Close();
  if (wake_read_ >= 0) ::close(wake_read_);
  if (wake_write_ >= 0) ::close(wake_write_);
}

void PgListener::Close() {
  if (closing_.exchange(true)) return;
  if (wake_write_ >= 0) {
    const char byte = 1;
    (void)!::write(wake_write_, &byte, 1);
  }
  if (thread_.joinable()) thread_.join();
}

void PgListener::Run() {
  bool lost = false;
  std::int64_t lost_at_ms = 0;
  while (!closing_) {
    int timeout_ms = 1000;  // also bounds how late Close is noticed without the pipe
    pollfd fds[2] = {{wake_read_, POLLIN, 0}, {-1, POLLIN, 0}};
    if (!session_->connected()) {
      if (auto db = session_->Acquire(); db) {
        if (lost) {
          StoreLog().warn("store listen reconnected; looking up the changes notified meanwhile");
          if (!CatchUp(**db, lost_at_ms - kCatchUpMarginMs, publisher_) && (*db)->Broken()) {
            session_->Drop(core::MakeError(core::ErrorCode::kUnavailable,
                                           "listen connection lost during the catch-up"));
            continue;  // still lost: caught up at the next reconnection
          }
        }
        lost = false;
      } else {
        if (!lost) lost_at_ms = WallMillis();
        lost = true;
        const auto wait = session_->next_attempt() - std::chrono::steady_clock::now();
        timeout_ms = static_cast<int>(std::clamp<std::int64_t>(
            std::chrono::duration_cast<std::chrono::milliseconds>(wait).count(), 1, 1000));
      }
    }
    PgConnection* db = nullptr;
    if (session_->connected()) {
      db = *session_->Acquire();
      fds[1].fd = db->Socket();
    }
    if (::poll(fds, 2, timeout_ms) < 0) continue;  // EINTR
    if (fds[0].revents != 0 || closing_) break;
    if (db == nullptr || fds[1].revents == 0) continue;
    if (PQconsumeInput(db->raw()) == 0 || db->Broken()) {
      if (!lost) lost_at_ms = WallMillis();
      lost = true;
      session_->Drop(
          core::MakeError(core::ErrorCode::kUnavailable,
                          "listen connection lost: " + std::string(PQerrorMessage(db->raw()))));
      continue;
    }
    Drain(*db);
  }
}

void PgListener::Drain(PgConnection& db) {
  const int own = own_pid_();
  while (PGnotify* notify = PQnotifies(db.raw())) {
    if (notify->be_pid != own) {
      for (const JobChange& change : DecodePayload(notify->extra)) publisher_.Publish(change);
    }
    PQfreemem(notify);
  }
}

}  // namespace vitarec::store::postgres
