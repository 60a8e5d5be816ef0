// How a job is laid out as a DynamoDB item, and the reading of items the old system wrote.
//
// One item per job, key `recommendation_id` (S). The old system's attributes keep their names and
// values: `status` (processing while queued or running, then completed | failed | cancelled),
// `progress` (N), `progressMessage`, `quiz_id`, `category`, `recommendation` (the result's JSON
// text, S). Vitarec's own ones: `state` (queued | running | completed | failed | cancelled;
// absent on an old item), `locale`, `request` (JSON text), `idempotencyKey`, `errorCode`,
// `errorMessage`, `errorRetryable`, `attempt`, `maxAttempts`, `leaseOwner`, `leaseExpiresAt`,
// `fence`, `runAt`, `createdAt`, `updatedAt` (N, Unix ms), `version`, `cancelRequested`,
// `purgeAt` (N, the contract's expires_at) and `expiresAt` (N, Unix seconds: the table's TTL
// attribute), `insertToken` (tells a retried insert its own item). Index attributes
// (DynamoTable.h): `vitarecDue` + `vitarecDueAt` (the job's place in the queue, in the purge list
// or among the tombstones) and `vitarecChange` + `vitarecChangedAt` + `vitarecWriter` (recent
// changes, for other nodes).
//
// Other kinds of item in the table: a tombstone (`tombstone` BOOL, `purgedAt`), an idempotency
// key ("idempotency#" + key, `jobId`).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/Clock.h"
#include "core/Error.h"
#include "store/Job.h"

namespace vitarec::store::dynamodb {

namespace attr {
inline constexpr const char* kId = "recommendation_id";
inline constexpr const char* kStatus = "status";
inline constexpr const char* kState = "state";
inline constexpr const char* kProgress = "progress";
inline constexpr const char* kProgressMessage = "progressMessage";
inline constexpr const char* kRecommendation = "recommendation";
inline constexpr const char* kTombstone = "tombstone";
inline constexpr const char* kDue = "vitarecDue";
inline constexpr const char* kDueAt = "vitarecDueAt";
inline constexpr const char* kChange = "vitarecChange";
inline constexpr const char* kChangedAt = "vitarecChangedAt";
inline constexpr const char* kWriter = "vitarecWriter";
}  // namespace attr

// The values of `vitarecDue`.
inline constexpr std::string_view kDueQueued = "queued";    // by run_at
inline constexpr std::string_view kDueRunning = "running";  // by lease expiry
inline constexpr std::string_view kDueExpiring = "expiring";
inline constexpr std::string_view kDueTombstone = "tombstone";

// The key of the item that holds an idempotency key.
std::string IdempotencyItemId(std::string_view key);

// Attribute values.
boost::json::object S(std::string_view value);
boost::json::object N(std::int64_t value);
boost::json::object Bool(bool value);
boost::json::object Key(std::string_view id);

// Attributes of `item`: nullopt when absent or of another type.
std::optional<std::string> GetS(const boost::json::object& item, std::string_view name);
std::optional<std::int64_t> GetN(const boost::json::object& item, std::string_view name);
std::optional<bool> GetBool(const boost::json::object& item, std::string_view name);

// A DynamoDB attribute value ({"M": ...}, {"N": "1"}, ...) as plain JSON; null for NULL or
// binary values.
boost::json::value AttributeToJson(const boost::json::value& attribute);

// "processing" for queued and running, else the state's name.
std::string_view StatusOf(JobState state);

// The item of a new queued job (index attributes excepted).
boost::json::object NewJobItem(const NewJob& job);

// The job an item holds: a Vitarec item, or an old system's one (no `state`: processing reads
// as running without a lease, `recommendation` as S or M, times as N or ISO 8601 S, version 1
// when absent). kInternal when it is not a job at all.
core::Result<Job> ItemToJob(const boost::json::object& item);

// The TTL value (Unix seconds, rounded up) of a time.
std::int64_t TtlSeconds(core::TimePoint t);

}  // namespace vitarec::store::dynamodb
