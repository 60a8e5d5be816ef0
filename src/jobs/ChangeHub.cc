#include "jobs/ChangeHub.h"

#include <algorithm>

namespace vitarec::jobs {

std::uint64_t ChangeHub::Subscribe(const std::string& id, Waiter waiter) {
  std::lock_guard lock(mu_);
  const std::uint64_t token = next_token_++;
  by_id_[id].push_back(Entry{token, std::move(waiter)});
  id_of_token_.emplace(token, id);
  return token;
}

void ChangeHub::Unsubscribe(std::uint64_t token) {
  std::lock_guard lock(mu_);
  auto it = id_of_token_.find(token);
  if (it == id_of_token_.end()) return;
  auto list = by_id_.find(it->second);
  if (list != by_id_.end()) {
    auto& entries = list->second;
    entries.erase(std::remove_if(entries.begin(), entries.end(),
                                 [token](const Entry& e) { return e.token == token; }),
                  entries.end());
    if (entries.empty()) by_id_.erase(list);
  }
  id_of_token_.erase(it);
}

void ChangeHub::Publish(const store::JobChange& change) {
  std::vector<Waiter> waiters;
  {
    std::lock_guard lock(mu_);
    auto it = by_id_.find(change.id);
    if (it == by_id_.end()) return;
    waiters.reserve(it->second.size());
    for (const Entry& e : it->second) waiters.push_back(e.waiter);
  }
  // Unlocked: a waiter may subscribe or unsubscribe.
  for (const Waiter& w : waiters) w(change);
}

std::size_t ChangeHub::SubscriberCount() const {
  std::lock_guard lock(mu_);
  return id_of_token_.size();
}

}  // namespace vitarec::jobs
