// The store contract, run against the DynamoDB store on a local dynalite server; each test has a
// table of its own.
#include "tests/store/DynamoTestDatabase.h"
#include "tests/store/StoreContractTest.h"

namespace vitarec::store {
namespace {

INSTANTIATE_TEST_SUITE_P(Dynamo, StoreContractTest,
                         ::testing::Values(StoreBackend{
                             "Dynamo", [] { return std::make_unique<DynamoTestDatabase>(); }}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace vitarec::store
