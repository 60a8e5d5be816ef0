#include "app/ServiceOptions.h"

namespace vitarec::app {

void AddServiceOptions(CLI::App& c, ServiceOptions& o) {
  c.add_option("--store", o.store, "sqlite:PATH, postgresql://... or dynamodb://TABLE?region=...")
      ->envname("VITAREC_STORE")
      ->capture_default_str();
  c.add_flag("--dynamodb-create-table", o.dynamodb_create_table,
             "create the DynamoDB table and its indexes when they are missing")
      ->envname("VITAREC_DYNAMODB_CREATE_TABLE");
  c.add_option("--data-dir", o.data_dir,
               "read the knowledge base from this folder instead of the built-in copy")
      ->envname("VITAREC_DATA_DIR");
  c.add_option("--max-inflight", o.max_inflight,
               "jobs in flight in this process at once; a job waiting for a timer or I/O holds "
               "no thread (0: no jobs run here)")
      ->envname("VITAREC_MAX_INFLIGHT")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  c.add_option("--cpu-slots", o.cpu_slots,
               "threads that run the CPU stages of the jobs (0: one per core)")
      ->envname("VITAREC_CPU_SLOTS")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  c.add_option("--workers", o.workers, "old name of --max-inflight (kept as an alias)")
      ->envname("VITAREC_WORKERS")
      ->check(CLI::Range(0, 1000000));
  c.add_option("--max-attempts", o.max_attempts, "runs of a job before it fails for good")
      ->envname("VITAREC_MAX_ATTEMPTS")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  c.add_option("--lease-ms", o.lease_ms, "how long a claimed job stays owned without renewal")
      ->envname("VITAREC_LEASE_MS")
      ->check(CLI::Range(100, 3600000))
      ->capture_default_str();
  c.add_option("--poll-ms", o.poll_ms, "claim at least this often")
      ->envname("VITAREC_POLL_MS")
      ->check(CLI::Range(10, 60000))
      ->capture_default_str();
  c.add_option("--job-timeout", o.job_timeout_s, "seconds one attempt may take")
      ->envname("VITAREC_JOB_TIMEOUT")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  c.add_option("--worker-nice", o.worker_nice,
               "nice value of the CPU slot threads: under a burst, answering requests comes "
               "first and the backlog is worked off after (0: same priority)")
      ->envname("VITAREC_WORKER_NICE")
      ->check(CLI::Range(0, 19))
      ->capture_default_str();
  c.add_option("--stage-delay-ms", o.stage_delay_ms,
               "extra time awaited at each stage, holding no thread (demonstrations, browser "
               "tests, the slow-work benchmark)")
      ->envname("VITAREC_STAGE_DELAY_MS")
      ->check(CLI::Range(0, 60000))
      ->capture_default_str();
  c.add_option("--shutdown-grace", o.shutdown_grace_s,
               "seconds running jobs get to finish on SIGTERM before they are handed back")
      ->envname("VITAREC_SHUTDOWN_GRACE")
      ->check(CLI::Range(0, 3600))
      ->capture_default_str();
  c.add_option("--sqlite-readers", o.sqlite_readers, "SQLite reader threads")
      ->envname("VITAREC_SQLITE_READERS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  c.add_option("--sqlite-sync", o.sqlite_sync,
               "SQLite synchronous mode: full (survives power loss) or normal (survives crashes)")
      ->envname("VITAREC_SQLITE_SYNC")
      ->check(CLI::IsMember({"full", "normal"}))
      ->capture_default_str();
  c.add_option("--log-level", o.log_level, "trace, debug, info, warn, error, off")
      ->envname("VITAREC_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  c.add_option("--completed-retention-days", o.completed_retention_days,
               "days a completed recommendation is kept (then 410 Gone)")
      ->envname("VITAREC_COMPLETED_RETENTION_DAYS")
      ->check(CLI::Range(1, 3650))
      ->capture_default_str();
  c.add_option("--failed-retention-days", o.failed_retention_days,
               "days a failed or cancelled recommendation is kept")
      ->envname("VITAREC_FAILED_RETENTION_DAYS")
      ->check(CLI::Range(1, 3650))
      ->capture_default_str();
  c.add_option("--fail-first-claims", o.fail_first_claims,
               "chaos testing: the first N runs of every job fail (0 in production)")
      ->envname("VITAREC_FAIL_FIRST_CLAIMS")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  if (!o.http) return;
  c.add_option("--max-queued", o.max_queued,
               "queued + running jobs before new submissions get 503 (0: no cap)")
      ->envname("VITAREC_MAX_QUEUED")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 40))
      ->capture_default_str();
  c.add_option("--listen", o.listen, "address:port to serve HTTP on")
      ->envname("VITAREC_LISTEN")
      ->capture_default_str();
  c.add_option("--http-threads", o.http_threads, "I/O threads (0: one per core)")
      ->envname("VITAREC_HTTP_THREADS")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  c.add_option("--read-timeout", o.read_timeout_s,
               "seconds a client has to send a whole request (also the keep-alive idle limit)")
      ->envname("VITAREC_READ_TIMEOUT")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  c.add_option("--max-connections", o.max_connections, "open connections before new ones get 503")
      ->envname("VITAREC_MAX_CONNECTIONS")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  c.add_option("--backend", o.backend,
               "front-end tier: serve the pages and relay the API to this backend URL "
               "(no store, no workers here)")
      ->envname("VITAREC_BACKEND");
  c.add_option("--admin-token", o.admin_token,
               "when set, retry, cancel and /metrics need \"Authorization: Bearer TOKEN\"")
      ->envname("VITAREC_ADMIN_TOKEN");
  c.add_flag("--access-log,!--no-access-log", o.access_log, "one log line per HTTP request")
      ->envname("VITAREC_ACCESS_LOG")
      ->capture_default_str();
}

}  // namespace vitarec::app
