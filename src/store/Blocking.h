// Blocking use of the asynchronous Store, for worker threads, tools and tests — never for I/O
// threads. Wait(f) starts `f(callback)` and blocks the calling thread until the callback ran.
#pragma once

#include <future>
#include <utility>

#include "store/Store.h"

namespace vitarec::store {

template <typename T, typename Start>
core::Result<T> Wait(Start&& start) {
  std::promise<core::Result<T>> promise;
  auto future = promise.get_future();
  std::forward<Start>(start)([&promise](core::Result<T> r) { promise.set_value(std::move(r)); });
  return future.get();
}

}  // namespace vitarec::store
