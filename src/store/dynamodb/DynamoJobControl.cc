// DynamoJobTable: Retry, Cancel, Purge, CountActive, Ping and the change index.
#include <algorithm>

#include "store/dynamodb/DynamoItem.h"
#include "store/dynamodb/DynamoJobTable.h"

namespace vitarec::store::dynamodb {
namespace {

namespace json = boost::json;
using core::ErrorCode;

const json::array* ItemsOf(const json::object& answer) {
  const json::value* items = answer.if_contains("Items");
  return items != nullptr && items->is_array() ? &items->as_array() : nullptr;
}

}  // namespace

core::Error DynamoJobTable::MissingOrState(const std::string& id, std::string_view operation) {
  auto item = GetItem(id);
  if (!item) return std::move(item.error());
  if (item->empty()) return core::MakeError(ErrorCode::kNotFound, "no job with id " + id);
  if (GetBool(*item, attr::kTombstone).value_or(false)) {
    return core::MakeError(ErrorCode::kGone,
                           "job " + id + " was purged after its retention period");
  }
  auto job = ItemToJob(*item);
  if (!job) return std::move(job.error());
  if (!GetS(*item, attr::kState)) {
    return core::MakeError(ErrorCode::kConflict,
                           "cannot " + std::string(operation) + " job " + id +
                               ": the old system wrote it (vitarec adopt takes over the ones it "
                               "left processing)");
  }
  return core::MakeError(ErrorCode::kConflict, "cannot " + std::string(operation) + " job " + id +
                                                   ": it is " +
                                                   std::string(JobStateName(job->state)));
}

core::Result<Job> DynamoJobTable::Retry(const std::string& id, core::TimePoint now,
                                        const std::string& message,
                                        std::vector<JobChange>& changes) {
  DynamoUpdate update;
  const std::string state = update.Name(attr::kState);
  update.Condition(state + " = " + update.Value(S("failed")) + " OR " + state + " = " +
                   update.Value(S("cancelled")));
  update.Set(attr::kState, S("queued"))
      .Set(attr::kStatus, S("processing"))
      .Set("runAt", N(core::ToUnixMillis(now)))
      .Set("attempt", N(0))
      .Set(attr::kProgress, N(0))
      .Set(attr::kProgressMessage, S(message))
      .Set("cancelRequested", Bool(false))
      .Set("purgeAt", N(0))
      .Remove("expiresAt")
      .Set(attr::kDue, S(kDueQueued))
      .Set(attr::kDueAt, N(core::ToUnixMillis(now)));
  Visible(update, id, now);
  auto written = UpdateItem(id, update, "ALL_NEW");
  if (!written) {
    if (written.error().code != ErrorCode::kConflict) return core::Fail(std::move(written.error()));
    return core::Fail(MissingOrState(id, "retry"));
  }
  auto job = ItemToJob(*written);
  if (job) changes.push_back(JobChange{job->id, job->version, job->state});
  return job;
}

core::Result<Job> DynamoJobTable::Cancel(const std::string& id, core::TimePoint now,
                                         core::TimePoint expires_at, const std::string& message,
                                         std::vector<JobChange>& changes) {
  // Read, then a write conditional on the version read; a change in between reads again.
  for (int pass = 0; pass < 5; ++pass) {
    auto current = Get(id);
    if (!current) return core::Fail(std::move(current.error()));
    // An old system's item reads as running without a lease: not Vitarec's to cancel.
    const bool legacy = current->state == JobState::kRunning && current->fence == 0;
    if (IsFinal(current->state) || legacy) return core::Fail(MissingOrState(id, "cancel"));
    DynamoUpdate update;
    update.Condition(update.Name("version") + " = " + update.Value(N(current->version)));
    update.Condition(update.Name(attr::kState) + " = " +
                     update.Value(S(JobStateName(current->state))));
    update.Set(attr::kProgressMessage, S(message));
    if (current->state == JobState::kQueued) {
      update.Set(attr::kState, S("cancelled")).Set(attr::kStatus, S("cancelled"));
      Expiring(update, expires_at);
    } else {
      update.Set("cancelRequested", Bool(true));
    }
    Visible(update, id, now);
    auto written = UpdateItem(id, update, "ALL_NEW");
    if (!written) {
      if (written.error().code == ErrorCode::kConflict) continue;
      return core::Fail(std::move(written.error()));
    }
    auto job = ItemToJob(*written);
    if (job) changes.push_back(JobChange{job->id, job->version, job->state});
    return job;
  }
  return core::Fail(ErrorCode::kUnavailable, "job " + id + " kept changing; retry the cancel");
}

core::Result<int> DynamoJobTable::Purge(const PurgeOptions& options) {
  const int limit = std::max(options.limit, 0);
  int purged = 0;
  if (limit > 0) {
    auto expiring = QueryDue(kDueExpiring, "<=", core::ToUnixMillis(options.now), limit, nullptr);
    if (!expiring) return core::Fail(std::move(expiring.error()));
    if (const json::array* items = ItemsOf(*expiring)) {
      for (const json::value& value : *items) {
        const json::object& candidate = value.as_object();
        const std::string id = GetS(candidate, attr::kId).value_or("");
        const std::int64_t now = core::ToUnixMillis(options.now);
        json::object tombstone{
            {attr::kId, S(id)},     {attr::kTombstone, Bool(true)},
            {"purgedAt", N(now)},   {attr::kDue, S(kDueTombstone)},
            {attr::kDueAt, N(now)}, {"expiresAt", N(TtlSeconds(options.now + options_.ttl_grace))}};
        // Unchanged since the query: still expiring, at the same time (a retry or a new finish
        // moves either).
        DynamoUpdate unchanged;
        unchanged.Condition(unchanged.Name(attr::kDue) + " = " + unchanged.Value(S(kDueExpiring)));
        unchanged.Condition(unchanged.Name(attr::kDueAt) + " = " +
                            unchanged.Value(N(GetN(candidate, attr::kDueAt).value_or(-1))));
        auto put = PutItem(std::move(tombstone), unchanged);
        if (!put) {
          if (put.error().code == ErrorCode::kConflict) continue;  // changed since: not now
          return core::Fail(std::move(put.error()));
        }
        ++purged;
        if (auto key = GetS(candidate, "idempotencyKey")) {
          DynamoUpdate owned;
          owned.Condition(owned.Name("jobId") + " = " + owned.Value(S(id)));
          json::object request{{"TableName", options_.table},
                               {"Key", Key(IdempotencyItemId(*key))}};
          owned.AddTo(request);
          auto deleted = client_.Call("DeleteItem", std::move(request));
          if (!deleted && deleted.error().code != ErrorCode::kConflict) {
            return core::Fail(std::move(deleted.error()));
          }
        }
      }
    }
  }
  auto old = QueryDue(kDueTombstone, "<", core::ToUnixMillis(options.tombstones_before),
                      std::max(limit, 1), nullptr);
  if (!old) return core::Fail(std::move(old.error()));
  if (const json::array* items = ItemsOf(*old)) {
    for (const json::value& value : *items) {
      DynamoUpdate still_tombstone;
      still_tombstone.Condition("attribute_exists(" + still_tombstone.Name(attr::kTombstone) + ")");
      json::object request{{"TableName", options_.table},
                           {"Key", Key(GetS(value.as_object(), attr::kId).value_or(""))}};
      still_tombstone.AddTo(request);
      auto deleted = client_.Call("DeleteItem", std::move(request));
      if (!deleted && deleted.error().code != ErrorCode::kConflict) {
        return core::Fail(std::move(deleted.error()));
      }
    }
  }
  return purged;
}

core::Result<std::int64_t> DynamoJobTable::CountActive() {
  std::int64_t count = 0;
  for (std::string_view due : {kDueQueued, kDueRunning}) {
    json::value start;
    for (int page = 0; page < 1000; ++page) {
      DynamoUpdate expression;
      json::object request{{"TableName", options_.table},
                           {"IndexName", kDueIndex},
                           {"Select", "COUNT"},
                           {"KeyConditionExpression",
                            expression.Name(attr::kDue) + " = " + expression.Value(S(due))}};
      if (!start.is_null()) request["ExclusiveStartKey"] = start;
      expression.AddTo(request);
      auto answer = client_.Call("Query", std::move(request));
      if (!answer) return core::Fail(std::move(answer.error()));
      if (const json::value* c = answer->if_contains("Count"); c && c->is_int64()) {
        count += c->as_int64();
      }
      const json::value* next = answer->if_contains("LastEvaluatedKey");
      if (next == nullptr) break;
      start = *next;
    }
  }
  return count;
}

core::Result<void> DynamoJobTable::Ping() {
  auto item = GetItem("vitarec#ping", false);
  if (!item) return core::Fail(std::move(item.error()));
  return {};
}

core::Result<std::vector<RecentChange>> DynamoJobTable::RecentChanges(int shard,
                                                                      std::int64_t bucket,
                                                                      std::int64_t after_ms) {
  std::vector<RecentChange> out;
  json::value start;
  for (int page = 0; page < 20; ++page) {
    DynamoUpdate expression;
    json::object request{
        {"TableName", options_.table},
        {"IndexName", kChangeIndex},
        {"KeyConditionExpression",
         expression.Name(attr::kChange) + " = " +
             expression.Value(S("c" + std::to_string(bucket) + "#" + std::to_string(shard))) +
             " AND " + expression.Name(attr::kChangedAt) + " > " + expression.Value(N(after_ms))}};
    if (!start.is_null()) request["ExclusiveStartKey"] = start;
    expression.AddTo(request);
    auto answer = client_.Call("Query", std::move(request));
    if (!answer) return core::Fail(std::move(answer.error()));
    if (const json::array* items = ItemsOf(*answer)) {
      for (const json::value& value : *items) {
        const json::object& item = value.as_object();
        auto state = ParseJobState(GetS(item, attr::kState).value_or(""));
        if (!state) continue;
        out.push_back(RecentChange{JobChange{GetS(item, attr::kId).value_or(""),
                                             GetN(item, "version").value_or(0), *state},
                                   GetS(item, attr::kWriter).value_or(""),
                                   GetN(item, attr::kChangedAt).value_or(0)});
      }
    }
    const json::value* next = answer->if_contains("LastEvaluatedKey");
    if (next == nullptr) break;
    start = *next;
  }
  return out;
}

}  // namespace vitarec::store::dynamodb
