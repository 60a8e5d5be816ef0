// Job changes on their way to the store's ChangeListener, and their NOTIFY payload.
//
// Payload: one line per change, "id version state" ("3f2a...-... 4 running"), lines joined by
// '\n'; a batch is split into payloads under PostgreSQL's 8000-byte limit.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "store/Store.h"

namespace vitarec::store::postgres {

// Holds the listener and calls it, swallowing (and logging) what it throws. Thread-safe.
class ChangePublisher {
 public:
  void Set(ChangeListener listener);
  void Publish(const JobChange& change) const;

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const ChangeListener> listener_;  // guarded by mu_
};

// The payloads announcing `changes`, each at most kMaxPayload bytes.
inline constexpr std::size_t kMaxPayload = 7900;
std::vector<std::string> EncodePayloads(const std::vector<JobChange>& changes);

// The changes in `payload`; malformed lines are skipped.
std::vector<JobChange> DecodePayload(std::string_view payload);

}  // namespace vitarec::store::postgres
