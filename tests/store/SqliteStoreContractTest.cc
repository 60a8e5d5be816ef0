// The store contract, run against the SQLite store on real database files.
#include "store/OpenStore.h"
#include "tests/store/StoreContractTest.h"
#include "tests/support/TempDir.h"

using vitarec::testing::TempDir;

namespace vitarec::store {
namespace {

// `synchronous`: "full" (the default) runs the writer with the buffered WAL and the deferred
// sync; "normal" commits and reports on the writer thread.
class SqliteTestDatabase final : public TestDatabase {
 public:
  explicit SqliteTestDatabase(std::string synchronous) : synchronous_(std::move(synchronous)) {}
  std::unique_ptr<Store> Open() override {
    StoreOptions options;
    options.reader_threads = 2;
    options.sqlite_synchronous = synchronous_;
    auto store = OpenStore("sqlite:" + (dir_.path() / "data" / "vitarec.db").string(), options);
    if (!store) throw std::runtime_error("cannot open the test store: " + store.error().message);
    return std::move(*store);
  }

 private:
  const std::string synchronous_;
  TempDir dir_;
};

INSTANTIATE_TEST_SUITE_P(
    Sqlite, StoreContractTest,
    ::testing::Values(StoreBackend{"Sqlite",
                                   [] { return std::make_unique<SqliteTestDatabase>("full"); }},
                      StoreBackend{"SqliteNormalSync",
                                   [] { return std::make_unique<SqliteTestDatabase>("normal"); }}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace vitarec::store
