#include "store/sqlite/SqliteStore.h"

#include <utility>
#include <vector>

#include "core/Metrics.h"
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

// Page caches: the writer's holds the indexes it updates at random places (the primary key is a
// random UUID), so that an insert rarely reads a page back from the file.
constexpr int kWriterCacheMib = 64;
constexpr int kReaderCacheMib = 16;

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
  connection_options.cache_mib = kWriterCacheMib;
  connection_options.busy_timeout = options.busy_timeout;
  connection_options.synchronous = options.synchronous;
  // Deferred sync: the writer's COMMIT only writes the WAL out; the sync thread fsyncs it.
  const bool full = options.synchronous == "full" || options.synchronous == "extra";
  const bool defer_sync = options.defer_sync && full;
  connection_options.buffered_wal = full;
  auto write_db = SqliteConnection::Open(path, connection_options);
  if (!write_db) return core::Fail(std::move(write_db.error()));
  if (auto wal = EnableWal(**write_db); !wal) return core::Fail(std::move(wal.error()));
  if (auto migrated = Migrate(**write_db); !migrated) {
    return core::Fail(std::move(migrated.error()));
  }

  connection_options.create = false;
  connection_options.buffered_wal = false;
  auto checkpoint_db = SqliteConnection::Open(path, connection_options);
  if (!checkpoint_db) return core::Fail(std::move(checkpoint_db.error()));
  SqliteWriter::SyncFunction sync;
  if (defer_sync) {
    // A connection of its own, used only by the sync thread; opening it read the database, so
    // its handle on the WAL file is open.
    connection_options.cache_mib = 0;
    auto sync_db = SqliteConnection::Open(path, connection_options);
    if (!sync_db) return core::Fail(std::move(sync_db.error()));
    if (auto synced = (*sync_db)->SyncWal(); !synced) return core::Fail(std::move(synced.error()));
    sync = [db = std::shared_ptr<SqliteConnection>(std::move(*sync_db))] { return db->SyncWal(); };
  }

  connection_options.query_only = true;
  connection_options.cache_mib = kReaderCacheMib;
  std::vector<std::unique_ptr<SqliteConnection>> read_dbs;
  for (int i = 0; i < options.reader_threads; ++i) {
    auto read_db = SqliteConnection::Open(path, connection_options);
    if (!read_db) return core::Fail(std::move(read_db.error()));
    read_dbs.push_back(std::move(*read_db));
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore());
  store->checkpointer_ =
      std::make_unique<SqliteCheckpointer>(std::move(*checkpoint_db), options.checkpoint);
  (*write_db)->SetWalHook([checkpointer = store->checkpointer_.get()](int frames) {
    checkpointer->AfterCommit(frames);
  });
  store->writer_ =
      std::make_unique<SqliteWriter>(SqliteCommitter(std::move(*write_db), defer_sync),
                                     options.max_batch, store->publisher(), std::move(sync));
  store->readers_ = std::make_unique<Readers>(std::move(read_dbs));
  return store;
}

void SqliteStore::RenderMetrics(std::string& out) {
  QueuedStore::RenderMetrics(out);
  core::RenderHeader(out, "vitarec_store_checkpoints_total", "counter",
                     "SQLite WAL checkpoints run by the checkpoint thread");
  core::RenderSample(out, "vitarec_store_checkpoints_total", "",
                     static_cast<double>(checkpointer_->checkpoints()));
  core::RenderHeader(out, "vitarec_store_wal_waits_total", "counter",
                     "Times the SQLite writer waited for the WAL to be restarted (the checkpoint "
                     "thread could not keep up with the writes)");
  core::RenderSample(out, "vitarec_store_wal_waits_total", "",
                     static_cast<double>(checkpointer_->writer_waits()));
}

SqliteStore::~SqliteStore() {
  // Readers first: a read's callback may still start a write, which the writer then runs.
  readers_->Close();
  writer_->Close();
  checkpointer_->Close();
}

}  // namespace vitarec::store::sqlite
