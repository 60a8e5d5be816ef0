// The store subsystem's logger, named "store". When the application registered a logger of that
// name before the first use, that one is used; otherwise a clone of spdlog's default logger.
// Events are a stable phrase plus key=value pairs ("store write batch failed ops=3 error=...").
#pragma once

#include <spdlog/logger.h>

#include <exception>
#include <memory>

namespace vitarec::store {

// Thread-safe; never null.
spdlog::logger& StoreLog();

// Runs `call`, which runs the caller's code (a callback, a listener), logging what it throws
// instead of letting it end the store thread that runs it.
template <typename Call>
void CallGuarded(Call&& call) {
  try {
    call();
  } catch (const std::exception& e) {
    StoreLog().error("store callback threw error=\"{}\"", e.what());
  } catch (...) {
    StoreLog().error("store callback threw error=unknown");
  }
}

}  // namespace vitarec::store
