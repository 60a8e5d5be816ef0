// A TestDatabase on PostgreSQL: a fresh schema in the shared test server's database
// (PostgresServer::Shared()), dropped with the object. Also stops a private shared server at the
// end of the test program.
#pragma once

#include <random>
#include <stdexcept>
#include <string>

#include "store/OpenStore.h"
#include "tests/store/StoreContractTest.h"
#include "tests/support/PostgresServer.h"

namespace vitarec::store {

class PostgresTestDatabase final : public TestDatabase {
 public:
  PostgresTestDatabase() : server_(testing::PostgresServer::Shared()) {
    std::random_device random;
    schema_ = "t_" + std::to_string(random()) + "_" + std::to_string(random());
    server_.Sql(testing::PostgresServer::kDatabase, "CREATE SCHEMA " + schema_);
  }
  ~PostgresTestDatabase() override {
    try {
      server_.Sql(testing::PostgresServer::kDatabase, "DROP SCHEMA " + schema_ + " CASCADE");
    } catch (const std::exception&) {
      // The server is going away with everything in it.
    }
  }

  std::string Url() const { return server_.Url(testing::PostgresServer::kDatabase, schema_); }

  std::unique_ptr<Store> Open() override {
    StoreOptions options;
    options.reader_threads = 2;
    auto store = OpenStore(Url(), options);
    if (!store) throw std::runtime_error("cannot open the test store: " + store.error().message);
    return std::move(*store);
  }

 private:
  testing::PostgresServer& server_;
  std::string schema_;
};

// Registered by the test programs that use PostgresTestDatabase.
class PostgresEnvironment final : public ::testing::Environment {
 public:
  void TearDown() override { testing::PostgresServer::StopShared(); }
};

}  // namespace vitarec::store
