#include "store/StoreLog.h"

#include <spdlog/spdlog.h>

namespace vitarec::store {

spdlog::logger& StoreLog() {
  static const std::shared_ptr<spdlog::logger> logger = [] {
    if (auto existing = spdlog::get("store")) return existing;
    auto created = spdlog::default_logger()->clone("store");
    try {
      spdlog::register_logger(created);
    } catch (const spdlog::spdlog_ex&) {
      // Registered concurrently by the application: use theirs.
      if (auto existing = spdlog::get("store")) return existing;
    }
    return created;
  }();
  return *logger;
}

}  // namespace vitarec::store
