#include "store/sqlite/SqliteCheckpointer.h"

#include <chrono>
#include <utility>

#include "core/Thread.h"
#include "store/StoreLog.h"

namespace vitarec::store::sqlite {
namespace {

// How long a writer waits for a restart at most: a checkpoint that keeps failing (a reader that
// holds an old snapshot, a full disk) must not stop every write.
constexpr std::chrono::seconds kWriterWaitLimit{3};

}  // namespace

SqliteCheckpointer::SqliteCheckpointer(std::unique_ptr<SqliteConnection> db,
                                       CheckpointOptions options)
    : db_(std::move(db)), options_(options) {
  thread_ = std::thread([this] { Run(); });
}

SqliteCheckpointer::~SqliteCheckpointer() { Close(); }

void SqliteCheckpointer::AfterCommit(int wal_frames) {
  wal_frames_.store(wal_frames, std::memory_order_relaxed);
  const int checkpointed = checkpointed_frames_.load(std::memory_order_relaxed);
  const int pending = wal_frames >= checkpointed ? wal_frames - checkpointed : wal_frames;
  if (pending < options_.passive_frames) return;
  std::unique_lock lock(mu_);
  if (!due_) {
    due_ = true;
    wake_.notify_one();
  }
  if (wal_frames < options_.writer_wait_frames) return;
  writer_waits_.fetch_add(1, std::memory_order_relaxed);
  const std::int64_t seen = restarts_;
  restarted_.wait_for(lock, kWriterWaitLimit, [&] { return restarts_ != seen || closing_; });
}

void SqliteCheckpointer::Close() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  wake_.notify_one();
  restarted_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::int64_t SqliteCheckpointer::writer_waits() const {
  return writer_waits_.load(std::memory_order_relaxed);
}

std::int64_t SqliteCheckpointer::checkpoints() const {
  std::lock_guard lock(mu_);
  return checkpoints_;
}

void SqliteCheckpointer::Run() {
  core::NameThisThread("store-checkpt");
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return due_ || closing_; });
      if (!due_) return;  // closing with nothing due: closing the last connection checkpoints
      due_ = false;
    }
    CheckpointOnce();
  }
}

void SqliteCheckpointer::CheckpointOnce() {
  auto done = db_->Checkpoint(/*restart=*/false);
  bool restarted = false;
  if (done && done->wal_frames >= options_.restart_frames) {
    // The restart holds the writer off while it copies the frames no passive round copied yet and
    // fsyncs the database file, so it comes only when little is left: each further passive round
    // copies what the writer committed during the one before (a few hundred frames, then a few
    // dozen), and each is followed by an fsync of the files, unlocked. A passive round that could
    // not copy every frame (the writer went on meanwhile) does not sync the database file, so
    // without that the restart would sync everything copied since the last restart while it
    // holds the writer off (p99 of submits with `normal`: 16-21 ms -> 13-15 ms; the rounds until
    // little is left, measured in docs/BENCHMARKS.md).
    for (int round = 0; done && round < options_.max_catch_up_rounds; ++round) {
      checkpointed_frames_.store(done->checkpointed_frames, std::memory_order_relaxed);
      if (auto synced = db_->SyncFiles(); !synced) {
        StoreLog().debug("store checkpoint sync failed error=\"{}\"", synced.error().message);
      }
      const int left = wal_frames_.load(std::memory_order_relaxed) - done->checkpointed_frames;
      if (left <= options_.restart_left_frames) break;
      done = db_->Checkpoint(/*restart=*/false);
    }
    if (done) {
      done = db_->Checkpoint(/*restart=*/true);
      restarted = done.has_value();
    }
  }
  if (!done) {
    // Tried again after a later commit. A busy restart (a long read, another process's
    // checkpoint) happens now and then; logged when it keeps failing (disk full, I/O errors).
    if (++failures_in_a_row_ == 3) {
      StoreLog().warn("store checkpoint failed error=\"{}\"", done.error().message);
    }
    return;
  }
  if (failures_in_a_row_ > 0) {
    StoreLog().info("store checkpoint recovered failures={}", failures_in_a_row_);
    failures_in_a_row_ = 0;
  }
  checkpointed_frames_.store(done->checkpointed_frames, std::memory_order_relaxed);
  StoreLog().debug("store checkpoint wal_frames={} checkpointed={}", done->wal_frames,
                   done->checkpointed_frames);
  std::lock_guard lock(mu_);
  ++checkpoints_;
  // Commits reported while this ran are in the database now; the WAL starts over at the next.
  if (restarted) {
    due_ = false;
    ++restarts_;
    restarted_.notify_all();
  }
}

}  // namespace vitarec::store::sqlite
