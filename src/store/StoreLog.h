// The store subsystem's logger, named "store". When the application registered a logger of that
// name before the first use, that one is used; otherwise a clone of spdlog's default logger.
// Events are a stable phrase plus key=value pairs ("store write batch failed ops=3 error=...").
#pragma once

#include <spdlog/logger.h>

#include <memory>

namespace vitarec::store {

// Thread-safe; never null.
spdlog::logger& StoreLog();

}  // namespace vitarec::store
