#include "store/dynamodb/DynamoTable.h"

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "store/StoreLog.h"
#include "store/dynamodb/DynamoItem.h"
#include "store/dynamodb/DynamoJobTable.h"

namespace vitarec::store::dynamodb {
namespace {

namespace json = boost::json;
using core::ErrorCode;

struct IndexSpec {
  const char* name;
  const char* hash;
  const char* range;
  std::vector<const char*> projected;
};

const std::vector<IndexSpec>& Indexes() {
  static const std::vector<IndexSpec> kIndexes = {
      {kDueIndex,
       attr::kDue,
       attr::kDueAt,
       {"state", "attempt", "maxAttempts", "idempotencyKey", "runAt"}},
      {kChangeIndex, attr::kChange, attr::kChangedAt, {"state", "version", attr::kWriter}},
  };
  return kIndexes;
}

json::object IndexDefinition(const IndexSpec& spec) {
  json::array projected;
  for (const char* a : spec.projected) projected.push_back(json::string(a));
  return json::object{
      {"IndexName", spec.name},
      {"KeySchema", json::array{json::object{{"AttributeName", spec.hash}, {"KeyType", "HASH"}},
                                json::object{{"AttributeName", spec.range}, {"KeyType", "RANGE"}}}},
      {"Projection",
       json::object{{"ProjectionType", "INCLUDE"}, {"NonKeyAttributes", std::move(projected)}}}};
}

json::array AttributeDefinitions(bool with_key) {
  json::array out;
  if (with_key) out.push_back(json::object{{"AttributeName", attr::kId}, {"AttributeType", "S"}});
  for (const IndexSpec& spec : Indexes()) {
    out.push_back(json::object{{"AttributeName", spec.hash}, {"AttributeType", "S"}});
    out.push_back(json::object{{"AttributeName", spec.range}, {"AttributeType", "N"}});
  }
  return out;
}

struct Described {
  bool exists = false;
  bool active = false;
  std::vector<std::string> missing_indexes;
  std::vector<std::string> inactive_indexes;
  std::string key_problem;
};

core::Result<Described> Describe(DynamoClient& client, const std::string& table) {
  auto answer = client.Call("DescribeTable", json::object{{"TableName", table}});
  Described d;
  if (!answer) {
    if (answer.error().message.find("ResourceNotFoundException") != std::string::npos) return d;
    return core::Fail(std::move(answer.error()));
  }
  d.exists = true;
  const json::object& t = answer->at("Table").as_object();
  d.active = t.at("TableStatus").as_string() == "ACTIVE";
  const json::array& key = t.at("KeySchema").as_array();
  if (key.size() != 1 || key[0].at("AttributeName").as_string() != attr::kId) {
    d.key_problem = "its key must be the partition key recommendation_id (S) alone";
  }
  for (const IndexSpec& spec : Indexes()) {
    bool found = false;
    if (const json::value* gsis = t.if_contains("GlobalSecondaryIndexes")) {
      for (const json::value& gsi : gsis->as_array()) {
        if (gsi.at("IndexName").as_string() != spec.name) continue;
        found = true;
        if (const json::value* s = gsi.as_object().if_contains("IndexStatus");
            s && s->as_string() != "ACTIVE") {
          d.inactive_indexes.push_back(spec.name);
        }
      }
    }
    if (!found) d.missing_indexes.push_back(spec.name);
  }
  return d;
}

std::string WhatToCreate(const std::string& table) {
  return "run once with --dynamodb-create-table, or create them as docs/DEPLOY.md (DynamoDB) "
         "says: indexes vitarec-due (vitarecDue S, vitarecDueAt N) and vitarec-changes "
         "(vitarecChange S, vitarecChangedAt N) on table " +
         table;
}

}  // namespace

core::Result<void> EnsureTable(DynamoClient& client, const std::string& table, bool create,
                               core::Millis wait) {
  auto described = Describe(client, table);
  if (!described) return core::Fail(std::move(described.error()));
  if (!described->key_problem.empty()) {
    return core::Fail(ErrorCode::kUnavailable,
                      "DynamoDB table " + table + " cannot hold jobs: " + described->key_problem);
  }
  if (!described->exists || !described->missing_indexes.empty()) {
    if (!create) {
      const std::string what = !described->exists
                                   ? "DynamoDB table " + table + " does not exist"
                                   : "DynamoDB table " + table + " lacks the index " +
                                         described->missing_indexes.front();
      return core::Fail(ErrorCode::kUnavailable, what + "; " + WhatToCreate(table));
    }
    if (!described->exists) {
      json::array indexes;
      for (const IndexSpec& spec : Indexes()) indexes.push_back(IndexDefinition(spec));
      json::object request{{"TableName", table},
                           {"AttributeDefinitions", AttributeDefinitions(true)},
                           {"KeySchema", json::array{json::object{{"AttributeName", attr::kId},
                                                                  {"KeyType", "HASH"}}}},
                           {"BillingMode", "PAY_PER_REQUEST"},
                           {"GlobalSecondaryIndexes", std::move(indexes)}};
      auto created = client.Call("CreateTable", std::move(request));
      if (!created) return core::Fail(std::move(created.error()));
      StoreLog().info("dynamodb table created table={}", table);
    } else {
      // One index per UpdateTable call (DynamoDB's rule), each waited for.
      for (const std::string& name : described->missing_indexes) {
        for (const IndexSpec& spec : Indexes()) {
          if (spec.name != name) continue;
          json::object request{{"TableName", table},
                               {"AttributeDefinitions", AttributeDefinitions(false)},
                               {"GlobalSecondaryIndexUpdates",
                                json::array{json::object{{"Create", IndexDefinition(spec)}}}}};
          auto updated = client.Call("UpdateTable", std::move(request));
          if (!updated) return core::Fail(std::move(updated.error()));
          StoreLog().info("dynamodb index creation started table={} index={}", table, name);
        }
      }
    }
    auto ttl = client.Call(
        "UpdateTimeToLive",
        json::object{{"TableName", table},
                     {"TimeToLiveSpecification",
                      json::object{{"AttributeName", "expiresAt"}, {"Enabled", true}}}});
    if (!ttl && ttl.error().message.find("UnknownOperationException") != std::string::npos) {
      StoreLog().info("dynamodb TTL not supported by this endpoint table={}", table);  // dynalite
    } else if (!ttl) {  // reads treat expired items as gone anyway; only deletion is delayed
      StoreLog().warn("dynamodb TTL not enabled table={} error=\"{}\"", table, ttl.error().message);
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    auto now = Describe(client, table);
    if (!now) return core::Fail(std::move(now.error()));
    if (now->exists && now->active && now->missing_indexes.empty() &&
        now->inactive_indexes.empty()) {
      return {};
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return core::Fail(ErrorCode::kUnavailable, "DynamoDB table " + table +
                                                     " or its indexes did not become active; " +
                                                     WhatToCreate(table));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

}  // namespace vitarec::store::dynamodb
