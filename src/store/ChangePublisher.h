// Job changes on their way to the store's ChangeListener.
#pragma once

#include <memory>
#include <mutex>

#include "store/Store.h"

namespace vitarec::store {

// Holds the listener and calls it, swallowing (and logging) what it throws. Thread-safe.
class ChangePublisher {
 public:
  void Set(ChangeListener listener);
  void Publish(const JobChange& change) const;

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const ChangeListener> listener_;  // guarded by mu_
};

}  // namespace vitarec::store
