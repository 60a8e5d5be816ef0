#include "store/sqlite/SqliteWriter.h"

#include <algorithm>
#include <exception>

#include "store/StoreLog.h"

namespace vitarec::store::sqlite {
namespace {

constexpr std::string_view kBegin = "BEGIN IMMEDIATE";
constexpr std::string_view kCommit = "COMMIT";
constexpr std::string_view kRollback = "ROLLBACK";
constexpr std::string_view kSavepoint = "SAVEPOINT operation";
constexpr std::string_view kRelease = "RELEASE operation";
constexpr std::string_view kRollbackToSavepoint = "ROLLBACK TO operation";

}  // namespace

SqliteWriter::SqliteWriter(std::unique_ptr<SqliteConnection> db, Options options)
    : options_{std::max(options.max_batch, 1)}, db_(std::move(db)) {
  thread_ = std::thread([this] { Run(); });
}

SqliteWriter::~SqliteWriter() { Close(); }

void SqliteWriter::SetChangeListener(ChangeListener listener) {
  auto shared = std::make_shared<const ChangeListener>(std::move(listener));
  std::lock_guard lock(mu_);
  listener_ = std::move(shared);
}

void SqliteWriter::Close() {
  std::lock_guard close_lock(close_mu_);
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void SqliteWriter::Enqueue(std::unique_ptr<Operation> operation) {
  {
    std::lock_guard lock(mu_);
    if (!closing_) {
      queue_.push_back(std::move(operation));
      wake_.notify_one();
      return;
    }
  }
  const core::Error closed = core::MakeError(core::ErrorCode::kUnavailable, "store closed");
  operation->Complete(&closed);
}

void SqliteWriter::Run() {
  Batch batch;
  batch.reserve(static_cast<std::size_t>(options_.max_batch));
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, and everything queued before has been run
      while (!queue_.empty() && batch.size() < static_cast<std::size_t>(options_.max_batch)) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    const std::optional<core::Error> batch_error = Commit(batch);
    Deliver(batch, batch_error ? &*batch_error : nullptr);
    batch.clear();
  }
}

std::optional<core::Error> SqliteWriter::Commit(Batch& batch) {
  auto abort = [this, &batch](core::Error error) -> std::optional<core::Error> {
    // A rollback that fails leaves SQLite to discard the transaction when the connection next
    // begins one; the batch has failed either way.
    std::string rollback_note;
    if (db_->InTransaction()) {
      if (auto rolled_back = db_->Execute(kRollback); !rolled_back) {
        rollback_note = " rollback_error=\"" + rolled_back.error().message + "\"";
      }
    }
    error.code = core::ErrorCode::kUnavailable;
    // Logged when writes start failing, not for every batch while the fault lasts.
    if (failed_batches_++ == 0) {
      StoreLog().error("store write batch failed ops={} error=\"{}\"{}", batch.size(),
                       error.message, rollback_note);
    }
    return error;
  };

  if (auto begun = db_->Execute(kBegin); !begun) return abort(std::move(begun.error()));
  for (auto& operation : batch) {
    if (auto saved = db_->Execute(kSavepoint); !saved) return abort(std::move(saved.error()));
    const std::optional<core::Error> failed = operation->Apply(*db_);
    if (!failed) {
      if (auto released = db_->Execute(kRelease); !released) {
        return abort(std::move(released.error()));
      }
      continue;
    }
    // SQLite may have rolled the whole transaction back on its own (e.g. SQLITE_FULL).
    if (failed->code == core::ErrorCode::kUnavailable || !db_->InTransaction()) {
      return abort(*failed);
    }
    if (failed->code == core::ErrorCode::kInternal) {
      StoreLog().error("store write failed error=\"{}\"", failed->message);
    }
    operation->changes.clear();
    if (auto undone = db_->Execute(kRollbackToSavepoint); !undone) {
      return abort(std::move(undone.error()));
    }
    if (auto released = db_->Execute(kRelease); !released) {
      return abort(std::move(released.error()));
    }
  }
  if (auto committed = db_->Execute(kCommit); !committed) {
    return abort(std::move(committed.error()));
  }
  if (failed_batches_ > 0) {
    StoreLog().info("store writes recovered failed_batches={}", failed_batches_);
    failed_batches_ = 0;
  }
  return std::nullopt;
}

void SqliteWriter::Deliver(Batch& batch, const core::Error* batch_error) {
  std::shared_ptr<const ChangeListener> listener;
  {
    std::lock_guard lock(mu_);
    listener = listener_;
  }
  // Callbacks and the listener are the caller's code: one that throws must not take the writer
  // thread (and with it every later write) down, nor keep another callback from running.
  auto guarded = [](auto&& call) {
    try {
      call();
    } catch (const std::exception& e) {
      StoreLog().error("store callback threw error=\"{}\"", e.what());
    } catch (...) {
      StoreLog().error("store callback threw error=unknown");
    }
  };
  for (auto& operation : batch) {
    if (batch_error == nullptr && listener && *listener) {
      for (const JobChange& change : operation->changes) guarded([&] { (*listener)(change); });
    }
    guarded([&] { operation->Complete(batch_error); });
  }
}

}  // namespace vitarec::store::sqlite
