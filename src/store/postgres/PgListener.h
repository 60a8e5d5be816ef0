// The LISTEN side of a PostgreSQL store: a dedicated connection and thread that hears the
// changes other nodes (other stores on the same database and schema) commit, and hands them to
// the store's ChangeListener. Changes committed by this store's own writer are published by the
// writer itself, before their callbacks; their notifications are recognised by the writer's
// backend pid and skipped here.
//
// Connection loss: the thread reconnects with backoff and listens again. Notifications sent
// while it was disconnected are lost (PostgreSQL keeps none for absent listeners), so once it
// listens again it publishes every job changed since shortly before the loss (by updated_at;
// event streams, which do not re-read on their heartbeats, depend on it). Workers also poll
// at their own interval. The reconnection is logged.
//
// Threading: the listener runs on this class's thread, possibly at the same time as the writer
// thread runs it for local changes.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "store/postgres/PgChanges.h"
#include "store/postgres/PgSession.h"

namespace vitarec::store::postgres {

class PgListener {
 public:
  // Starts the thread, which owns `session` (whose on_connect must LISTEN on the channel).
  // `own_pid` answers the backend pid whose notifications are skipped. `publisher` must outlive
  // this object.
  PgListener(std::unique_ptr<PgSession> session, std::function<int()> own_pid,
             const ChangePublisher& publisher);
  PgListener(const PgListener&) = delete;
  PgListener& operator=(const PgListener&) = delete;
  ~PgListener();  // Close()

  // Stops the thread and closes the connection. Idempotent.
  void Close();

 private:
  void Run();
  void Drain(PgConnection& db);  // publishes the notifications received

  const std::unique_ptr<PgSession> session_;  // used only by thread_
  const std::function<int()> own_pid_;
  const ChangePublisher& publisher_;
  int wake_read_ = -1;  // a pipe: Close writes to it to interrupt the thread's poll
  int wake_write_ = -1;
  std::atomic<bool> closing_{false};
  std::thread thread_;
};

}  // namespace vitarec::store::postgres
