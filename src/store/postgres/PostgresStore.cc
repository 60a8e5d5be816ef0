#include "store/postgres/PostgresStore.h"

#include <utility>
#include <vector>

#include "store/postgres/PgMigrations.h"

namespace vitarec::store::postgres {

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
      PgCommitter(std::make_unique<PgSession>(session_options("writer"), std::move(*write_db)),
                  *channel),
      options.max_batch, store->publisher());
  store->readers_ = std::make_unique<PgReaderPool>(std::move(readers));
  PgWriter* writer = store->writer_.get();
  store->listener_ = std::make_unique<PgListener>(
      std::make_unique<PgSession>(std::move(listen_options), std::move(*listen_db)),
      [writer] { return writer->committer().backend_pid(); }, store->publisher());
  return store;
}

PostgresStore::~PostgresStore() {
  // Readers first: a read's callback may still start a write, which the writer then runs. The
  // listener last: it reads the writer's pid.
  readers_->Close();
  writer_->Close();
  listener_->Close();
}

}  // namespace vitarec::store::postgres
