#include "store/ChangePublisher.h"

#include <exception>
#include <utility>

#include "store/StoreLog.h"

namespace vitarec::store {

void ChangePublisher::Set(ChangeListener listener) {
  auto shared = std::make_shared<const ChangeListener>(std::move(listener));
  std::lock_guard lock(mu_);
  listener_ = std::move(shared);
}

void ChangePublisher::Publish(const JobChange& change) const {
  std::shared_ptr<const ChangeListener> listener;
  {
    std::lock_guard lock(mu_);
    listener = listener_;
  }
  if (!listener || !*listener) return;
  try {
    (*listener)(change);
  } catch (const std::exception& e) {
    StoreLog().error("store change listener threw error=\"{}\"", e.what());
  } catch (...) {
    StoreLog().error("store change listener threw error=unknown");
  }
}

}  // namespace vitarec::store
