// Changes other nodes commit to the table, found by polling the `vitarec-changes` index (DynamoDB
// has no LISTEN/NOTIFY, and dynalite no Streams) and handed to the ChangePublisher.
//
// Every `interval` the poller queries, for each shard, the changes stamped after its previous
// poll minus `overlap` (one time bucket, two at a bucket's edge): `shards` Query calls per
// interval when nothing changed (each 0.5 read unit, eventually consistent); a change is read
// again by the polls within `overlap` of it (about overlap / interval times). A change is published
// once per (id, version) newer than the last published for that id; this node's own writes are
// skipped (they were published when they committed). Added latency for another node's change: at
// most `interval` plus the index's propagation (usually well under a second on AWS, none on
// dynalite). A change stamped by a node whose clock lags this one's by more than `overlap` can be
// missed: keep the nodes' clocks in sync (NTP) — long-polls still end at their timeout and
// workers still claim at their poll interval.
//
// Threads: one thread of its own; Publish runs on it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "store/ChangePublisher.h"
#include "store/dynamodb/DynamoJobTable.h"

namespace vitarec::store::dynamodb {

struct ChangePollerOptions {
  core::Millis interval{250};
  core::Millis overlap{1000};
};

class DynamoChangePoller {
 public:
  // Starts polling at once; `table` and `publisher` must outlive the poller.
  DynamoChangePoller(DynamoJobTable& table, const ChangePublisher& publisher,
                     ChangePollerOptions options);
  ~DynamoChangePoller();

  std::int64_t polls() const { return polls_.load(); }
  std::int64_t received() const { return received_.load(); }

 private:
  void Run();
  void PollOnce();

  DynamoJobTable& table_;
  const ChangePublisher& publisher_;
  const ChangePollerOptions options_;

  // The poller's thread only.
  std::int64_t cursor_ms_ = 0;  // wall clock of the last successful poll
  std::unordered_map<std::string, std::pair<std::int64_t, std::int64_t>> seen_;  // version, at
  bool failing_ = false;

  std::atomic<std::int64_t> polls_{0}, received_{0};
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace vitarec::store::dynamodb
