// The table the DynamoDB store needs, checked (and, when asked, created) at start-up.
//
// Table: partition key `recommendation_id` (S), the old system's key. Indexes, both sparse
// (an item without the index's key attributes is not in it):
//   vitarec-due      `vitarecDue` (S) + `vitarecDueAt` (N). "queued" jobs by run_at and
//                    "running" ones by lease expiry (Claim, CountActive), "expiring" final jobs
//                    by purge time, "tombstone"s by purge time. Projection INCLUDE of what a
//                    claim or a purge decides on (state, attempt, maxAttempts,
//                    idempotencyKey, runAt; not version, which every progress write changes).
//   vitarec-changes  `vitarecChange` (S: time bucket + shard) + `vitarecChangedAt` (N, ms):
//                    recent changes for the other nodes. INCLUDE state, version, vitarecWriter.
// TTL on `expiresAt` (Unix seconds). New tables are on-demand (PAY_PER_REQUEST).
#pragma once

#include <string>

#include "core/Error.h"
#include "store/dynamodb/DynamoClient.h"

namespace vitarec::store::dynamodb {

// Checks that `table` exists with the key and both indexes. With `create`, creates what is
// missing (the table with its indexes, or the indexes of an existing table, e.g. the old
// system's) and enables TTL, waiting up to `wait` for it to become active. Without, a missing
// table or index is kUnavailable with a message that says what to create.
core::Result<void> EnsureTable(DynamoClient& client, const std::string& table, bool create,
                               core::Millis wait = core::Millis(300'000));

}  // namespace vitarec::store::dynamodb
