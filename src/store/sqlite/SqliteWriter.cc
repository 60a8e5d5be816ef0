#include "store/sqlite/SqliteWriter.h"

#include <string>
#include <string_view>
#include <utility>

#include "store/StoreLog.h"
#include "store/sqlite/BufferedWalVfs.h"

namespace vitarec::store::sqlite {
namespace {

constexpr std::string_view kBegin = "BEGIN IMMEDIATE";
constexpr std::string_view kCommit = "COMMIT";
constexpr std::string_view kRollback = "ROLLBACK";
constexpr std::string_view kSavepoint = "SAVEPOINT operation";
constexpr std::string_view kRelease = "RELEASE operation";
constexpr std::string_view kRollbackToSavepoint = "ROLLBACK TO operation";

}  // namespace

void SqliteCommitter::Commit(WriteBatch<SqliteConnection>& batch) {
  const std::optional<core::Error> batch_error = RunTransaction(batch);
  if (!batch_error) return;
  for (auto& operation : batch) operation->failure = batch_error;
}

std::optional<core::Error> SqliteCommitter::RunTransaction(WriteBatch<SqliteConnection>& batch) {
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
  core::Result<void> committed;
  {
    DeferredWalSync deferred(defer_sync_);
    committed = db_->Execute(kCommit);
  }
  if (!committed) return abort(std::move(committed.error()));
  if (failed_batches_ > 0) {
    StoreLog().info("store writes recovered failed_batches={}", failed_batches_);
    failed_batches_ = 0;
  }
  return std::nullopt;
}

}  // namespace vitarec::store::sqlite
