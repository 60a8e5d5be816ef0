#include "store/sqlite/SqliteStatement.h"

#include <sqlite3.h>

#include "store/sqlite/SqliteError.h"

namespace vitarec::store::sqlite {
namespace {

// What the statement was doing, for error messages: its first words, never bound values.
std::string Describe(sqlite3_stmt* stmt) {
  std::string_view sql = sqlite3_sql(stmt);
  const std::size_t start = sql.find_first_not_of(" \n");
  if (start == std::string_view::npos) return "statement";
  sql.remove_prefix(start);
  constexpr std::size_t kMaxLength = 48;
  std::string out(sql.substr(0, kMaxLength));
  for (char& c : out) {
    if (c == '\n') c = ' ';
  }
  return sql.size() > kMaxLength ? out + "..." : out;
}

}  // namespace

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : stmt_(other.stmt_), db_(other.db_), bind_error_(other.bind_error_) {
  other.stmt_ = nullptr;
}

SqliteStatement::~SqliteStatement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

SqliteStatement& SqliteStatement::Bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, std::string_view value) {
  const int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

SqliteStatement& SqliteStatement::BindUncopied(int index, std::string_view value) {
  const int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

SqliteStatement& SqliteStatement::BindNull(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
  return *this;
}

core::Result<bool> SqliteStatement::Step() {
  if (bind_error_ != SQLITE_OK) {
    return core::Fail(SqliteError(bind_error_, nullptr, "bind of " + Describe(stmt_)));
  }
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return core::Fail(SqliteError(rc, db_, Describe(stmt_)));
}

core::Result<void> SqliteStatement::Run() {
  for (;;) {
    auto row = Step();
    if (!row) return core::Fail(std::move(row.error()));
    if (!*row) return {};
  }
}

std::int64_t SqliteStatement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string SqliteStatement::Text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool SqliteStatement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

}  // namespace vitarec::store::sqlite
