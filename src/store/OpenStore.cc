#include "store/OpenStore.h"

#include <boost/url/parse.hpp>
#include <charconv>
#include <filesystem>
#include <system_error>

#include "store/dynamodb/DynamoStore.h"
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

core::Result<int> PositiveInt(std::string_view text, const char* name, int min) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      std::string("the DynamoDB store URL's ") + name +
                          " must be an integer >= " + std::to_string(min),
                      name);
  }
  return value;
}

core::Result<std::unique_ptr<Store>> OpenDynamo(std::string_view url, const StoreOptions& options) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->host().empty() ||
      !(parsed->encoded_path().empty() || parsed->encoded_path() == "/")) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "expected dynamodb://TABLE?region=REGION[&endpoint=URL]", "store");
  }
  dynamodb::DynamoStoreOptions dynamo;
  dynamo.table = parsed->host();
  dynamo.create_table = options.dynamodb_create_table;
  for (const auto& param : parsed->params()) {
    if (param.key == "region") {
      dynamo.region = param.value;
    } else if (param.key == "endpoint") {
      dynamo.endpoint = param.value;
    } else if (param.key == "workers") {
      auto n = PositiveInt(param.value, "workers", 1);
      if (!n) return core::Fail(std::move(n.error()));
      dynamo.workers = *n;
    } else if (param.key == "change_poll_ms") {
      auto n = PositiveInt(param.value, "change_poll_ms", 0);
      if (!n) return core::Fail(std::move(n.error()));
      dynamo.change_poll = core::Millis(*n);
    } else if (param.key == "changes") {
      if (param.value != "poll" && param.value != "off") {
        return core::Fail(core::ErrorCode::kInvalidArgument,
                          "the DynamoDB store URL's changes must be poll or off", "changes");
      }
      dynamo.stamp_changes = param.value == "poll";
    } else if (param.key == "change_shards") {
      auto n = PositiveInt(param.value, "change_shards", 1);
      if (!n) return core::Fail(std::move(n.error()));
      dynamo.change_shards = *n;
    } else {
      return core::Fail(core::ErrorCode::kInvalidArgument,
                        "unknown DynamoDB store URL parameter " + std::string(param.key), "store");
    }
  }
  auto store = dynamodb::DynamoStore::Open(std::move(dynamo));
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
  if (url.starts_with("dynamodb://")) return OpenDynamo(url, options);
  // The URL itself is not echoed: a mistyped PostgreSQL URL may carry a password.
  return core::Fail(
      core::ErrorCode::kInvalidArgument,
      "unsupported store URL; expected sqlite:PATH, postgresql://... or dynamodb://TABLE", "store");
}

}  // namespace vitarec::store
