#include "store/OpenStore.h"

#include <filesystem>
#include <system_error>

#include "store/postgres/PostgresStore.h"
#include "store/sqlite/SqliteStore.h"

namespace vitarec::store {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";

core::Result<std::unique_ptr<Store>> OpenSqlite(std::string_view path_text,
                                                const StoreOptions& options) {
  if (path_text.empty()) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "the store URL sqlite:PATH needs a PATH",
                      "store");
  }
  const std::filesystem::path path(path_text);
  if (path.has_parent_path()) {
    std::error_code error;
    std::filesystem::create_directories(path.parent_path(), error);
    if (error) {
      return core::Fail(
          core::ErrorCode::kUnavailable,
          "cannot create the directory " + path.parent_path().string() + ": " + error.message());
    }
  }
  sqlite::SqliteStoreOptions sqlite_options;
  sqlite_options.reader_threads = options.reader_threads;
  sqlite_options.max_batch = options.max_batch;
  sqlite_options.synchronous = options.sqlite_synchronous;
  sqlite_options.busy_timeout = options.busy_timeout;
  auto store = sqlite::SqliteStore::Open(path.string(), sqlite_options);
  if (!store) return core::Fail(std::move(store.error()));
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace

core::Result<std::unique_ptr<Store>> OpenStore(std::string_view url, const StoreOptions& options) {
  if (url.starts_with(kSqlitePrefix)) {
    return OpenSqlite(url.substr(kSqlitePrefix.size()), options);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    postgres::PostgresStoreOptions pg_options;
    pg_options.reader_threads = options.reader_threads;
    pg_options.max_batch = options.max_batch;
    pg_options.connect_timeout = options.connect_timeout;
    auto store = postgres::PostgresStore::Open(std::string(url), pg_options);
    if (!store) return core::Fail(std::move(store.error()));
    return std::unique_ptr<Store>(std::move(*store));
  }
  // The URL itself is not echoed: a mistyped PostgreSQL URL may carry a password.
  return core::Fail(core::ErrorCode::kInvalidArgument,
                    "unsupported store URL; expected sqlite:PATH or postgresql://...", "store");
}

}  // namespace vitarec::store
