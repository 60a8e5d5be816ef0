// The DynamoDB Store: any number of nodes share one table — the old system's own table
// (`recommendation_id` key) works once it has the two indexes of DynamoTable.h.
//
// Threads: `workers` threads take the operations from one FIFO queue (store/ReaderPool.h) and
// run each as one or a few blocking DynamoDB requests (DynamoJobTable.h); so at most `workers`
// requests are in flight, over at most as many keep-alive connections. Callbacks and the
// changes of this store's writes run on those threads; other nodes' changes on the change
// poller's thread (DynamoChangePoller.h). Operations on different jobs run concurrently, so
// changes are published in commit order per job only for writes that do not overlap (every
// writer of a job waits for its previous write).
//
// Failures: throttling and unreachable service are retried (DynamoClient.h), then kUnavailable.
// A write whose answer was lost may have applied; fenced writes and claims read the item again
// to tell (see DynamoJobTable.h).
//
// Retention: Finish sets `purgeAt` (the contract's expires_at) and the TTL `expiresAt` =
// purgeAt + ttl_grace, so DynamoDB deletes what no sweeper purged; Purge turns jobs into
// tombstones (TTL = purge time + ttl_grace) as the contract says.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "core/Clock.h"
#include "core/Error.h"
#include "net/SigV4.h"
#include "store/ChangePublisher.h"
#include "store/ReaderPool.h"
#include "store/Store.h"
#include "store/dynamodb/DynamoChangePoller.h"
#include "store/dynamodb/DynamoClient.h"
#include "store/dynamodb/DynamoJobTable.h"

namespace vitarec::store::dynamodb {

struct DynamoStoreOptions {
  std::string table;
  std::string region;    // required (the URL's, or AWS_REGION / AWS_DEFAULT_REGION)
  std::string endpoint;  // empty: https://dynamodb.REGION.amazonaws.com
  std::optional<net::AwsCredentials> credentials;  // none: LoadAwsCredentials()
  int workers = 16;                                // concurrent requests at most, at least 1
  bool create_table = false;                       // create the table or its indexes when missing
  core::Millis change_poll{250};                   // 0: no polling for other nodes' changes
  // false: writes skip the change index (cheaper; another node's long-polls then see a change
  // only when they time out).
  bool stamp_changes = true;
  int change_shards = 4;
  core::Millis request_timeout{5000};
  int max_attempts = 8;  // per request, throttling and 5xx included
  core::Millis ttl_grace{90LL * 24 * 3600 * 1000};
  const core::Clock* clock = nullptr;  // "expired" for reads; null: the system clock
  std::int64_t long_queue = 2000;      // CountActive above this is refreshed every 10 s only
};

class DynamoStore final : public Store {
 public:
  // Checks (or creates) the table and starts the threads. kInvalidArgument for bad options;
  // kUnavailable when the service cannot be reached, refuses the credentials, or the table or
  // an index is missing (the message says what to create).
  static core::Result<std::unique_ptr<DynamoStore>> Open(DynamoStoreOptions options);

  // Runs every queued operation, then stops the threads.
  ~DynamoStore() override;

  void SetChangeListener(ChangeListener listener) override;
  void Insert(NewJob job, Callback<InsertOutcome> done) override;
  void Get(std::string id, Callback<Job> done) override;
  void Claim(ClaimOptions options, Callback<std::vector<Job>> done) override;
  void UpdateProgress(Lease lease, int progress, std::string message, core::TimePoint now,
                      Callback<void> done) override;
  void RenewLease(Lease lease, core::TimePoint now, core::TimePoint expires_at,
                  Callback<void> done) override;
  // One conditional UpdateItem per lease (DynamoDB has no conditional batch write), run on the
  // workers concurrently; a failure of the service fails the call, though the leases renewed
  // before it stay renewed.
  void RenewLeases(std::vector<Lease> leases, core::TimePoint now, core::TimePoint expires_at,
                   Callback<std::vector<core::Result<void>>> done) override;
  void FinishJob(Lease lease, Finish finish, core::TimePoint now, Callback<void> done) override;
  void Retry(std::string id, core::TimePoint now, std::string progress_message,
             Callback<Job> done) override;
  void Cancel(std::string id, core::TimePoint now, core::TimePoint expires_at,
              std::string progress_message, Callback<Job> done) override;
  void Purge(PurgeOptions options, Callback<int> done) override;
  // Above `long_queue` queued and running jobs, the count is refreshed at most every 10 s.
  void CountActive(Callback<std::int64_t> done) override;
  void Ping(Callback<void> done) override;
  void RenderMetrics(std::string& out) override;

  // Requests and capacity units so far (benchmarks, tests).
  DynamoUsage client_usage() const { return client_->usage(); }

  // The table, for tools (vitarec adopt) that run on the store's own connection.
  DynamoJobTable& table() { return *tables_.front(); }

 private:
  DynamoStore() = default;

  // Runs `write` (Result<T>(DynamoJobTable&, std::vector<JobChange>&)) on a worker, publishes
  // its changes, then calls back.
  template <typename T, typename Write>
  void Submit(Write write, Callback<T> done);

  ChangePublisher publisher_;
  std::unique_ptr<DynamoClient> client_;
  std::vector<DynamoJobTable*> tables_;  // one per worker, owned by pool_
  std::unique_ptr<ReaderPool<DynamoJobTable>> pool_;
  std::unique_ptr<DynamoJobTable> poll_table_;
  std::unique_ptr<DynamoChangePoller> poller_;

  // CountActive's last answer, reused for a while when the queue is long.
  std::int64_t long_queue_ = 2000;  // immutable after Open
  static constexpr core::Millis kLongQueueRecount{10'000};
  std::atomic<std::int64_t> last_count_{0};
  std::atomic<std::int64_t> last_count_at_ms_{0};
};

}  // namespace vitarec::store::dynamodb
