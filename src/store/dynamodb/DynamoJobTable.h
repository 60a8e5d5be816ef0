// The Store operations as DynamoDB requests on one table (item layout: DynamoItem.h; indexes:
// DynamoTable.h). Blocking; called on the store's worker threads, any number at once: every
// operation is correct under concurrency from other threads and other nodes because each state
// change is one conditional write (there are no transactions).
//
//   Insert   PutItem if absent; with an idempotency key first PutItem of the key's item if absent
//            (its owner wins; a key whose job is missing — its inserter died between the two
//            writes — is completed by the next insert with that key).
//   Get      GetItem, strongly consistent. A tombstone answers kGone; an item whose TTL
//            (`expiresAt`) has passed by `clock` answers as if DynamoDB had deleted it already
//            (kGone for a job, kNotFound for a tombstone): TTL deletes up to days late.
//   Claim    Queries of the `vitarec-due` index up to now — partition "queued" (sort key run_at)
//            and "running" (sort key lease expiry) — the candidates oldest run_at first, then per
//            candidate a conditional UpdateItem (still runnable, same attempt). A candidate
//            another claimer took fails its condition and is skipped: contention costs a
//            request, never a duplicate.
//   Fenced   UpdateItem with ConditionExpression state = running AND leaseOwner AND fence AND
//   writes   leaseExpiresAt > now [AND NOT cancelRequested]. When the condition fails, one
//            strongly consistent GetItem tells kNotFound, kCancelled or kLeaseLost apart — or
//            shows that the write had applied (a retry after a lost answer), which succeeds.
//   Purge    Query of "expiring" up to now; each becomes a tombstone by a conditional PutItem
//            (still expiring at the time queried), its idempotency key item is deleted;
//            tombstones older than asked are deleted the same way (partition "tombstone").
//
// Changes: every visible change also stamps `vitarecChange` (a time bucket and a shard of the id)
// and `vitarecChangedAt` (this host's wall clock, ms) with the writer's id, so other nodes find
// it with RecentChanges (DynamoChangePoller).
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "core/Clock.h"
#include "core/Error.h"
#include "store/Job.h"
#include "store/dynamodb/DynamoAdopt.h"
#include "store/dynamodb/DynamoClient.h"
#include "store/dynamodb/DynamoUpdate.h"

namespace vitarec::store::dynamodb {

inline constexpr const char* kDueIndex = "vitarec-due";
inline constexpr const char* kChangeIndex = "vitarec-changes";

struct JobTableOptions {
  std::string table;
  std::string writer;         // unique per store instance
  bool stamp_changes = true;  // false: no change index entries (no other node polls them)
  int change_shards = 4;      // partitions of the change index per time bucket
  core::Millis change_bucket{60'000};
  core::Millis ttl_grace{90LL * 24 * 3600 * 1000};  // TTL = purge time + this (tombstone life)
  const core::Clock* clock = nullptr;  // decides "expired" for reads; null: the system clock
};

// A change seen in the change index.
struct RecentChange {
  JobChange change;
  std::string writer;
  std::int64_t changed_at_ms = 0;
};

class DynamoJobTable {
 public:
  DynamoJobTable(DynamoClient& client, JobTableOptions options);

  core::Result<InsertOutcome> Insert(const NewJob& job, std::vector<JobChange>& changes);
  core::Result<Job> Get(const std::string& id);
  core::Result<std::vector<Job>> Claim(const ClaimOptions& options,
                                       std::vector<JobChange>& changes);
  core::Result<void> Progress(const Lease& lease, int progress, const std::string& message,
                              core::TimePoint now, std::vector<JobChange>& changes);
  // True when a cancellation was requested (the lease was extended anyway).
  core::Result<bool> Renew(const Lease& lease, core::TimePoint now, core::TimePoint expires_at);
  core::Result<void> Finish(const Lease& lease, const store::Finish& finish, core::TimePoint now,
                            std::vector<JobChange>& changes);
  core::Result<Job> Retry(const std::string& id, core::TimePoint now, const std::string& message,
                          std::vector<JobChange>& changes);
  core::Result<Job> Cancel(const std::string& id, core::TimePoint now, core::TimePoint expires_at,
                           const std::string& message, std::vector<JobChange>& changes);
  core::Result<int> Purge(const PurgeOptions& options);
  core::Result<std::int64_t> CountActive();
  core::Result<void> Ping();

  // Queues the items the old system left processing (DynamoAdopt.h).
  core::Result<AdoptReport> AdoptLegacy(core::TimePoint now, int max_attempts,
                                        std::vector<JobChange>& changes);

  // Changes stamped in bucket `bucket` of `shard` after `after_ms` (wall clock), any writer.
  core::Result<std::vector<RecentChange>> RecentChanges(int shard, std::int64_t bucket,
                                                        std::int64_t after_ms);
  std::int64_t BucketOf(std::int64_t wall_ms) const {
    return wall_ms / options_.change_bucket.count();
  }
  const JobTableOptions& options() const { return options_; }
  DynamoClient& client() { return client_; }

 private:
  // The item, strongly consistent; an empty object when there is none.
  core::Result<boost::json::object> GetItem(const std::string& id, bool consistent = true);
  // UpdateItem on job `id`; the answer's Attributes (per `return_values`).
  core::Result<boost::json::object> UpdateItem(const std::string& id, DynamoUpdate& update,
                                               const char* return_values);
  core::Result<void> PutItem(boost::json::object item, DynamoUpdate& condition);
  // A query page of an index: the items and, when there are more, the key to go on from.
  core::Result<boost::json::object> QueryDue(std::string_view due, const std::string& condition,
                                             std::int64_t bound, int limit,
                                             const boost::json::value* start);

  // The change index attributes of a change to `id` now (none when stamp_changes is off).
  boost::json::object ChangeStamp(const std::string& id) const;
  void Stamp(DynamoUpdate& update, const std::string& id);
  // updatedAt = now, version + 1, the change stamp.
  void Visible(DynamoUpdate& update, const std::string& id, core::TimePoint now);
  void HeldBy(DynamoUpdate& update, const Lease& lease, core::TimePoint now);
  void ClearLease(DynamoUpdate& update);
  void Expiring(DynamoUpdate& update, core::TimePoint purge_at);
  void SetError(DynamoUpdate& update, const std::optional<JobError>& error);

  // The job after a fenced write's condition failed: kNotFound when there is none, kLeaseLost
  // for a tombstone.
  core::Result<Job> ReadAfterMiss(const Lease& lease);

  core::Result<Job> ClaimOne(const boost::json::object& candidate, const ClaimOptions& options,
                             std::vector<JobChange>& changes, bool& taken);
  core::Result<InsertOutcome> InsertWithKey(const NewJob& job, std::vector<JobChange>& changes);
  core::Result<void> PutNewJob(const NewJob& job, std::vector<JobChange>& changes);
  core::Error MissingOrState(const std::string& id, std::string_view operation);

  DynamoClient& client_;
  const JobTableOptions options_;
  core::SystemClock system_clock_;
};

// The shard (0..shards-1) of a job id in the change index.
int ChangeShardOf(std::string_view id, int shards);

}  // namespace vitarec::store::dynamodb
