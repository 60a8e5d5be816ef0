// The store contract, run against the PostgreSQL store on a real server; each test has a schema
// of its own in the shared test database.
#include <random>

#include "store/OpenStore.h"
#include "tests/store/PostgresTestDatabase.h"
#include "tests/store/StoreContractTest.h"

namespace vitarec::store {
namespace {

INSTANTIATE_TEST_SUITE_P(Postgres, StoreContractTest,
                         ::testing::Values(StoreBackend{
                             "Postgres", [] { return std::make_unique<PostgresTestDatabase>(); }}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace vitarec::store
