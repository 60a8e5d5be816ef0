#include "jobs/ChangeHub.h"

#include <algorithm>

namespace vitarec::jobs {
namespace {

// Waiter calls under way on this thread, over every hub: an Unsubscribe made from inside a
// waiter must not wait for other calls to end (two waiters unsubscribing each other would wait
// forever).
thread_local int waiter_calls_on_this_thread = 0;

}  // namespace

ChangeHub::~ChangeHub() = default;

std::uint64_t ChangeHub::Subscribe(const std::string& id, Waiter waiter) {
  auto subscription = std::make_unique<Subscription>();
  subscription->waiter = std::move(waiter);
  std::lock_guard lock(mu_);
  const std::uint64_t token = next_token_++;
  subscription->token = token;
  by_id_[id].push_back(std::move(subscription));
  id_of_token_.emplace(token, id);
  return token;
}

void ChangeHub::Unsubscribe(std::uint64_t token) {
  std::unique_ptr<Subscription> removed;
  {
    std::unique_lock lock(mu_);
    auto it = id_of_token_.find(token);
    if (it == id_of_token_.end()) return;
    auto list = by_id_.find(it->second);
    id_of_token_.erase(it);
    if (list == by_id_.end()) return;
    auto& entries = list->second;
    auto entry = std::find_if(entries.begin(), entries.end(),
                              [token](const auto& s) { return s->token == token; });
    if (entry == entries.end()) return;
    removed = std::move(*entry);
    entries.erase(entry);
    if (entries.empty()) by_id_.erase(list);
    removed->unsubscribed = true;
    if (removed->calls > 0 && waiter_calls_on_this_thread > 0) {
      removed->released_by_publish = true;
      removed.release();  // owned by the calls under way; the last one destroys it
      return;
    }
    calls_ended_.wait(lock, [&] { return removed->calls == 0; });
  }
  // `removed` (and whatever its waiter captured) is destroyed here, unlocked.
}

std::unique_ptr<ChangeHub::Subscription> ChangeHub::EndCall(Subscription* s) {
  std::lock_guard lock(mu_);
  if (--s->calls > 0) return nullptr;
  if (s->released_by_publish) return std::unique_ptr<Subscription>(s);
  if (s->unsubscribed) calls_ended_.notify_all();
  return nullptr;
}

void ChangeHub::Publish(const store::JobChange& change) {
  std::vector<Subscription*> subscriptions;
  {
    std::lock_guard lock(mu_);
    auto it = by_id_.find(change.id);
    if (it == by_id_.end()) return;
    subscriptions.reserve(it->second.size());
    for (const auto& s : it->second) {
      ++s->calls;  // keeps `s` alive until EndCall: Unsubscribe waits for it
      subscriptions.push_back(s.get());
    }
  }
  // Unlocked: a waiter may subscribe or unsubscribe.
  for (Subscription* s : subscriptions) {
    const bool unsubscribed = [&] {
      std::lock_guard lock(mu_);
      return s->unsubscribed;
    }();
    if (!unsubscribed) {
      ++waiter_calls_on_this_thread;
      s->waiter(change);
      --waiter_calls_on_this_thread;
    }
    EndCall(s);  // destroys `s` here, unlocked, when it was left to this call
  }
}

std::size_t ChangeHub::SubscriberCount() const {
  std::lock_guard lock(mu_);
  return id_of_token_.size();
}

}  // namespace vitarec::jobs
