// What only the DynamoDB store has: the old system's attribute names and items, TTL expiry,
// the table check at start-up, adopt, changes across nodes, and throttling (a proxy in front of
// dynalite). The contract itself: DynamoStoreContractTest.cc.
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/Id.h"
#include "store/OpenStore.h"
#include "store/dynamodb/DynamoAdopt.h"
#include "store/dynamodb/DynamoItem.h"
#include "tests/store/DynamoTestDatabase.h"
#include "tests/support/ThrottlingProxy.h"

namespace vitarec::store {
namespace {

namespace json = boost::json;
using core::ErrorCode;
using core::Millis;
using Contract = StoreContractTest;

// Requests to dynalite without the store in between.
class RawTable {
 public:
  RawTable(const std::string& endpoint, std::string table) : table_(std::move(table)) {
    dynamodb::DynamoClientOptions options;
    options.region = "us-east-1";
    options.endpoint = endpoint;
    options.credentials = kTestCredentials;
    client_ = std::move(*dynamodb::DynamoClient::Create(options));
  }
  json::object Call(const char* action, json::object request) {
    auto answer = client_->Call(action, std::move(request));
    if (!answer) throw std::runtime_error(std::string(action) + ": " + answer.error().message);
    return std::move(*answer);
  }
  void Put(const std::string& item_json) {
    Call("PutItem", json::object{{"TableName", table_}, {"Item", json::parse(item_json)}});
  }
  json::object Item(const std::string& id) {
    auto answer = Call(
        "GetItem",
        json::object{{"TableName", table_}, {"Key", dynamodb::Key(id)}, {"ConsistentRead", true}});
    return answer.contains("Item") ? answer.at("Item").as_object() : json::object{};
  }

 private:
  std::string table_;
  std::unique_ptr<dynamodb::DynamoClient> client_;
};

// The text of attribute `name` of type `type` ("S", "N"), or "<absent>".
std::string Text(const json::object& item, const char* name, const char* type) {
  const json::value* a = item.if_contains(name);
  if (a == nullptr || !a->as_object().contains(type)) return "<absent>";
  return std::string(a->as_object().at(type).as_string());
}

class DynamoStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = Open(database_.Options());
    raw_ = std::make_unique<RawTable>(database_.server().Endpoint(), database_.table());
  }

  static std::unique_ptr<dynamodb::DynamoStore> Open(dynamodb::DynamoStoreOptions options) {
    auto store = dynamodb::DynamoStore::Open(std::move(options));
    if (!store) throw std::runtime_error(store.error().message);
    return std::move(*store);
  }

  Job InsertAndClaim() {
    Must(Wait<InsertOutcome>(
        [&](auto done) { store_->Insert(Contract::MakeJob(Contract::kT0), std::move(done)); }));
    auto claimed = Must(Wait<std::vector<Job>>([&](auto done) {
      store_->Claim(ClaimOptions{"worker-a", 1, Contract::kT0, Millis(10'000)}, std::move(done));
    }));
    return claimed.at(0);
  }
  void Finish(const Job& job, const std::string& result, core::TimePoint expires_at) {
    store::Finish finish;
    finish.result_json = result;
    finish.progress_message = "Listo";
    finish.expires_at = expires_at;
    Must(Wait<void>([&](auto done) {
      store_->FinishJob(LeaseOf(job), finish, Contract::kT0 + Millis(2), std::move(done));
    }));
  }
  core::Result<Job> Get(const std::string& id) {
    return Wait<Job>([&](auto done) { store_->Get(id, std::move(done)); });
  }

  DynamoTestDatabase database_;
  std::unique_ptr<dynamodb::DynamoStore> store_;
  std::unique_ptr<RawTable> raw_;
};

TEST_F(DynamoStoreTest, ItemsKeepTheOldSystemsAttributeNamesAndValues) {
  const Job job = InsertAndClaim();
  Must(Wait<void>([&](auto done) {
    store_->UpdateProgress(LeaseOf(job), 70, "Evaluando seguridad", Contract::kT0 + Millis(1),
                           std::move(done));
  }));
  json::object running = raw_->Item(job.id);
  EXPECT_EQ(Text(running, "status", "S"), "processing");
  EXPECT_EQ(Text(running, "progress", "N"), "70");
  EXPECT_EQ(Text(running, "progressMessage", "S"), "Evaluando seguridad");

  Finish(job, R"({"items":[{"supplement":"magnesium"}]})", Contract::kT0 + Millis(86'400'000));

  json::object done = raw_->Item(job.id);
  EXPECT_EQ(Text(done, "recommendation_id", "S"), job.id);
  EXPECT_EQ(Text(done, "status", "S"), "completed");
  EXPECT_EQ(Text(done, "progress", "N"), "100");
  EXPECT_EQ(Text(done, "progressMessage", "S"), "Listo");
  EXPECT_EQ(Text(done, "quiz_id", "S"), "sueno-v1");
  EXPECT_EQ(Text(done, "category", "S"), "minerales");
  EXPECT_EQ(Text(done, "recommendation", "S"), R"({"items":[{"supplement":"magnesium"}]})");
  EXPECT_EQ(Text(done, "expiresAt", "N"),
            std::to_string(
                (core::ToUnixMillis(Contract::kT0) + 86'400'000 + 90LL * 24 * 3600 * 1000) / 1000))
      << "TTL = purge time + the tombstones' lifetime, in seconds";
}

struct LegacyCase {
  const char* name;
  const char* item;  // DynamoDB JSON, as the old system wrote it
  JobState state;
  int progress;
  const char* result_json;
};

TEST_F(DynamoStoreTest, ItemsTheOldSystemWroteReadAsJobs) {
  const LegacyCase cases[] = {
      {"completed with a map", R"({"status":{"S":"completed"},"progress":{"N":"100"},
         "progressMessage":{"S":"Listo"},"quiz_id":{"S":"q1"},"category":{"S":"minerales"},
         "recommendation":{"M":{"items":{"L":[{"M":{"dose":{"N":"300"}}}]}}},
         "createdAt":{"S":"2026-11-28T14:20:56.123Z"}})",
       JobState::kCompleted, 100, R"({"items":[{"dose":300}]})"},
      {"completed with JSON text", R"({"status":{"S":"completed"},"progress":{"N":"100"},
         "recommendation":{"S":"{\"items\":[]}"}})",
       JobState::kCompleted, 100, R"({"items":[]})"},
      {"processing", R"({"status":{"S":"processing"},"progress":{"N":"30"},
         "progressMessage":{"S":"Reuniendo evidencia"}})",
       JobState::kRunning, 30, ""},
      {"failed", R"({"status":{"S":"failed"},"progress":{"N":"70"},"error":{"S":"timeout"}})",
       JobState::kFailed, 70, ""},
  };
  for (const LegacyCase& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string id = core::NewId();
    json::object item = json::parse(c.item).as_object();
    item["recommendation_id"] = dynamodb::S(id);
    raw_->Put(json::serialize(item));

    const Job job = Must(Get(id));

    EXPECT_EQ(job.state, c.state);
    EXPECT_EQ(job.progress, c.progress);
    EXPECT_EQ(job.result_json, c.result_json);
    EXPECT_EQ(job.version, 1);
  }
}

TEST_F(DynamoStoreTest, RetryAndCancelOfTheOldSystemsItemsAreConflictsThatNameAdopt) {
  const std::string processing = core::NewId();
  const std::string failed = core::NewId();
  raw_->Put(R"({"recommendation_id":{"S":")" + processing + R"("},"status":{"S":"processing"}})");
  raw_->Put(R"({"recommendation_id":{"S":")" + failed + R"("},"status":{"S":"failed"}})");

  auto cancelled = Wait<Job>([&](auto done) {
    store_->Cancel(processing, Contract::kT0, Contract::kT0, "Cancelado", std::move(done));
  });
  auto retried = Wait<Job>(
      [&](auto done) { store_->Retry(failed, Contract::kT0, "Reintentando", std::move(done)); });

  EXPECT_THAT(cancelled, FailsWith(ErrorCode::kConflict));
  EXPECT_THAT(cancelled.error().message, ::testing::HasSubstr("vitarec adopt"));
  EXPECT_THAT(retried, FailsWith(ErrorCode::kConflict));
  EXPECT_THAT(retried.error().message, ::testing::HasSubstr("old system"));
}

TEST_F(DynamoStoreTest, AnOldItemsIsoTimesAndTextsAreKept) {
  const std::string id = core::NewId();
  raw_->Put(R"({"recommendation_id":{"S":")" + id + R"("},"status":{"S":"failed"},
    "progress":{"N":"70"},"progressMessage":{"S":"Error"},"quiz_id":{"S":"q1"},
    "category":{"S":"minerales"},"error":{"S":"timeout"},
    "createdAt":{"S":"2026-11-28T14:20:56.123Z"}})");

  const Job job = Must(Get(id));

  EXPECT_EQ(core::FormatIso8601(job.created_at), "2026-11-28T14:20:56.123Z");
  EXPECT_EQ(job.updated_at, job.created_at);
  EXPECT_EQ(job.quiz_id, "q1");
  EXPECT_EQ(job.category, "minerales");
  EXPECT_EQ(job.progress_message, "Error");
  ASSERT_TRUE(job.error.has_value());
  EXPECT_EQ(job.error->message, "timeout");
}

TEST_F(DynamoStoreTest, AJobPastItsTtlReadsAsGoneBeforeDynamoDbDeletesIt) {
  const Job job = InsertAndClaim();
  const core::TimePoint purge_at = Contract::kT0 + Millis(86'400'000);
  Finish(job, "{}", purge_at);
  ASSERT_THAT(Get(job.id), Succeeds());

  database_.clock().Set(purge_at + Millis(90LL * 24 * 3600 * 1000));  // its TTL

  EXPECT_THAT(Get(job.id), FailsWith(ErrorCode::kGone));
  EXPECT_FALSE(raw_->Item(job.id).empty()) << "dynalite never deletes; AWS deletes late";
}

TEST_F(DynamoStoreTest, ATombstonePastItsTtlReadsAsNeverThere) {
  const Job job = InsertAndClaim();
  Finish(job, "{}", Contract::kT0 + Millis(10));
  const core::TimePoint purged_at = Contract::kT0 + Millis(20);
  ASSERT_EQ(Must(Wait<int>([&](auto done) {
              store_->Purge(PurgeOptions{purged_at, 10, Contract::kT0}, std::move(done));
            })),
            1);
  ASSERT_THAT(Get(job.id), FailsWith(ErrorCode::kGone));

  database_.clock().Set(purged_at + Millis(90LL * 24 * 3600 * 1000 + 1000));  // TTL: whole s

  EXPECT_THAT(Get(job.id), FailsWith(ErrorCode::kNotFound));
}

TEST_F(DynamoStoreTest, AMissingTableOrIndexStopsOpeningAndSaysWhatToCreate) {
  dynamodb::DynamoStoreOptions options = database_.Options();
  options.create_table = false;
  options.table = testing::DynaliteServer::UniqueTableName("missing");
  auto missing = dynamodb::DynamoStore::Open(options);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(missing.error().message, ::testing::HasSubstr("does not exist"));
  EXPECT_THAT(missing.error().message, ::testing::HasSubstr("--dynamodb-create-table"));

  // The old system's table as it was: the key, no index.
  options.table = testing::DynaliteServer::UniqueTableName("old");
  raw_->Call("CreateTable", json::parse(R"({"TableName":")" + options.table + R"(",
      "AttributeDefinitions":[{"AttributeName":"recommendation_id","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"recommendation_id","KeyType":"HASH"}],
      "BillingMode":"PAY_PER_REQUEST"})")
                                .as_object());
  auto without_index = dynamodb::DynamoStore::Open(options);
  ASSERT_FALSE(without_index);
  EXPECT_EQ(without_index.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(without_index.error().message, ::testing::HasSubstr("lacks the index vitarec-due"));
  EXPECT_THAT(without_index.error().message, ::testing::HasSubstr("docs/DEPLOY.md"));
  raw_->Call("DeleteTable", json::object{{"TableName", options.table}});
}

TEST_F(DynamoStoreTest, AdoptQueuesWhatTheOldSystemLeftProcessingOnce) {
  const std::string with_query = core::NewId();
  const std::string with_answers = core::NewId();
  const std::string nothing_to_run = core::NewId();
  const std::string completed = core::NewId();
  raw_->Put(R"({"recommendation_id":{"S":")" + with_query +
            R"("},"status":{"S":"processing"},"progress":{"N":"30"},"query":{"S":"magnesio"},
              "quiz_id":{"S":"sueno-v1"},"category":{"S":"minerales"}})");
  raw_->Put(R"({"recommendation_id":{"S":")" + with_answers +
            R"("},"status":{"S":"processing"},"answers":{"M":{"age":{"N":"34"}}}})");
  raw_->Put(R"({"recommendation_id":{"S":")" + nothing_to_run +
            R"("},"status":{"S":"processing"}})");
  raw_->Put(R"({"recommendation_id":{"S":")" + completed +
            R"("},"status":{"S":"completed"},"query":{"S":"zinc"}})");
  const core::TimePoint now = Contract::kT0;

  const auto first = Must(dynamodb::AdoptLegacyJobs(*store_, now));
  const auto again = Must(dynamodb::AdoptLegacyJobs(*store_, now));

  EXPECT_EQ(first.adopted, 2);
  EXPECT_EQ(first.skipped, 1);
  EXPECT_EQ(again.adopted, 0) << "adopt is idempotent";
  const Job queued = Must(Get(with_query));
  EXPECT_EQ(queued.state, JobState::kQueued);
  EXPECT_EQ(queued.progress, 30);
  EXPECT_EQ(queued.quiz_id, "sueno-v1");
  EXPECT_EQ(json::parse(queued.request_json),
            json::parse(R"({"query":"magnesio","quiz_id":"sueno-v1","category":"minerales"})"));
  EXPECT_EQ(json::parse(Must(Get(with_answers)).request_json),
            json::parse(R"({"answers":{"age":34}})"));
  EXPECT_EQ(Must(Get(nothing_to_run)).state, JobState::kRunning) << "left as it was";
  EXPECT_EQ(Must(Get(completed)).state, JobState::kCompleted);
  auto claimed = Must(Wait<std::vector<Job>>([&](auto done) {
    store_->Claim(ClaimOptions{"worker-a", 10, now, Millis(10'000)}, std::move(done));
  }));
  EXPECT_EQ(claimed.size(), 2u);
}

TEST_F(DynamoStoreTest, ChangesOfAnotherNodeReachItsListener) {
  std::unique_ptr<dynamodb::DynamoStore> other = Open(database_.Options());
  std::mutex mu;
  std::condition_variable seen_cv;
  std::vector<JobChange> seen;
  other->SetChangeListener([&](const JobChange& change) {
    std::lock_guard lock(mu);
    seen.push_back(change);
    seen_cv.notify_all();
  });
  const auto start = std::chrono::steady_clock::now();
  const Job job = InsertAndClaim();  // on store_: version 1 (queued), then 2 (running)

  std::unique_lock lock(mu);
  const bool arrived = seen_cv.wait_for(lock, std::chrono::seconds(10), [&] {
    return std::any_of(seen.begin(), seen.end(),
                       [&](const JobChange& c) { return c.id == job.id && c.version == 2; });
  });
  const auto latency = std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - start);

  ASSERT_TRUE(arrived) << "the other node never saw the claim";
  RecordProperty("cross_node_latency_ms", static_cast<int>(latency.count()));
  for (const JobChange& c : seen) {
    EXPECT_EQ(c.id, job.id);
    EXPECT_EQ(c.state, c.version == 1 ? JobState::kQueued : JobState::kRunning);
  }
}

TEST_F(DynamoStoreTest, WithChangesOffWritesLeaveTheChangeIndexAlone) {
  dynamodb::DynamoStoreOptions options = database_.Options();
  options.stamp_changes = false;
  store_ = Open(options);

  const Job job = InsertAndClaim();

  const json::object item = raw_->Item(job.id);
  EXPECT_FALSE(item.contains("vitarecChange"));
  EXPECT_FALSE(item.contains("vitarecChangedAt"));
  EXPECT_EQ(Text(item, "vitarecDue", "S"), "running") << "the queue index is still kept";
}

TEST_F(DynamoStoreTest, ALongQueueIsCountedAgainOnlyEveryTenSeconds) {
  dynamodb::DynamoStoreOptions options = database_.Options();
  options.long_queue = 2;
  store_ = Open(options);
  auto count = [&] {
    return Must(Wait<std::int64_t>([&](auto done) { store_->CountActive(std::move(done)); }));
  };
  auto insert = [&] {
    Must(Wait<InsertOutcome>(
        [&](auto done) { store_->Insert(Contract::MakeJob(Contract::kT0), std::move(done)); }));
  };
  insert();
  insert();
  ASSERT_EQ(count(), 2) << "a short queue is counted every time";
  insert();
  ASSERT_EQ(count(), 3);

  insert();

  EXPECT_EQ(count(), 3) << "above long_queue, the last count stands for 10 s";
}

TEST(DynamoStoreUrlTest, MalformedDynamoDbUrlsAreInvalidArguments) {
  for (const char* url : {"dynamodb://", "dynamodb://table/path?region=eu-west-1",
                          "dynamodb://table?region=eu-west-1&workers=0",
                          "dynamodb://table?region=eu-west-1&changes=sometimes",
                          "dynamodb://table?region=eu-west-1&colour=blue"}) {
    auto store = OpenStore(url, StoreOptions{});
    ASSERT_FALSE(store) << url;
    EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument) << url;
  }
}

TEST_F(DynamoStoreTest, ThrottlingIsRetriedWithBackoffUntilItPasses) {
  testing::ThrottlingProxy proxy(database_.server().port());
  dynamodb::DynamoStoreOptions options = database_.Options();
  options.endpoint = proxy.Endpoint();
  options.change_poll = Millis(0);
  auto throttled = Open(options);
  proxy.Next(4, testing::ThrottlingProxy::Mode::kThrottle);

  auto inserted = Wait<InsertOutcome>(
      [&](auto done) { throttled->Insert(Contract::MakeJob(Contract::kT0), std::move(done)); });

  ASSERT_THAT(inserted, Succeeds());
  EXPECT_EQ(proxy.refused(), 4);
  std::string metrics;
  throttled->RenderMetrics(metrics);
  EXPECT_THAT(metrics, ::testing::HasSubstr("vitarec_dynamodb_throttled_total 4"));
  EXPECT_THAT(metrics, ::testing::HasSubstr("vitarec_dynamodb_retries_total 4"));
  EXPECT_THAT(Get(inserted->job.id), Succeeds());
}

TEST_F(DynamoStoreTest, RetriesStopOnceTheCallsTimeIsUp) {
  testing::ThrottlingProxy proxy(database_.server().port());
  proxy.Always(testing::ThrottlingProxy::Mode::kThrottle);
  dynamodb::DynamoClientOptions options;
  options.region = "us-east-1";
  options.endpoint = proxy.Endpoint();
  options.credentials = kTestCredentials;
  options.max_attempts = 1000;
  options.max_call_time = Millis(300);
  auto client = Must(dynamodb::DynamoClient::Create(options));

  auto answer = client->Call("DescribeTable", json::object{{"TableName", database_.table()}});

  EXPECT_THAT(answer, FailsWith(ErrorCode::kUnavailable));
  EXPECT_GE(proxy.refused(), 2);
  EXPECT_LT(proxy.refused(), 100) << "backoff up to 1 s apart: a few attempts fit in 300 ms";
}

TEST_F(DynamoStoreTest, AServiceThatKeepsFailingIsUnavailableUntilItRecovers) {
  testing::ThrottlingProxy proxy(database_.server().port());
  dynamodb::DynamoStoreOptions options = database_.Options();
  options.endpoint = proxy.Endpoint();
  options.change_poll = Millis(0);
  options.max_attempts = 3;
  auto store = Open(options);
  const NewJob job = Contract::MakeJob(Contract::kT0);

  proxy.Always(testing::ThrottlingProxy::Mode::kServerError);
  auto down = Wait<InsertOutcome>([&](auto done) { store->Insert(job, std::move(done)); });
  proxy.Always(testing::ThrottlingProxy::Mode::kForward);
  auto up = Wait<InsertOutcome>([&](auto done) { store->Insert(job, std::move(done)); });

  EXPECT_THAT(down, FailsWith(ErrorCode::kUnavailable));
  EXPECT_EQ(proxy.refused(), 3) << "max_attempts requests, then the error";
  EXPECT_THAT(up, Succeeds());
}

}  // namespace
}  // namespace vitarec::store
