// A TestDatabase on DynamoDB: a fresh table (with its indexes) on the shared dynalite server
// (tests/support/DynaliteServer.h), deleted with the object.
#pragma once

#include <boost/json.hpp>
#include <stdexcept>
#include <string>

#include "store/dynamodb/DynamoClient.h"
#include "store/dynamodb/DynamoStore.h"
#include "tests/store/StoreContractTest.h"
#include "tests/support/DynaliteServer.h"

namespace vitarec::store {

inline const net::AwsCredentials kTestCredentials{"AKIDVITARECTEST", "vitarec-test-secret", ""};

class DynamoTestDatabase final : public TestDatabase {
 public:
  DynamoTestDatabase()
      : server_(testing::DynaliteServer::Shared()),
        table_(testing::DynaliteServer::UniqueTableName()) {}
  ~DynamoTestDatabase() override {
    dynamodb::DynamoClientOptions options;
    options.region = "us-east-1";
    options.endpoint = server_.Endpoint();
    options.credentials = kTestCredentials;
    options.max_attempts = 1;
    if (auto client = dynamodb::DynamoClient::Create(options)) {
      (void)(*client)->Call("DeleteTable", boost::json::object{{"TableName", table_}});
    }
  }

  dynamodb::DynamoStoreOptions Options() const {
    dynamodb::DynamoStoreOptions options;
    options.table = table_;
    options.region = "us-east-1";
    options.endpoint = server_.Endpoint();
    options.credentials = kTestCredentials;
    options.create_table = true;
    options.workers = 8;
    options.clock = &clock_;
    return options;
  }

  std::unique_ptr<Store> Open() override {
    auto store = dynamodb::DynamoStore::Open(Options());
    if (!store) throw std::runtime_error("cannot open the test store: " + store.error().message);
    return std::move(*store);
  }

  const std::string& table() const { return table_; }
  testing::DynaliteServer& server() { return server_; }
  // What reads take as "now" for TTL expiry; starts at StoreContractTest::kT0.
  core::FakeClock& clock() { return clock_; }

 private:
  testing::DynaliteServer& server_;
  const std::string table_;
  core::FakeClock clock_;
};

}  // namespace vitarec::store
