// Real `vitarec serve` processes sharing one DynamoDB table on a local dynalite (issue 16):
//  - one of two nodes SIGKILLed mid-run: every accepted job completes exactly once, and the jobs
//    the dead node had in hand are run again by the survivor;
//  - a long-poll on one node wakes when the other node's worker changes the job (the change
//    index poll; no LISTEN/NOTIFY on DynamoDB);
//  - the old system's items, written as it wrote them, read through GET /portal/status as they
//    are, and `vitarec adopt` queues the one it left processing, which a node then completes.
// Every process started here is stopped by its own PID; waits are bounded.
#include <gmock/gmock.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <future>

#include "core/Id.h"
#include "multinode/MultiNodeSupport.h"
#include "store/dynamodb/DynamoClient.h"
#include "support/DynaliteServer.h"
#include "support/TempDir.h"

namespace vitarec::testing {
namespace {

class DynamoMultiNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("AWS_ACCESS_KEY_ID", "AKIDVITARECTEST", 1);  // the nodes inherit them
    ::setenv("AWS_SECRET_ACCESS_KEY", "vitarec-test-secret", 1);
    table_ = DynaliteServer::UniqueTableName("mn");
    url_ = "dynamodb://" + table_ + "?region=us-east-1&endpoint=" + dynalite_.Endpoint();
  }

  // Starts a node; the first one creates the table (several creating it at once would race).
  Node& StartNode(std::vector<std::string> extra) {
    if (nodes_.empty()) extra.push_back("--dynamodb-create-table");
    nodes_.push_back(std::make_unique<Node>(
        url_, dir_.File("node" + std::to_string(nodes_.size()) + ".log"), extra));
    EXPECT_TRUE(nodes_.back()->WaitReady()) << nodes_.back()->Log();
    return *nodes_.back();
  }

  std::vector<std::string> Logs() const {
    std::vector<std::string> logs;
    for (const auto& n : nodes_) logs.push_back(n->Log());
    return logs;
  }

  json::object Raw(const char* action, json::object request) {
    store::dynamodb::DynamoClientOptions options;
    options.region = "us-east-1";
    options.endpoint = dynalite_.Endpoint();
    options.credentials = {"AKIDVITARECTEST", "vitarec-test-secret", ""};
    auto client = store::dynamodb::DynamoClient::Create(options);
    auto answer = (*client)->Call(action, std::move(request));
    if (!answer) ADD_FAILURE() << action << ": " << answer.error().message;
    return answer ? std::move(*answer) : json::object{};
  }

  DynaliteServer& dynalite_ = DynaliteServer::Shared();
  TempDir dir_;
  std::string table_;
  std::string url_;
  std::vector<std::unique_ptr<Node>> nodes_;
};

TEST_F(DynamoMultiNodeTest, KilledNodesJobsAreTakenOverAndCompleteExactlyOnce) {
  const std::vector<std::string> flags = {"--workers",        "3",   "--lease-ms",  "1000",
                                          "--poll-ms",        "100", "--log-level", "debug",
                                          "--stage-delay-ms", "150"};
  Node& survivor = StartNode(flags);
  Node& victim = StartNode(flags);
  if (HasFatalFailure()) return;

  std::vector<std::string> ids;
  for (int i = 0; i < 30; ++i) {
    const std::string id = Submit((i % 2 ? victim : survivor).port(), i);
    ASSERT_FALSE(id.empty()) << "submit " << i << " refused";
    ids.push_back(id);
  }
  const std::set<std::string> orphaned = KillWithJobsInHand(victim);
  ASSERT_FALSE(orphaned.empty()) << "the killed node had no job in hand";
  for (int i = 30; i < 40; ++i) {
    const std::string id = Submit(survivor.port(), i);
    ASSERT_FALSE(id.empty()) << "submit " << i << " refused";
    ids.push_back(id);
  }

  std::map<std::string, std::string> completed;
  const auto pending = AwaitCompleted(ids, {&survivor}, completed, seconds(60));
  ASSERT_TRUE(pending.empty()) << pending.size() << " accepted jobs never completed, e.g. "
                               << *pending.begin();
  std::this_thread::sleep_for(milliseconds(300));  // the asynchronous log lines
  for (const auto& [id, count] : Finished(Logs(), "completed")) {
    EXPECT_EQ(count, 1) << "completions of " << id;
  }
  const auto by_survivor = Finished({survivor.Log()}, "completed");
  for (const std::string& id : orphaned) {
    EXPECT_TRUE(by_survivor.contains(id)) << id << " not completed by the survivor";
    const json::value status = json::parse(completed.at(id));
    EXPECT_GE(status.at("attempt").as_int64(), 2) << id << " was not run again after the kill";
  }
}

TEST_F(DynamoMultiNodeTest, LongPollOnOneNodeWakesWhenTheOtherNodesWorkerChangesTheJob) {
  Node& front = StartNode({"--workers", "0"});
  Node& worker = StartNode({"--workers", "1", "--poll-ms", "100", "--stage-delay-ms", "300"});
  if (HasFatalFailure()) return;
  const Reply submitted = Http(front.port(), "POST", "/portal/recommend", RequestBody(1));
  ASSERT_EQ(submitted.status, 202) << submitted.body;
  const std::string id = Field(submitted.Json(), "recommendation_id");
  const Reply first = Http(front.port(), "GET", "/portal/status/" + id);

  const auto start = Clock::now();
  const Reply woken = Http(front.port(), "GET", "/portal/status/" + id + "?wait=20", "",
                           {{"If-None-Match", first.etag}}, seconds(30));
  const auto waited = std::chrono::duration_cast<milliseconds>(Clock::now() - start);

  EXPECT_EQ(woken.status, 200) << woken.body;
  EXPECT_NE(woken.etag, first.etag);
  EXPECT_LT(waited, seconds(19)) << "the long-poll ran to its timeout: no change arrived";
  RecordProperty("long_poll_wake_ms", static_cast<int>(waited.count()));
  (void)worker;
}

TEST_F(DynamoMultiNodeTest, OldItemsReadAsTheyAreAndAdoptQueuesTheOneLeftProcessing) {
  Node& node = StartNode({"--workers", "2", "--poll-ms", "100"});
  if (HasFatalFailure()) return;
  const std::string done = core::NewId();
  const std::string left = core::NewId();
  Raw("PutItem", json::parse(R"({"TableName":")" + table_ + R"(","Item":{
      "recommendation_id":{"S":")" +
                             done + R"("},"status":{"S":"completed"},
      "progress":{"N":"100"},"progressMessage":{"S":"Listo"},"quiz_id":{"S":"sueno-v1"},
      "category":{"S":"minerales"},"recommendation":{"M":{"items":{"L":[
        {"M":{"supplement":{"S":"magnesium"},"dose_mg":{"N":"300"}}}]}}}}})")
                     .as_object());
  Raw("PutItem", json::parse(R"({"TableName":")" + table_ + R"(","Item":{
      "recommendation_id":{"S":")" +
                             left + R"("},"status":{"S":"processing"},
      "progress":{"N":"30"},"progressMessage":{"S":"Reuniendo evidencia"},
      "query":{"S":"magnesio"},"quiz_id":{"S":"sueno-v1"},"category":{"S":"minerales"}}})")
                     .as_object());

  const json::value old = Http(node.port(), "GET", "/portal/status/" + done).Json();
  EXPECT_EQ(Field(old, "status"), "completed");
  EXPECT_EQ(old.at("progress"), 100);
  EXPECT_EQ(Field(old, "progressMessage"), "Listo");
  EXPECT_EQ(Field(old, "quiz_id"), "sueno-v1");
  EXPECT_EQ(Field(old, "category"), "minerales");
  EXPECT_EQ(old.at("recommendation"),
            json::parse(R"({"items":[{"supplement":"magnesium","dose_mg":300}]})"));
  const json::value stuck = Http(node.port(), "GET", "/portal/status/" + left).Json();
  EXPECT_EQ(Field(stuck, "status"), "processing");
  EXPECT_EQ(Field(stuck, "progressMessage"), "Reuniendo evidencia");

  const std::string log = dir_.File("adopt.log");
  const pid_t adopt = Spawn({VITAREC_BINARY, "adopt", "--store", url_}, log);
  int status = 0;
  ::waitpid(adopt, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << ReadFile(log);
  EXPECT_THAT(ReadFile(log), ::testing::HasSubstr("adopted 1 of 2 items"));

  std::map<std::string, std::string> completed;
  ASSERT_TRUE(AwaitCompleted({left}, {&node}, completed, seconds(30)).empty())
      << "the adopted job never completed";
  const json::value finished = json::parse(completed.at(left));
  EXPECT_EQ(Field(finished, "quiz_id"), "sueno-v1");
  EXPECT_EQ(Field(finished.at("recommendation"), "query"), "magnesio");
}

}  // namespace
}  // namespace vitarec::testing
