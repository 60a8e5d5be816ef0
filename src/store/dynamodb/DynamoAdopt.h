// `vitarec adopt`: the cutover from the old system. Its items left `processing` (no Vitarec
// `state`) are queued again as Vitarec jobs, so that the workers finish them.
//
// At-least-once and idempotent: each item is taken by one conditional UpdateItem (condition: no
// `state` yet and still `status = processing`), so running adopt again, or on two machines,
// adopts nothing twice; the old system may still finish an item it was working on (then the
// job runs once more and its result replaces the old one, same id). Cost: one Scan of the whole
// table (read units ~ table size / 4 KiB, eventually consistent) plus one write per item.
//
// The request to run: the item's `request` (JSON text or map) when the old system kept one,
// else one built from its `query`, `answers`, `quiz_id`, `category` and `locale` attributes; an
// item with neither query nor answers is left as it is and counted as skipped.
#pragma once

#include <cstdint>

#include "core/Clock.h"
#include "core/Error.h"
#include "store/Store.h"

namespace vitarec::store::dynamodb {

struct AdoptReport {
  std::int64_t scanned = 0;  // items read
  std::int64_t adopted = 0;  // queued by this run
  std::int64_t skipped = 0;  // processing, but nothing to run
};

// kInvalidArgument when `store` is not a DynamoDB store; kUnavailable when the table cannot be
// read or written (what was adopted before stays adopted: run it again).
core::Result<AdoptReport> AdoptLegacyJobs(Store& store, core::TimePoint now, int max_attempts = 3);

}  // namespace vitarec::store::dynamodb
