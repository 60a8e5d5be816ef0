#include "store/postgres/PgMigrations.h"

#include <cstdint>
#include <cstdio>
#include <iterator>
#include <string_view>

namespace vitarec::store::postgres {
namespace {

// Times are unix milliseconds. `seq` orders jobs inserted in the same millisecond (as SQLite's
// rowid). The partial indexes hold only the rows Claim and Purge look for.
constexpr std::string_view kCreateJobs = R"sql(
CREATE TABLE jobs (
  id               text PRIMARY KEY,
  seq              bigserial NOT NULL,
  state            text NOT NULL
                   CHECK (state IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
  progress         integer NOT NULL DEFAULT 0,
  progress_message text NOT NULL DEFAULT '',
  quiz_id          text NOT NULL DEFAULT '',
  category         text NOT NULL DEFAULT '',
  locale           text NOT NULL DEFAULT '',
  request_json     text NOT NULL DEFAULT '',
  idempotency_key  text,
  result_json      text NOT NULL DEFAULT '',
  error_code       text,
  error_message    text NOT NULL DEFAULT '',
  error_retryable  boolean NOT NULL DEFAULT false,
  attempt          integer NOT NULL DEFAULT 0,
  max_attempts     integer NOT NULL,
  lease_owner      text NOT NULL DEFAULT '',
  lease_expires_at bigint NOT NULL DEFAULT 0,
  fence            bigint NOT NULL DEFAULT 0,
  run_at           bigint NOT NULL,
  created_at       bigint NOT NULL,
  updated_at       bigint NOT NULL,
  version          bigint NOT NULL DEFAULT 1,
  cancel_requested boolean NOT NULL DEFAULT false,
  expires_at       bigint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX jobs_by_idempotency_key ON jobs (idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_queued_by_run_at ON jobs (run_at, seq) WHERE state = 'queued';
CREATE INDEX jobs_running_by_lease_expiry ON jobs (lease_expires_at) WHERE state = 'running';
CREATE INDEX jobs_final_by_expiry ON jobs (expires_at)
  WHERE state IN ('completed', 'failed', 'cancelled');
CREATE TABLE tombstones (
  id        text PRIMARY KEY,
  purged_at bigint NOT NULL
);
CREATE INDEX tombstones_by_purged_at ON tombstones (purged_at);
)sql";

constexpr std::string_view kMigrations[] = {kCreateJobs};

// The advisory lock is per database; the key includes the schema so that stores in different
// schemas do not wait for each other.
const PgStatement kLock{"vitarec_migrate_lock",
                        "SELECT pg_advisory_lock(1986, hashtext(current_schema()))"};
const PgStatement kUnlock{"vitarec_migrate_unlock",
                          "SELECT pg_advisory_unlock(1986, hashtext(current_schema()))"};
const PgStatement kVersion{"vitarec_schema_version",
                           "SELECT coalesce(max(version), 0) FROM vitarec_schema"};
const PgStatement kSetVersion{"vitarec_set_schema_version",
                              "INSERT INTO vitarec_schema (version) VALUES ($1)"};
const PgStatement kCurrentSchema{"vitarec_current_schema", "SELECT current_schema()"};

core::Result<int> MigrateLocked(PgConnection& db) {
  if (auto created =
          db.Execute("CREATE TABLE IF NOT EXISTS vitarec_schema (version integer PRIMARY KEY)");
      !created) {
    return core::Fail(std::move(created.error()));
  }
  auto version = db.Run(kVersion, {});
  if (!version) return core::Fail(std::move(version.error()));
  const int current = static_cast<int>(version->Int(0, 0));
  const int latest = static_cast<int>(std::size(kMigrations));
  if (current > latest) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "the database has schema version " + std::to_string(current) +
                          ", newer than this build's " + std::to_string(latest));
  }
  for (int v = current + 1; v <= latest; ++v) {
    auto rollback = [&db](core::Error error) -> core::Result<int> {
      (void)db.Execute("ROLLBACK");
      return core::Fail(std::move(error));
    };
    if (auto begun = db.Execute("BEGIN"); !begun) return core::Fail(std::move(begun.error()));
    if (auto applied = db.Execute(std::string(kMigrations[v - 1])); !applied) {
      return rollback(std::move(applied.error()));
    }
    if (auto set = db.Run(kSetVersion, {Param(v)}); !set) return rollback(std::move(set.error()));
    if (auto committed = db.Execute("COMMIT"); !committed) {
      return core::Fail(std::move(committed.error()));
    }
  }
  return latest;
}

}  // namespace

core::Result<int> Migrate(PgConnection& db) {
  if (auto locked = db.Run(kLock, {}); !locked) return core::Fail(std::move(locked.error()));
  auto migrated = MigrateLocked(db);
  // Released explicitly; a lost connection releases it too.
  (void)db.Run(kUnlock, {});
  return migrated;
}

core::Result<std::string> NotifyChannel(PgConnection& db) {
  auto schema = db.Run(kCurrentSchema, {});
  if (!schema) return core::Fail(std::move(schema.error()));
  if (schema->IsNull(0, 0)) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "the PostgreSQL search_path names no existing schema");
  }
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a, stable across builds and nodes
  for (unsigned char c : schema->Text(0, 0)) {
    hash = (hash ^ c) * 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return "vitarec_jobs_" + std::string(hex);
}

}  // namespace vitarec::store::postgres
