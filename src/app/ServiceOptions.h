// Every setting of `vitarec serve` and `vitarec worker`, with its default. Filled from flags and
// VITAREC_* environment variables by AddServiceOptions; consumed by Service.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace vitarec::app {

struct ServiceOptions {
  bool http = true;  // false for `vitarec worker`
  std::string listen = "127.0.0.1:8080";
  std::string store = "sqlite:./vitarec-data/vitarec.db";
  std::string data_dir;     // empty: the knowledge base compiled into the binary
  int http_threads = 0;     // 0: one per core
  int max_inflight = 4096;  // jobs in flight in this process (0: no jobs run here)
  int cpu_slots = 0;        // threads for the CPU stages (0: one per core)
  int workers = -1;         // --workers: the old name of --max-inflight (-1: not given)
  int max_attempts = 3;
  int lease_ms = 15000;
  int poll_ms = 500;
  int job_timeout_s = 120;
  int stage_delay_ms = 0;
  int worker_nice = 10;  // scheduling priority of the CPU slot threads (0: as the I/O threads)
  int read_timeout_s = 15;
  int max_connections = 10000;
  int shutdown_grace_s = 10;
  int sqlite_readers = 2;
  std::string sqlite_sync = "full";
  bool dynamodb_create_table = false;  // create the DynamoDB table or its indexes when missing
  std::string log_level = "info";
  bool access_log = true;
  std::int64_t max_queued = 100000;
  int completed_retention_days = 30;
  int failed_retention_days = 7;
  int fail_first_claims = 0;
  std::string admin_token;  // protects retry, cancel and /metrics when set
  std::string backend;      // front-end tier: relay the API to this URL; no store, no workers
};

// Registers the flags on `command`, each with its VITAREC_* environment variable.
void AddServiceOptions(CLI::App& command, ServiceOptions& options);

}  // namespace vitarec::app
