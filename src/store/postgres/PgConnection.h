// One libpq connection, its prepared statements, and the translation of libpq failures into
// core::Error — the only place that decides which PostgreSQL failures are transient
// (kUnavailable: retrying later may succeed) and which are bugs (kInternal).
//
// Threading: not thread-safe. A connection belongs to one store thread at a time.
// Values reach SQL only as bound parameters, in text format.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/Clock.h"
#include "core/Error.h"

struct pg_conn;
struct pg_result;

namespace vitarec::store::postgres {

// A parameter in text format; nullopt is SQL NULL.
using PgParam = std::optional<std::string>;
using PgParams = std::vector<PgParam>;

inline PgParam Param(std::string_view text) { return std::string(text); }
inline PgParam Param(std::int64_t value) { return std::to_string(value); }
inline PgParam Param(int value) { return std::to_string(value); }
inline PgParam Param(bool value) { return std::string(value ? "true" : "false"); }
inline PgParam Param(core::TimePoint t) { return std::to_string(core::ToUnixMillis(t)); }

// A statement prepared on each connection at its first use, under `name` (unique per program).
struct PgStatement {
  std::string name;
  std::string sql;  // parameters as $1, $2, ...
};

// The successful result of a statement.
class PgResult {
 public:
  explicit PgResult(pg_result* result);
  PgResult(PgResult&&) noexcept = default;
  PgResult& operator=(PgResult&&) noexcept = default;
  ~PgResult();

  int Rows() const;
  std::int64_t AffectedRows() const;  // of INSERT, UPDATE, DELETE
  // Values of row `row`, column `column` (0-based). NULL reads as "" or 0; booleans as bool.
  std::string Text(int row, int column) const;
  std::int64_t Int(int row, int column) const;
  bool Bool(int row, int column) const;
  bool IsNull(int row, int column) const;

 private:
  struct Clear {
    void operator()(pg_result* r) const;
  };
  std::unique_ptr<pg_result, Clear> result_;
};

class PgConnection {
 public:
  // Connects to `url` (a postgresql:// URL or a libpq connection string). kUnavailable when the
  // server cannot be reached or refuses the connection. The message never contains the URL.
  static core::Result<std::unique_ptr<PgConnection>> Open(const std::string& url,
                                                          core::Millis connect_timeout);
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection();

  // Runs `sql` without parameters (BEGIN, COMMIT, DDL, LISTEN, ...), possibly several statements.
  core::Result<PgResult> Execute(const std::string& sql);

  // Runs `statement` (prepared on this connection at its first use) with `params`.
  core::Result<PgResult> Run(const PgStatement& statement, const PgParams& params);

  // Whether the connection is lost (the server went away or a protocol error occurred); a lost
  // connection is thrown away by its owner and opened again.
  bool Broken() const;
  int BackendPid() const;
  int Socket() const;
  pg_conn* raw() { return conn_; }

 private:
  explicit PgConnection(pg_conn* conn) : conn_(conn) {}
  core::Error ErrorOf(pg_result* result, std::string_view during) const;

  pg_conn* const conn_;
  std::unordered_set<std::string> prepared_;  // names prepared on this connection
};

// Whether `sqlstate` means a transient condition: connection exceptions (08), insufficient
// resources (53), operator intervention (57P0x), system errors (58), serialization failures and
// deadlocks (40001, 40P01), lock not available (55P03), read-only transaction (25006).
bool IsTransientSqlState(std::string_view sqlstate);

}  // namespace vitarec::store::postgres
