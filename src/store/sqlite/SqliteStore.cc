#include "store/sqlite/SqliteStore.h"

#include <utility>
#include <vector>

#include "store/StoreLog.h"
#include "store/sqlite/JobControlWrites.h"
#include "store/sqlite/JobRow.h"
#include "store/sqlite/JobWrites.h"
#include "store/sqlite/SqliteMigrations.h"

namespace vitarec::store::sqlite {
namespace {

// Switches the file to WAL (a persistent property of the database) and checks it took: WAL is
// refused, for instance, on file systems without shared memory. After a checkpoint the WAL file
// is truncated back to at most kWalSizeLimit, so a burst does not keep its disk space.
core::Result<void> EnableWal(SqliteConnection& db) {
  constexpr int kWalSizeLimit = 64 << 20;
  if (auto limited = db.ExecuteScript("PRAGMA journal_size_limit=" + std::to_string(kWalSizeLimit));
      !limited) {
    return limited;
  }
  auto stmt = db.Prepare("PRAGMA journal_mode=WAL");
  if (!stmt) return core::Fail(std::move(stmt.error()));
  auto row = stmt->Step();
  if (!row) return core::Fail(std::move(row.error()));
  const std::string mode = *row ? stmt->Text(0) : "";
  if (mode != "wal") {
    return core::Fail(core::ErrorCode::kUnavailable,
                      "the database " + db.path() + " cannot use WAL (journal_mode=" + mode + ")");
  }
  return {};
}

template <typename T>
core::Result<T> LogInternal(core::Result<T> result) {
  if (!result && result.error().code == core::ErrorCode::kInternal) {
    StoreLog().error("store read failed error=\"{}\"", result.error().message);
  }
  return result;
}

}  // namespace

core::Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                             const SqliteStoreOptions& options) {
  if (options.reader_threads < 1) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "reader_threads must be at least 1",
                      "reader_threads");
  }
  if (options.max_batch < 1) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "max_batch must be at least 1",
                      "max_batch");
  }
  SqliteConnectionOptions connection_options;
  connection_options.create = true;
  connection_options.busy_timeout = options.busy_timeout;
  connection_options.synchronous = options.synchronous;
  auto write_db = SqliteConnection::Open(path, connection_options);
  if (!write_db) return core::Fail(std::move(write_db.error()));
  if (auto wal = EnableWal(**write_db); !wal) return core::Fail(std::move(wal.error()));
  if (auto migrated = Migrate(**write_db); !migrated) {
    return core::Fail(std::move(migrated.error()));
  }

  connection_options.create = false;
  connection_options.query_only = true;
  std::vector<std::unique_ptr<SqliteConnection>> read_dbs;
  for (int i = 0; i < options.reader_threads; ++i) {
    auto read_db = SqliteConnection::Open(path, connection_options);
    if (!read_db) return core::Fail(std::move(read_db.error()));
    read_dbs.push_back(std::move(*read_db));
  }
  auto writer = std::make_unique<SqliteWriter>(std::move(*write_db),
                                               SqliteWriter::Options{options.max_batch});
  auto readers = std::make_unique<SqliteReaderPool>(std::move(read_dbs));
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(writer), std::move(readers)));
}

SqliteStore::~SqliteStore() {
  // Readers first: a read's callback may still start a write, which the writer then runs.
  readers_->Close();
  writer_->Close();
}

void SqliteStore::SetChangeListener(ChangeListener listener) {
  writer_->SetChangeListener(std::move(listener));
}

void SqliteStore::Insert(NewJob job, Callback<InsertOutcome> done) {
  writer_->Submit<InsertOutcome>(
      [job = std::move(job)](SqliteConnection& db, std::vector<JobChange>& changes) {
        return WriteInsert(db, job, changes);
      },
      std::move(done));
}

void SqliteStore::Get(std::string id, Callback<Job> done) {
  readers_->Submit<Job>(
      [id = std::move(id)](SqliteConnection& db) { return LogInternal(FindJobById(db, id)); },
      std::move(done));
}

void SqliteStore::Claim(ClaimOptions options, Callback<std::vector<Job>> done) {
  writer_->Submit<std::vector<Job>>(
      [options = std::move(options)](SqliteConnection& db, std::vector<JobChange>& changes) {
        return WriteClaim(db, options, changes);
      },
      std::move(done));
}

void SqliteStore::UpdateProgress(Lease lease, int progress, std::string message,
                                 core::TimePoint now, Callback<void> done) {
  writer_->Submit<void>(
      [lease = std::move(lease), progress, message = std::move(message), now](
          SqliteConnection& db, std::vector<JobChange>& changes) {
        return WriteProgress(db, lease, progress, message, now, changes);
      },
      std::move(done));
}

void SqliteStore::RenewLease(Lease lease, core::TimePoint now, core::TimePoint expires_at,
                             Callback<void> done) {
  // The renewal commits even when a cancellation was requested; only then is it reported.
  std::string job_id = lease.job_id;
  writer_->Submit<bool>(
      [lease = std::move(lease), now, expires_at](SqliteConnection& db, std::vector<JobChange>&) {
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

void SqliteStore::FinishJob(Lease lease, Finish finish, core::TimePoint now, Callback<void> done) {
  writer_->Submit<void>(
      [lease = std::move(lease), finish = std::move(finish), now](SqliteConnection& db,
                                                                  std::vector<JobChange>& changes) {
        return WriteFinish(db, lease, finish, now, changes);
      },
      std::move(done));
}

void SqliteStore::Retry(std::string id, core::TimePoint now, std::string progress_message,
                        Callback<Job> done) {
  writer_->Submit<Job>(
      [id = std::move(id), now, message = std::move(progress_message)](
          SqliteConnection& db, std::vector<JobChange>& changes) {
        return WriteRetry(db, id, now, message, changes);
      },
      std::move(done));
}

void SqliteStore::Cancel(std::string id, core::TimePoint now, core::TimePoint expires_at,
                         std::string progress_message, Callback<Job> done) {
  writer_->Submit<Job>(
      [id = std::move(id), now, expires_at, message = std::move(progress_message)](
          SqliteConnection& db, std::vector<JobChange>& changes) {
        return WriteCancel(db, id, now, expires_at, message, changes);
      },
      std::move(done));
}

void SqliteStore::Purge(PurgeOptions options, Callback<int> done) {
  writer_->Submit<int>(
      [options](SqliteConnection& db, std::vector<JobChange>&) { return WritePurge(db, options); },
      std::move(done));
}

void SqliteStore::CountActive(Callback<std::int64_t> done) {
  readers_->Submit<std::int64_t>(
      [](SqliteConnection& db) { return LogInternal(CountActiveJobs(db)); }, std::move(done));
}

void SqliteStore::Ping(Callback<void> done) {
  readers_->Submit<void>([](SqliteConnection& db) { return LogInternal(PingDatabase(db)); },
                         std::move(done));
}

}  // namespace vitarec::store::sqlite
