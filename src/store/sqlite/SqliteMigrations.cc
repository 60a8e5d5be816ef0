#include "store/sqlite/SqliteMigrations.h"

#include <string>

namespace vitarec::store::sqlite {
namespace {

// Times are unix milliseconds. Empty idempotency keys and absent errors are NULL so that the
// unique index ignores them. The partial indexes hold only the rows Claim looks for: queued rows
// by run_at, running rows by lease expiry; final rows (the bulk) are in neither.
constexpr std::string_view kCreateJobs = R"sql(
CREATE TABLE jobs (
  id               TEXT PRIMARY KEY NOT NULL,
  state            TEXT NOT NULL
                   CHECK (state IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
  progress         INTEGER NOT NULL DEFAULT 0,
  progress_message TEXT NOT NULL DEFAULT '',
  quiz_id          TEXT NOT NULL DEFAULT '',
  category         TEXT NOT NULL DEFAULT '',
  locale           TEXT NOT NULL DEFAULT '',
  request_json     TEXT NOT NULL DEFAULT '',
  idempotency_key  TEXT,
  result_json      TEXT NOT NULL DEFAULT '',
  error_code       TEXT,
  error_message    TEXT NOT NULL DEFAULT '',
  error_retryable  INTEGER NOT NULL DEFAULT 0,
  attempt          INTEGER NOT NULL DEFAULT 0,
  max_attempts     INTEGER NOT NULL,
  lease_owner      TEXT NOT NULL DEFAULT '',
  lease_expires_at INTEGER NOT NULL DEFAULT 0,
  fence            INTEGER NOT NULL DEFAULT 0,
  run_at           INTEGER NOT NULL,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  version          INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX jobs_by_idempotency_key ON jobs (idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_queued_by_run_at ON jobs (run_at) WHERE state = 'queued';
CREATE INDEX jobs_running_by_lease_expiry ON jobs (lease_expires_at) WHERE state = 'running';
)sql";

// Cancellation and retention. Final jobs written before this migration get the default
// retention (30 days completed, 7 days failed or cancelled) counted from their last update. A
// tombstone remembers a purged id (so that it answers kGone) until it is deleted in turn.
constexpr std::string_view kAddCancelAndRetention = R"sql(
ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;
UPDATE jobs SET expires_at = updated_at + CASE state WHEN 'completed' THEN 2592000000
                                                    ELSE 604800000 END
  WHERE state IN ('completed', 'failed', 'cancelled');
CREATE INDEX jobs_final_by_expiry ON jobs (expires_at)
  WHERE state IN ('completed', 'failed', 'cancelled');
CREATE TABLE tombstones (
  id        TEXT PRIMARY KEY NOT NULL,
  purged_at INTEGER NOT NULL
);
CREATE INDEX tombstones_by_purged_at ON tombstones (purged_at);
)sql";

// The same table, rebuilt with its state CHECK and the partial index of final jobs written
// without IN lists: SQLite builds a temporary B-tree for an IN list every time such an
// expression is evaluated, and every insert and state change evaluated three of them (a quarter
// of the writer thread's time, docs/BENCHMARKS.md). Rows keep their rowids (the claim order
// among equal run_at).
constexpr std::string_view kRebuildWithoutInLists = R"sql(
CREATE TABLE jobs_v3 (
  id               TEXT PRIMARY KEY NOT NULL,
  state            TEXT NOT NULL
                   CHECK (state = 'queued' OR state = 'running' OR state = 'completed' OR
                          state = 'failed' OR state = 'cancelled'),
  progress         INTEGER NOT NULL DEFAULT 0,
  progress_message TEXT NOT NULL DEFAULT '',
  quiz_id          TEXT NOT NULL DEFAULT '',
  category         TEXT NOT NULL DEFAULT '',
  locale           TEXT NOT NULL DEFAULT '',
  request_json     TEXT NOT NULL DEFAULT '',
  idempotency_key  TEXT,
  result_json      TEXT NOT NULL DEFAULT '',
  error_code       TEXT,
  error_message    TEXT NOT NULL DEFAULT '',
  error_retryable  INTEGER NOT NULL DEFAULT 0,
  attempt          INTEGER NOT NULL DEFAULT 0,
  max_attempts     INTEGER NOT NULL,
  lease_owner      TEXT NOT NULL DEFAULT '',
  lease_expires_at INTEGER NOT NULL DEFAULT 0,
  fence            INTEGER NOT NULL DEFAULT 0,
  run_at           INTEGER NOT NULL,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  version          INTEGER NOT NULL DEFAULT 1,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  expires_at       INTEGER NOT NULL DEFAULT 0
);
INSERT INTO jobs_v3 (rowid, id, state, progress, progress_message, quiz_id, category, locale,
                     request_json, idempotency_key, result_json, error_code, error_message,
                     error_retryable, attempt, max_attempts, lease_owner, lease_expires_at, fence,
                     run_at, created_at, updated_at, version, cancel_requested, expires_at)
  SELECT rowid, id, state, progress, progress_message, quiz_id, category, locale, request_json,
         idempotency_key, result_json, error_code, error_message, error_retryable, attempt,
         max_attempts, lease_owner, lease_expires_at, fence, run_at, created_at, updated_at,
         version, cancel_requested, expires_at
  FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_v3 RENAME TO jobs;
CREATE UNIQUE INDEX jobs_by_idempotency_key ON jobs (idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_queued_by_run_at ON jobs (run_at) WHERE state = 'queued';
CREATE INDEX jobs_running_by_lease_expiry ON jobs (lease_expires_at) WHERE state = 'running';
CREATE INDEX jobs_final_by_expiry ON jobs (expires_at)
  WHERE state <> 'queued' AND state <> 'running';
)sql";

constexpr Migration kMigrations[] = {
    {1, kCreateJobs},
    {2, kAddCancelAndRetention},
    {3, kRebuildWithoutInLists},
};

core::Result<int> UserVersion(SqliteConnection& db) {
  auto stmt = db.Prepare("PRAGMA user_version");
  if (!stmt) return core::Fail(std::move(stmt.error()));
  auto row = stmt->Step();
  if (!row) return core::Fail(std::move(row.error()));
  return *row ? static_cast<int>(stmt->Int(0)) : 0;
}

// Applies `migration` unless another connection (a second process opening the same file)
// applied it while this one waited for the write lock.
core::Result<void> Apply(SqliteConnection& db, const Migration& migration) {
  auto rollback_on_failure = [&db](core::Result<void> r) {
    if (!r && db.InTransaction()) (void)db.ExecuteScript("ROLLBACK");
    return r;
  };
  if (auto begun = db.ExecuteScript("BEGIN IMMEDIATE"); !begun) return begun;
  auto version = UserVersion(db);
  if (!version) return rollback_on_failure(core::Fail(std::move(version.error())));
  if (*version >= migration.version) return rollback_on_failure(db.ExecuteScript("COMMIT"));
  // PRAGMA takes no parameters; the version is our own integer.
  const std::string script = std::string(migration.sql) +
                             "\nPRAGMA user_version = " + std::to_string(migration.version) +
                             ";\nCOMMIT;";
  return rollback_on_failure(db.ExecuteScript(script));
}

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

core::Result<int> Migrate(SqliteConnection& db) {
  auto version = UserVersion(db);
  if (!version) return version;
  const int latest = static_cast<int>(std::size(kMigrations));
  if (*version > latest) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "the database " + db.path() + " has schema version " +
                          std::to_string(*version) + ", newer than this build's " +
                          std::to_string(latest));
  }
  for (const Migration& migration : kMigrations) {
    if (migration.version <= *version) continue;
    if (auto applied = Apply(db, migration); !applied)
      return core::Fail(std::move(applied.error()));
  }
  return latest;
}

}  // namespace vitarec::store::sqlite
