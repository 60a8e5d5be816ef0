#include "store/dynamodb/DynamoChangePoller.h"

#include <algorithm>

#include "core/Thread.h"
#include "store/StoreLog.h"

namespace vitarec::store::dynamodb {

DynamoChangePoller::DynamoChangePoller(DynamoJobTable& table, const ChangePublisher& publisher,
                                       ChangePollerOptions options)
    : table_(table), publisher_(publisher), options_(options) {
  cursor_ms_ = core::ToUnixMillis(core::SystemClock().Now());
  thread_ = std::thread([this] {
    core::NameThisThread("store-changes");
    Run();
  });
}

DynamoChangePoller::~DynamoChangePoller() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void DynamoChangePoller::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    PollOnce();
    lock.lock();
    wake_.wait_for(lock, options_.interval, [this] { return stopping_; });
  }
}

void DynamoChangePoller::PollOnce() {
  polls_.fetch_add(1, std::memory_order_relaxed);
  const std::int64_t after = cursor_ms_ - options_.overlap.count();
  const std::int64_t now = core::ToUnixMillis(core::SystemClock().Now());
  for (int shard = 0; shard < std::max(table_.options().change_shards, 1); ++shard) {
    for (std::int64_t bucket = table_.BucketOf(after); bucket <= table_.BucketOf(now); ++bucket) {
      auto changes = table_.RecentChanges(shard, bucket, after);
      if (!changes) {
        if (!failing_) {
          StoreLog().warn("dynamodb change poll failed error=\"{}\"", changes.error().message);
        }
        failing_ = true;
        return;  // the cursor stays: the next poll covers this one's window
      }
      for (const RecentChange& c : *changes) {
        if (c.writer == table_.options().writer) continue;
        auto& [version, at] = seen_[c.change.id];
        if (c.change.version <= version) continue;
        version = c.change.version;
        at = c.changed_at_ms;
        received_.fetch_add(1, std::memory_order_relaxed);
        publisher_.Publish(c.change);
      }
    }
  }
  if (failing_) StoreLog().info("dynamodb change poll recovered");
  failing_ = false;
  cursor_ms_ = now;
  // Entries older than the window can no longer come back from a query.
  const std::int64_t forget_before = cursor_ms_ - 2 * options_.overlap.count();
  std::erase_if(seen_, [&](const auto& entry) { return entry.second.second < forget_before; });
}

}  // namespace vitarec::store::dynamodb
