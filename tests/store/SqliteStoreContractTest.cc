// The store contract, run against the SQLite store on real database files.
#include "store/OpenStore.h"
#include "tests/store/StoreContractTest.h"
#include "tests/store/TempDir.h"

namespace vitarec::store {
namespace {

class SqliteTestDatabase final : public TestDatabase {
 public:
  std::unique_ptr<Store> Open() override {
    StoreOptions options;
    options.reader_threads = 2;
    auto store = OpenStore("sqlite:" + (dir_.path() / "data" / "vitarec.db").string(), options);
    if (!store) throw std::runtime_error("cannot open the test store: " + store.error().message);
    return std::move(*store);
  }

 private:
  TempDir dir_;
};

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest,
                         ::testing::Values(StoreBackend{
                             "Sqlite", [] { return std::make_unique<SqliteTestDatabase>(); }}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace vitarec::store
