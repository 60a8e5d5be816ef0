#include "store/postgres/PostgresStore.h"

#include <utility>
#include <vector>

#include "store/StoreLog.h"
#include "store/postgres/PgJobRow.h"
#include "store/postgres/PgJobWrites.h"
#include "store/postgres/PgMigrations.h"

namespace vitarec::store::postgres {
namespace {

template <typename T>
core::Result<T> LogInternal(core::Result<T> result) {
  if (!result && result.error().code == core::ErrorCode::kInternal) {
    StoreLog().error("store read failed error=\"{}\"", result.error().message);
  }
  return result;
}

}  // namespace

core::Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(
    const std::string& url, const PostgresStoreOptions& options) {
  if (options.reader_threads < 1) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "reader_threads must be at least 1",
                      "reader_threads");
  }
  if (options.max_batch < 1) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "max_batch must be at least 1",
                      "max_batch");
  }
  auto session_options = [&](std::string role) {
    PgSessionOptions o;
    o.url = url;
    o.role = std::move(role);
    o.connect_timeout = options.connect_timeout;
    return o;
  };

  auto write_db = PgConnection::Open(url, options.connect_timeout);
  if (!write_db) return core::Fail(std::move(write_db.error()));
  auto channel = NotifyChannel(**write_db);
  if (!channel) return core::Fail(std::move(channel.error()));
  if (auto migrated = Migrate(**write_db); !migrated) {
    return core::Fail(std::move(migrated.error()));
  }

  std::vector<std::unique_ptr<PgSession>> readers;
  for (int i = 0; i < options.reader_threads; ++i) {
    auto read_db = PgConnection::Open(url, options.connect_timeout);
    if (!read_db) return core::Fail(std::move(read_db.error()));
    readers.push_back(std::make_unique<PgSession>(session_options("reader"), std::move(*read_db)));
  }

  PgSessionOptions listen_options = session_options("listener");
  // The channel is "vitarec_jobs_" + hex digits: a plain identifier, safe to embed.
  listen_options.on_connect = [listen =
                                   "LISTEN " + *channel](PgConnection& db) -> core::Result<void> {
    auto listened = db.Execute(listen);
    if (!listened) return core::Fail(std::move(listened.error()));
    return {};
  };
  auto listen_db = PgConnection::Open(url, options.connect_timeout);
  if (!listen_db) return core::Fail(std::move(listen_db.error()));
  if (auto listened = listen_options.on_connect(**listen_db); !listened) {
    return core::Fail(std::move(listened.error()));
  }

  std::unique_ptr<PostgresStore> store(new PostgresStore());
  store->writer_ = std::make_unique<PgWriter>(
      std::make_unique<PgSession>(session_options("writer"), std::move(*write_db)),
      PgWriter::Options{options.max_batch, *channel}, store->publisher_);
  store->readers_ = std::make_unique<PgReaderPool>(std::move(readers));
  PgWriter* writer = store->writer_.get();
  store->listener_ = std::make_unique<PgListener>(
      std::make_unique<PgSession>(std::move(listen_options), std::move(*listen_db)),
      [writer] { return writer->backend_pid(); }, store->publisher_);
  return store;
}

PostgresStore::~PostgresStore() {
  // Readers first: a read's callback may still start a write, which the writer then runs. The
  // listener last: it reads the writer's pid.
  readers_->Close();
  writer_->Close();
  listener_->Close();
}

void PostgresStore::SetChangeListener(ChangeListener listener) {
  publisher_.Set(std::move(listener));
}

void PostgresStore::Insert(NewJob job, Callback<InsertOutcome> done) {
  writer_->Submit<InsertOutcome>(
      [job = std::move(job)](PgConnection& db, std::vector<JobChange>& changes) {
        return WriteInsert(db, job, changes);
      },
      std::move(done));
}

void PostgresStore::Get(std::string id, Callback<Job> done) {
  readers_->Submit<Job>(
      [id = std::move(id)](PgConnection& db) { return LogInternal(FindJobById(db, id)); },
      std::move(done));
}

void PostgresStore::Claim(ClaimOptions options, Callback<std::vector<Job>> done) {
  writer_->Submit<std::vector<Job>>(
      [options = std::move(options)](PgConnection& db, std::vector<JobChange>& changes) {
        return WriteClaim(db, options, changes);
      },
      std::move(done));
}

void PostgresStore::UpdateProgress(Lease lease, int progress, std::string message,
                                   core::TimePoint now, Callback<void> done) {
  writer_->Submit<void>(
      [lease = std::move(lease), progress, message = std::move(message), now](
          PgConnection& db, std::vector<JobChange>& changes) {
        return WriteProgress(db, lease, progress, message, now, changes);
      },
      std::move(done));
}

void PostgresStore::RenewLease(Lease lease, core::TimePoint now, core::TimePoint expires_at,
                               Callback<void> done) {
  // The renewal commits even when a cancellation was requested; only then is it reported.
  std::string job_id = lease.job_id;
  writer_->Submit<bool>(
      [lease = std::move(lease), now, expires_at](PgConnection& db, std::vector<JobChange>&) {
        return WriteRenewal(db, lease, now, expires_at);
      },
      [done = std::move(done), job_id = std::move(job_id)](core::Result<bool> cancel_requested) {
        if (!cancel_requested) return done(core::Fail(std::move(cancel_requested.error())));
        if (*cancel_requested) {
          return done(core::Fail(core::ErrorCode::kCancelled,
                                 "the cancellation of job " + job_id + " was requested"));
        }
        done({});
      });
}

void PostgresStore::FinishJob(Lease lease, Finish finish, core::TimePoint now,
                              Callback<void> done) {
  writer_->Submit<void>(
      [lease = std::move(lease), finish = std::move(finish), now](PgConnection& db,
                                                                  std::vector<JobChange>& changes) {
        return WriteFinish(db, lease, finish, now, changes);
      },
      std::move(done));
}

void PostgresStore::Retry(std::string id, core::TimePoint now, std::string progress_message,
                          Callback<Job> done) {
  writer_->Submit<Job>(
      [id = std::move(id), now, message = std::move(progress_message)](
          PgConnection& db, std::vector<JobChange>& changes) {
        return WriteRetry(db, id, now, message, changes);
      },
      std::move(done));
}

void PostgresStore::Cancel(std::string id, core::TimePoint now, core::TimePoint expires_at,
                           std::string progress_message, Callback<Job> done) {
  writer_->Submit<Job>(
      [id = std::move(id), now, expires_at, message = std::move(progress_message)](
          PgConnection& db, std::vector<JobChange>& changes) {
        return WriteCancel(db, id, now, expires_at, message, changes);
      },
      std::move(done));
}

void PostgresStore::Purge(PurgeOptions options, Callback<int> done) {
  writer_->Submit<int>(
      [options](PgConnection& db, std::vector<JobChange>&) { return WritePurge(db, options); },
      std::move(done));
}

void PostgresStore::CountActive(Callback<std::int64_t> done) {
  readers_->Submit<std::int64_t>([](PgConnection& db) { return LogInternal(CountActiveJobs(db)); },
                                 std::move(done));
}

void PostgresStore::Ping(Callback<void> done) {
  readers_->Submit<void>([](PgConnection& db) { return LogInternal(PingDatabase(db)); },
                         std::move(done));
}

}  // namespace vitarec::store::postgres
