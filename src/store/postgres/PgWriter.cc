#include "store/postgres/PgWriter.h"

#include <string>
#include <vector>

#include "store/StoreLog.h"
#include "store/postgres/PgChanges.h"

namespace vitarec::store::postgres {
namespace {

const PgStatement kNotify{"vitarec_notify", "SELECT pg_notify($1, $2)"};

bool FailsTheTransaction(const core::Error& error) {
  return error.code == core::ErrorCode::kUnavailable || error.code == core::ErrorCode::kInternal;
}

}  // namespace

void PgCommitter::Commit(WriteBatch<PgConnection>& batch) {
  auto fail_from = [&](std::size_t first, const core::Error& error) {
    if (failed_batches_++ == 0) {
      StoreLog().error("store write batch failed ops={} error=\"{}\"", batch.size() - first,
                       error.message);
    }
    for (std::size_t i = first; i < batch.size(); ++i) batch[i]->failure = error;
  };
  auto db = session_->Acquire();
  if (!db) return fail_from(0, db.error());

  bool began = false;
  std::optional<core::Error> aborted = RunTransaction(**db, batch, 0, batch.size(), &began);
  if (aborted && !began && session_->DropIfBroken()) {
    // The connection died while idle (e.g. the server restarted); nothing was sent: try a new one.
    db = session_->Acquire();
    if (!db) return fail_from(0, db.error());
    aborted = RunTransaction(**db, batch, 0, batch.size(), &began);
  }
  if (!aborted) {
    if (failed_batches_ > 0) {
      StoreLog().info("store writes recovered failed_batches={}", failed_batches_);
      failed_batches_ = 0;
    }
    return;
  }
  if (session_->DropIfBroken()) return fail_from(0, *aborted);
  if (batch.size() == 1) {
    if (aborted->code == core::ErrorCode::kInternal) {
      StoreLog().error("store write failed error=\"{}\"", aborted->message);
    }
    batch[0]->failure = *aborted;
    return;
  }
  // One statement failed the whole transaction: run each operation alone.
  for (std::size_t i = 0; i < batch.size(); ++i) {
    std::optional<core::Error> failed = RunTransaction(**db, batch, i, i + 1, &began);
    if (!failed) continue;
    if (session_->DropIfBroken()) return fail_from(i, *failed);
    if (failed->code == core::ErrorCode::kInternal) {
      StoreLog().error("store write failed error=\"{}\"", failed->message);
    }
    batch[i]->failure = std::move(failed);
  }
}

std::optional<core::Error> PgCommitter::RunTransaction(PgConnection& db,
                                                       WriteBatch<PgConnection>& batch,
                                                       std::size_t first, std::size_t last,
                                                       bool* began) {
  auto rollback = [&db](core::Error error) -> std::optional<core::Error> {
    if (!db.Broken()) (void)db.Execute("ROLLBACK");
    return error;
  };
  *began = false;
  if (auto begun = db.Execute("BEGIN"); !begun) return rollback(std::move(begun.error()));
  *began = true;
  std::vector<JobChange> changes;
  for (std::size_t i = first; i < last; ++i) {
    std::optional<core::Error> failed = batch[i]->Apply(db);
    if (failed && FailsTheTransaction(*failed)) return rollback(std::move(*failed));
    changes.insert(changes.end(), batch[i]->changes.begin(), batch[i]->changes.end());
  }
  for (const std::string& payload : EncodePayloads(changes)) {
    if (auto notified = db.Run(kNotify, {Param(channel_), Param(payload)}); !notified) {
      return rollback(std::move(notified.error()));
    }
  }
  if (auto committed = db.Execute("COMMIT"); !committed) return rollback(committed.error());
  return std::nullopt;
}

}  // namespace vitarec::store::postgres
