// The NOTIFY payload announcing job changes to the other nodes.
//
// Payload: one line per change, "id version state" ("3f2a...-... 4 running"), lines joined by
// '\n'; a batch is split into payloads under PostgreSQL's 8000-byte limit.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/ChangePublisher.h"
#include "store/Store.h"

namespace vitarec::store::postgres {

// The payloads announcing `changes`, each at most kMaxPayload bytes.
inline constexpr std::size_t kMaxPayload = 7900;
std::vector<std::string> EncodePayloads(const std::vector<JobChange>& changes);

// The changes in `payload`; malformed lines are skipped.
std::vector<JobChange> DecodePayload(std::string_view payload);

}  // namespace vitarec::store::postgres
