// Keeps the WAL of a SQLite store short without stalling its writer.
//
// SQLite's automatic checkpoint runs inside the COMMIT of whichever connection crossed the
// threshold: for our single writer that means copying pages into the database file (and, unless
// synchronous=OFF, an fsync) while every queued write — and the 202 waiting on it — stands
// still. So the writer's connection has its automatic checkpoint turned off and instead reports
// the WAL size after each commit (SqliteConnection::SetWalHook → AfterCommit); past
// `passive_frames` frames not yet copied, this thread runs a PASSIVE checkpoint on its own
// connection, which copies pages while the writer goes on.
//
// Under writes without a pause a passive checkpoint never catches up completely, so the WAL
// would never start over from its beginning and its file would grow without end. Past
// `restart_frames` this thread therefore runs further passive rounds (each copying what was
// written during the one before, each followed by an unlocked fsync of the files) until only a
// few frames are left, and then a RESTART checkpoint, which holds the writer off only while it
// copies and syncs those few frames, and makes the next commit start the WAL over. If the
// writes outrun even that (`writer_wait_frames`), the writer waits after its commit until the
// restart is done: backpressure instead of an unbounded file. docs/BENCHMARKS.md has the figures.
//
// Threading: AfterCommit on the writer thread; one own thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "store/sqlite/SqliteConnection.h"

namespace vitarec::store::sqlite {

struct CheckpointOptions {
  // WAL frames (pages) that start a passive checkpoint. A page written again before it is copied
  // is copied once: at 4,000 rather than 1,000 the checkpoint copies 2.2 instead of 4.0 KiB per
  // submit under load (and as many fewer reads and writes), see docs/BENCHMARKS.md.
  int passive_frames = 4000;
  int restart_frames = 8000;  // WAL frames (32 MiB) that call for a restart checkpoint
  // Before a restart, passive rounds run (each followed by an unlocked fsync) until at most this
  // many frames are left for the restart to copy while it holds the writer off, or
  // `max_catch_up_rounds` ran.
  int restart_left_frames = 64;
  int max_catch_up_rounds = 6;
  int writer_wait_frames = 16000;  // WAL frames at which the writer waits for a restart
};

class SqliteCheckpointer {
 public:
  // Starts the thread; `db` is its own connection to the store's file.
  SqliteCheckpointer(std::unique_ptr<SqliteConnection> db, CheckpointOptions options);
  SqliteCheckpointer(const SqliteCheckpointer&) = delete;
  SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;
  ~SqliteCheckpointer();  // Close()

  // Called by the writer after each commit, with the frames now in the WAL: checkpoints when
  // `passive_frames` of them are not in the database yet. Cheap when there is nothing to do or a
  // checkpoint is due. When the WAL has grown past `writer_wait_frames` all the same (this thread
  // cannot keep up with the writes), blocks the writer until this thread restarted the WAL (or
  // a few seconds passed): backpressure instead of a WAL file without bound.
  void AfterCommit(int wal_frames);

  // Runs a last checkpoint if one is due, then joins the thread. Idempotent.
  void Close();

  std::int64_t checkpoints() const;   // run by this thread since start
  std::int64_t writer_waits() const;  // times the writer waited for a restart since start

 private:
  void Run();
  void CheckpointOnce();

  std::unique_ptr<SqliteConnection> db_;  // used only by thread_
  const CheckpointOptions options_;
  std::int64_t failures_in_a_row_ = 0;  // used only by thread_
  // Frames of the current WAL known to be in the database (the WAL restarts from 0 after a
  // restart checkpoint, which Notify sees as a count below this one).
  std::atomic<int> checkpointed_frames_{0};
  std::atomic<int> wal_frames_{0};  // the WAL's size in frames after the writer's last commit
  std::atomic<std::int64_t> writer_waits_{0};

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable restarted_;  // signals restarts_ changed
  bool due_ = false;                   // guarded by mu_
  bool closing_ = false;               // guarded by mu_
  std::int64_t checkpoints_ = 0;       // guarded by mu_
  std::int64_t restarts_ = 0;          // guarded by mu_
  std::thread thread_;
};

}  // namespace vitarec::store::sqlite
