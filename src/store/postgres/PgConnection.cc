#include "store/postgres/PgConnection.h"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>

namespace vitarec::store::postgres {
namespace {

// Removes the trailing newline libpq puts at the end of its messages.
std::string Trim(const char* message) {
  std::string text = message == nullptr ? "" : message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

bool IsTransientSqlState(std::string_view s) {
  return s.starts_with("08") || s.starts_with("53") || s.starts_with("57P") ||
         s.starts_with("58") || s == "40001" || s == "40P01" || s == "55P03" || s == "25006";
}

PgResult::PgResult(pg_result* result) : result_(result) {}
PgResult::~PgResult() = default;
void PgResult::Clear::operator()(pg_result* r) const { PQclear(r); }

int PgResult::Rows() const { return PQntuples(result_.get()); }

std::int64_t PgResult::AffectedRows() const {
  const std::string_view text = PQcmdTuples(result_.get());
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::string PgResult::Text(int row, int column) const {
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::int64_t PgResult::Int(int row, int column) const {
  const char* text = PQgetvalue(result_.get(), row, column);
  const int length = PQgetlength(result_.get(), row, column);
  std::int64_t value = 0;
  std::from_chars(text, text + length, value);
  return value;
}

bool PgResult::Bool(int row, int column) const {
  return PQgetvalue(result_.get(), row, column)[0] == 't';
}

bool PgResult::IsNull(int row, int column) const {
  return PQgetisnull(result_.get(), row, column) != 0;
}

core::Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& url,
                                                               core::Millis connect_timeout) {
  // Defaults first: what the URL itself sets (expanded from "dbname") overrides them.
  const std::string timeout_seconds =
      std::to_string(std::max<std::int64_t>(1, (connect_timeout.count() + 999) / 1000));
  const char* keywords[] = {"connect_timeout",     "keepalives",       "keepalives_idle",
                            "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                            "application_name",    "dbname",           nullptr};
  const char* values[] = {
      timeout_seconds.c_str(), "1", "10", "3", "3", "15000", "vitarec", url.c_str(), nullptr};
  pg_conn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) {
    return core::Fail(core::ErrorCode::kUnavailable, "cannot connect to PostgreSQL: out of memory");
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = "cannot connect to PostgreSQL: " + Trim(PQerrorMessage(conn));
    PQfinish(conn);
    return core::Fail(core::ErrorCode::kUnavailable, std::move(message));
  }
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::Broken() const { return PQstatus(conn_) != CONNECTION_OK; }
int PgConnection::BackendPid() const { return PQbackendPID(conn_); }
int PgConnection::Socket() const { return PQsocket(conn_); }

core::Error PgConnection::ErrorOf(pg_result* result, std::string_view during) const {
  const char* state = result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const std::string sqlstate = state == nullptr ? "" : state;
  const char* text = result == nullptr ? PQerrorMessage(conn_) : PQresultErrorMessage(result);
  std::string message = "PostgreSQL " + (sqlstate.empty() ? std::string("error") : sqlstate) +
                        ": " + Trim(text) + " during " + std::string(during);
  const bool transient = Broken() || sqlstate.empty() || IsTransientSqlState(sqlstate);
  return core::MakeError(transient ? core::ErrorCode::kUnavailable : core::ErrorCode::kInternal,
                         std::move(message));
}

core::Result<PgResult> PgConnection::Execute(const std::string& sql) {
  pg_result* result = PQexec(conn_, sql.c_str());
  const ExecStatusType status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    core::Error error = ErrorOf(result, sql.substr(0, sql.find_first_of(" \n")));
    PQclear(result);
    return core::Fail(std::move(error));
  }
  return PgResult(result);
}

core::Result<PgResult> PgConnection::Run(const PgStatement& statement, const PgParams& params) {
  if (!prepared_.contains(statement.name)) {
    pg_result* prepared =
        PQprepare(conn_, statement.name.c_str(), statement.sql.c_str(), 0, nullptr);
    const ExecStatusType status =
        prepared == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(prepared);
    if (status != PGRES_COMMAND_OK) {
      core::Error error = ErrorOf(prepared, "prepare " + statement.name);
      PQclear(prepared);
      return core::Fail(std::move(error));
    }
    PQclear(prepared);
    prepared_.insert(statement.name);
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const PgParam& p : params) values.push_back(p ? p->c_str() : nullptr);
  pg_result* result = PQexecPrepared(conn_, statement.name.c_str(), static_cast<int>(values.size()),
                                     values.data(), nullptr, nullptr, 0);
  const ExecStatusType status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    core::Error error = ErrorOf(result, statement.name);
    PQclear(result);
    return core::Fail(std::move(error));
  }
  return PgResult(result);
}

}  // namespace vitarec::store::postgres
