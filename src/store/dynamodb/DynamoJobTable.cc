// DynamoJobTable: the request helpers, Insert, Get and Claim (the fenced writes are in
// DynamoLeaseWrites.cc, Retry, Cancel, Purge and the reads in DynamoJobControl.cc).
#include "store/dynamodb/DynamoJobTable.h"

#include <algorithm>
#include <random>

#include "core/Id.h"
#include "store/dynamodb/DynamoItem.h"

namespace vitarec::store::dynamodb {
namespace {

namespace json = boost::json;
using core::ErrorCode;

bool IsConflict(const core::Error& e) { return e.code == ErrorCode::kConflict; }

}  // namespace

int ChangeShardOf(std::string_view id, int shards) {
  std::uint32_t hash = 2166136261u;  // FNV-1a: the same on every node and build
  for (unsigned char c : id) hash = (hash ^ c) * 16777619u;
  return static_cast<int>(hash % static_cast<std::uint32_t>(std::max(shards, 1)));
}

DynamoJobTable::DynamoJobTable(DynamoClient& client, JobTableOptions options)
    : client_(client), options_(std::move(options)) {}

core::Result<json::object> DynamoJobTable::GetItem(const std::string& id, bool consistent) {
  json::object request{
      {"TableName", options_.table}, {"Key", Key(id)}, {"ConsistentRead", consistent}};
  auto answer = client_.Call("GetItem", std::move(request));
  if (!answer) return core::Fail(std::move(answer.error()));
  if (json::value* item = answer->if_contains("Item"); item && item->is_object()) {
    return std::move(item->as_object());
  }
  return json::object{};
}

core::Result<json::object> DynamoJobTable::UpdateItem(const std::string& id, DynamoUpdate& update,
                                                      const char* return_values) {
  json::object request{{"TableName", options_.table}, {"Key", Key(id)}};
  update.Condition("attribute_exists(" + update.Name(attr::kId) + ")");
  update.AddTo(request);
  request["ReturnValues"] = return_values;
  auto answer = client_.Call("UpdateItem", std::move(request));
  if (!answer) return core::Fail(std::move(answer.error()));
  if (json::value* attributes = answer->if_contains("Attributes");
      attributes && attributes->is_object()) {
    return std::move(attributes->as_object());
  }
  return json::object{};
}

core::Result<void> DynamoJobTable::PutItem(json::object item, DynamoUpdate& condition) {
  json::object request{{"TableName", options_.table}, {"Item", std::move(item)}};
  condition.AddTo(request);
  auto answer = client_.Call("PutItem", std::move(request));
  if (!answer) return core::Fail(std::move(answer.error()));
  return {};
}

core::Result<json::object> DynamoJobTable::QueryDue(std::string_view due,
                                                    const std::string& condition,
                                                    std::int64_t bound, int limit,
                                                    const json::value* start) {
  DynamoUpdate expression;
  const std::string key = expression.Name(attr::kDue) + " = " + expression.Value(S(due)) + " AND " +
                          expression.Name(attr::kDueAt) + " " + condition + " " +
                          expression.Value(N(bound));
  json::object request{{"TableName", options_.table},
                       {"IndexName", kDueIndex},
                       {"KeyConditionExpression", key},
                       {"ScanIndexForward", true}};
  if (limit > 0) request["Limit"] = limit;
  if (start != nullptr) request["ExclusiveStartKey"] = *start;
  expression.AddTo(request);
  return client_.Call("Query", std::move(request));
}

json::object DynamoJobTable::ChangeStamp(const std::string& id) const {
  if (!options_.stamp_changes) return {};
  const std::int64_t wall = core::ToUnixMillis(system_clock_.Now());
  return json::object{{attr::kChange, S("c" + std::to_string(BucketOf(wall)) + "#" +
                                        std::to_string(ChangeShardOf(id, options_.change_shards)))},
                      {attr::kChangedAt, N(wall)},
                      {attr::kWriter, S(options_.writer)}};
}

void DynamoJobTable::Stamp(DynamoUpdate& update, const std::string& id) {
  for (auto& [name, value] : ChangeStamp(id)) update.Set(name, std::move(value.as_object()));
}

void DynamoJobTable::Visible(DynamoUpdate& update, const std::string& id, core::TimePoint now) {
  update.Set("updatedAt", N(core::ToUnixMillis(now))).Add("version", 1);
  Stamp(update, id);
}

void DynamoJobTable::HeldBy(DynamoUpdate& update, const Lease& lease, core::TimePoint now) {
  update.Condition(update.Name(attr::kState) + " = " + update.Value(S("running")) + " AND " +
                   update.Name("leaseOwner") + " = " + update.Value(S(lease.owner)) + " AND " +
                   update.Name("fence") + " = " + update.Value(N(lease.fence)) + " AND " +
                   update.Name("leaseExpiresAt") + " > " +
                   update.Value(N(core::ToUnixMillis(now))));
}

void DynamoJobTable::ClearLease(DynamoUpdate& update) {
  update.Set("leaseOwner", S("")).Set("leaseExpiresAt", N(0));
}

void DynamoJobTable::Expiring(DynamoUpdate& update, core::TimePoint purge_at) {
  update.Set("purgeAt", N(core::ToUnixMillis(purge_at)));
  if (purge_at > core::TimePoint{}) {  // 0: purged by the next Purge; no TTL in 1970
    update.Set("expiresAt", N(TtlSeconds(purge_at + options_.ttl_grace)));
  } else {
    update.Remove("expiresAt");
  }
  update.Set(attr::kDue, S(kDueExpiring)).Set(attr::kDueAt, N(core::ToUnixMillis(purge_at)));
}

void DynamoJobTable::SetError(DynamoUpdate& update, const std::optional<JobError>& error) {
  if (!error) return;  // the last error stays
  update.Set("errorCode", S(error->code))
      .Set("errorMessage", S(error->message))
      .Set("errorRetryable", Bool(error->retryable));
}

core::Result<void> DynamoJobTable::PutNewJob(const NewJob& job, std::vector<JobChange>& changes) {
  json::object item = NewJobItem(job);
  for (auto& [name, value] : ChangeStamp(job.id)) item[name] = std::move(value);
  // Tells our own put (sent again by DynamoClient after a lost answer) from anyone else's.
  const std::string token = core::NewId();
  item["insertToken"] = S(token);
  DynamoUpdate condition;
  condition.Condition("attribute_not_exists(" + condition.Name(attr::kId) + ")");
  auto put = PutItem(std::move(item), condition);
  if (!put && IsConflict(put.error())) {
    // Our own put, retried after its answer was lost? Then it is there as we wrote it.
    auto existing = GetItem(job.id);
    if (!existing) return core::Fail(std::move(existing.error()));
    const bool ours = GetS(*existing, "insertToken") == token;
    if (!ours) return put;
  } else if (!put) {
    return put;
  }
  changes.push_back(JobChange{job.id, 1, JobState::kQueued});
  return {};
}

core::Result<InsertOutcome> DynamoJobTable::Insert(const NewJob& job,
                                                   std::vector<JobChange>& changes) {
  if (!job.idempotency_key.empty()) return InsertWithKey(job, changes);
  auto put = PutNewJob(job, changes);
  if (!put) {
    if (IsConflict(put.error())) {
      return core::Fail(ErrorCode::kInternal, "a job with id " + job.id + " exists");
    }
    return core::Fail(std::move(put.error()));
  }
  return InsertOutcome{QueuedJob(job), true};
}

core::Result<InsertOutcome> DynamoJobTable::InsertWithKey(const NewJob& job,
                                                          std::vector<JobChange>& changes) {
  const std::string key_id = IdempotencyItemId(job.idempotency_key);
  for (int pass = 0; pass < 5; ++pass) {
    json::object key_item{{attr::kId, S(key_id)}, {"jobId", S(job.id)}};
    DynamoUpdate absent;
    absent.Condition("attribute_not_exists(" + absent.Name(attr::kId) + ")");
    auto claimed_key = PutItem(std::move(key_item), absent);
    if (claimed_key) {
      auto put = PutNewJob(job, changes);
      if (put) return InsertOutcome{QueuedJob(job), true};
      if (!IsConflict(put.error())) return core::Fail(std::move(put.error()));
      // Another insert with this key completed our job (we were slow): read it below.
    } else if (!IsConflict(claimed_key.error())) {
      return core::Fail(std::move(claimed_key.error()));
    }
    auto key = GetItem(key_id);
    if (!key) return core::Fail(std::move(key.error()));
    auto owner = GetS(*key, "jobId");
    if (!owner) continue;  // deleted by a purge meanwhile: claim the key again
    auto existing = GetItem(*owner);
    if (!existing) return core::Fail(std::move(existing.error()));
    if (existing->empty()) {
      // The key's inserter died before writing its job: this request (same key, same intent)
      // writes it under the key's id.
      NewJob adopted = job;
      adopted.id = *owner;
      auto put = PutNewJob(adopted, changes);
      if (put) return InsertOutcome{QueuedJob(std::move(adopted)), true};
      if (!IsConflict(put.error())) return core::Fail(std::move(put.error()));
      continue;  // written concurrently: read it again
    }
    if (GetBool(*existing, attr::kTombstone).value_or(false)) {
      // Purged: the key is free again (the purge deletes it too; do it in its place).
      DynamoUpdate same_owner;
      same_owner.Condition(same_owner.Name("jobId") + " = " + same_owner.Value(S(*owner)));
      json::object request{{"TableName", options_.table}, {"Key", Key(key_id)}};
      same_owner.AddTo(request);
      auto deleted = client_.Call("DeleteItem", std::move(request));
      if (!deleted && !IsConflict(deleted.error())) return core::Fail(std::move(deleted.error()));
      continue;
    }
    auto found = ItemToJob(*existing);
    if (!found) return core::Fail(std::move(found.error()));
    return InsertOutcome{std::move(*found), false};
  }
  return core::Fail(ErrorCode::kUnavailable,
                    "the idempotency key stayed contended; retry the insert");
}

core::Result<Job> DynamoJobTable::Get(const std::string& id) {
  auto item = GetItem(id);
  if (!item) return core::Fail(std::move(item.error()));
  if (item->empty()) return core::Fail(ErrorCode::kNotFound, "no job with id " + id);
  const bool tombstone = GetBool(*item, attr::kTombstone).value_or(false);
  const core::Clock& clock = options_.clock ? *options_.clock : system_clock_;
  const auto ttl = GetN(*item, "expiresAt");
  const bool expired = ttl && *ttl * 1000 <= core::ToUnixMillis(clock.Now());
  if (tombstone && expired) return core::Fail(ErrorCode::kNotFound, "no job with id " + id);
  if (tombstone || expired) {
    return core::Fail(ErrorCode::kGone, "job " + id + " was purged after its retention period");
  }
  return ItemToJob(*item);
}

core::Result<Job> DynamoJobTable::ClaimOne(const json::object& candidate,
                                           const ClaimOptions& options,
                                           std::vector<JobChange>& changes, bool& taken) {
  taken = false;
  const std::string id = GetS(candidate, attr::kId).value_or("");
  const std::int64_t attempt = GetN(candidate, "attempt").value_or(0);
  const std::int64_t max_attempts = GetN(candidate, "maxAttempts").value_or(3);
  const std::int64_t now = core::ToUnixMillis(options.now);
  DynamoUpdate update;
  const std::string n_state = update.Name(attr::kState);
  const std::string v_now = update.Value(N(now));
  update.Condition(update.Name("attempt") + " = " + update.Value(N(attempt)));
  update.Condition("(" + n_state + " = " + update.Value(S("queued")) + " AND " +
                   update.Name("runAt") + " <= " + v_now + ") OR (" + n_state + " = " +
                   update.Value(S("running")) + " AND " + update.Name("leaseExpiresAt") +
                   " <= " + v_now + ")");
  if (attempt + 1 > max_attempts) {
    update.Set(attr::kState, S("failed")).Set(attr::kStatus, S("failed"));
    ClearLease(update);
    update.Set("errorCode", S("max_attempts_exceeded"))
        .Set("errorMessage", S("the job was started " + std::to_string(attempt) +
                               " times without finishing; attempt " + std::to_string(attempt + 1) +
                               " would exceed max_attempts=" + std::to_string(max_attempts)))
        .Set("errorRetryable", Bool(false))
        .Set("cancelRequested", Bool(false));
    Expiring(update, options.failed_expires_at);
    Visible(update, id, options.now);
    auto failed = UpdateItem(id, update, "UPDATED_NEW");
    if (!failed) return core::Fail(std::move(failed.error()));
    changes.push_back(JobChange{id, GetN(*failed, "version").value_or(0), JobState::kFailed});
    return Job{};
  }
  const std::int64_t expires = core::ToUnixMillis(options.now + options.lease_duration);
  update.Set(attr::kState, S("running"))
      .Set(attr::kStatus, S("processing"))
      .Set("leaseOwner", S(options.owner))
      .Set("leaseExpiresAt", N(expires))
      .Add("fence", 1)
      .Add("attempt", 1)
      .Set(attr::kDue, S(kDueRunning))
      .Set(attr::kDueAt, N(expires));
  Visible(update, id, options.now);
  auto claimed = UpdateItem(id, update, "ALL_NEW");
  if (!claimed) return core::Fail(std::move(claimed.error()));
  auto job = ItemToJob(*claimed);
  if (!job) return job;
  changes.push_back(JobChange{job->id, job->version, job->state});
  taken = true;
  return job;
}

core::Result<std::vector<Job>> DynamoJobTable::Claim(const ClaimOptions& options,
                                                     std::vector<JobChange>& changes) {
  std::vector<Job> claimed;
  const std::size_t wanted = static_cast<std::size_t>(std::max(options.max_jobs, 0));
  if (wanted == 0) return claimed;
  // Two sources, read a page at a time: queued jobs due by run_at, running ones whose lease
  // expired; each round's candidates are tried oldest run_at first (the contract's order).
  struct Source {
    std::string_view due;
    json::value start;  // null: from the oldest
    bool done = false;
  };
  Source sources[] = {{kDueQueued, nullptr, false}, {kDueRunning, nullptr, false}};
  thread_local std::mt19937_64 random{std::random_device{}()};
  bool contended = false;
  for (int round = 0; round < 100 && claimed.size() < wanted; ++round) {
    const int limit =
        static_cast<int>(std::min<std::size_t>((wanted - claimed.size()) * 2 + 8, 100));
    std::vector<json::object> candidates;
    for (Source& source : sources) {
      if (source.done) continue;
      auto answer = QueryDue(source.due, "<=", core::ToUnixMillis(options.now), limit,
                             source.start.is_null() ? nullptr : &source.start);
      if (!answer) return core::Fail(std::move(answer.error()));
      if (const json::value* items = answer->if_contains("Items"); items && items->is_array()) {
        for (const json::value& item : items->as_array()) {
          if (item.is_object()) candidates.push_back(item.as_object());
        }
      }
      const json::value* next = answer->if_contains("LastEvaluatedKey");
      source.done = next == nullptr;
      if (next != nullptr) source.start = *next;
    }
    if (candidates.empty() && sources[0].done && sources[1].done) break;
    std::stable_sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
      return GetN(a, "runAt").value_or(0) < GetN(b, "runAt").value_or(0);
    });
    for (std::size_t i = 0; i < candidates.size() && claimed.size() < wanted; ++i) {
      bool taken = false;
      auto job = ClaimOne(candidates[i], options, changes, taken);
      if (!job) {
        if (!IsConflict(job.error())) {
          if (claimed.empty()) return core::Fail(std::move(job.error()));
          return claimed;  // what was claimed is held: hand it out
        }
        // Another claimer was first: the others read the same oldest candidates, so going on in
        // order would collide again; the rest of this round is tried in a random order.
        if (!contended) {
          contended = true;
          std::shuffle(candidates.begin() + static_cast<std::ptrdiff_t>(i) + 1, candidates.end(),
                       random);
        }
        continue;
      }
      if (taken) claimed.push_back(std::move(*job));
    }
    if (sources[0].done && sources[1].done) break;
  }
  return claimed;
}

}  // namespace vitarec::store::dynamodb
