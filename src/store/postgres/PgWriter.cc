#include "store/postgres/PgWriter.h"

#include <algorithm>
#include <exception>

#include "store/StoreLog.h"

namespace vitarec::store::postgres {
namespace {

const PgStatement kNotify{"vitarec_notify", "SELECT pg_notify($1, $2)"};

bool FailsTheTransaction(const core::Error& error) {
  return error.code == core::ErrorCode::kUnavailable || error.code == core::ErrorCode::kInternal;
}

}  // namespace

PgWriter::PgWriter(std::unique_ptr<PgSession> session, Options options,
                   const ChangePublisher& publisher)
    : options_{std::max(options.max_batch, 1), std::move(options.channel)},
      publisher_(publisher),
      session_(std::move(session)) {
  thread_ = std::thread([this] { Run(); });
}

PgWriter::~PgWriter() { Close(); }

void PgWriter::Close() {
  std::lock_guard close_lock(close_mu_);
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void PgWriter::Enqueue(std::unique_ptr<Operation> operation) {
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

void PgWriter::Run() {
  Batch batch;
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
    Commit(batch);
    Deliver(batch);
    batch.clear();
  }
}

void PgWriter::Commit(Batch& batch) {
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

std::optional<core::Error> PgWriter::RunTransaction(PgConnection& db, Batch& batch,
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
    if (auto notified = db.Run(kNotify, {Param(options_.channel), Param(payload)}); !notified) {
      return rollback(std::move(notified.error()));
    }
  }
  if (auto committed = db.Execute("COMMIT"); !committed) return rollback(committed.error());
  return std::nullopt;
}

void PgWriter::Deliver(Batch& batch) {
  // Callbacks are the caller's code: one that throws must not take the writer thread down.
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
    if (!operation->failure) {
      for (const JobChange& change : operation->changes) publisher_.Publish(change);
    }
    guarded([&] { operation->Complete(operation->failure ? &*operation->failure : nullptr); });
  }
}

}  // namespace vitarec::store::postgres
