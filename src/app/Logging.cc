#include "app/Logging.h"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace vitarec::app {

void SetUpLogging(const std::string& level) {
  static bool done = false;
  if (done) return;
  done = true;
  spdlog::init_thread_pool(16384, 1);
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  const auto parsed = spdlog::level::from_str(level);
  for (const char* name : {"app", "http", "jobs", "store"}) {
    auto logger = std::make_shared<spdlog::async_logger>(
        name, sink, spdlog::thread_pool(), spdlog::async_overflow_policy::block);
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %-5l %-5n %v", spdlog::pattern_time_type::utc);
    logger->set_level(parsed);
    logger->flush_on(spdlog::level::warn);
    spdlog::register_logger(logger);
  }
  spdlog::set_default_logger(spdlog::get("app"));
  spdlog::flush_every(std::chrono::seconds(1));
}

}  // namespace vitarec::app
