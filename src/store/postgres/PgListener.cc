#include "store/postgres/PgListener.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "store/StoreLog.h"

namespace vitarec::store::postgres {

PgListener::PgListener(std::unique_ptr<PgSession> session, std::function<int()> own_pid,
                       const ChangePublisher& publisher)
    : session_(std::move(session)), own_pid_(std::move(own_pid)), publisher_(publisher) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0) {
    wake_read_ = fds[0];
    wake_write_ = fds[1];
  }
  thread_ = std::thread([this] { Run(); });
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
  while (!closing_) {
    int timeout_ms = 1000;  // also bounds how late Close is noticed without the pipe
    pollfd fds[2] = {{wake_read_, POLLIN, 0}, {-1, POLLIN, 0}};
    if (!session_->connected()) {
      if (auto db = session_->Acquire(); db) {
        if (lost) {
          StoreLog().warn(
              "store listen reconnected; changes notified meanwhile were missed and are "
              "recovered by polling");
        }
        lost = false;
      } else {
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
