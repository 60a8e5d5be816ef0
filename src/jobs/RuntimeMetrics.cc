#include "jobs/RuntimeMetrics.h"

namespace vitarec::jobs {

RuntimeMetrics::RuntimeMetrics(std::vector<std::string> names)
    : stage_names(std::move(names)),
      stage(std::make_unique<core::DurationHistogram[]>(stage_names.size())) {}

namespace {

void Gauge(std::string& out, const char* name, const char* help, double value) {
  core::RenderHeader(out, name, "gauge", help);
  core::RenderSample(out, name, "", value);
}

void Counter(std::string& out, const char* name, const char* help, std::uint64_t value) {
  core::RenderHeader(out, name, "counter", help);
  core::RenderSample(out, name, "", static_cast<double>(value));
}

void Histogram(std::string& out, const char* name, const char* help,
               const core::DurationHistogram& h) {
  core::RenderHeader(out, name, "histogram", help);
  h.Render(out, name, "");
}

}  // namespace

void RuntimeMetrics::Render(std::string& out) const {
  Gauge(out, "vitarec_jobs_running", "Jobs in flight in this process (claimed, not finished)",
        static_cast<double>(in_flight.load()));
  Gauge(out, "vitarec_jobs_waiting_cpu", "Jobs waiting for a CPU slot",
        static_cast<double>(cpu_waiting.load()));
  Gauge(out, "vitarec_jobs_on_cpu", "Jobs running a CPU stage",
        static_cast<double>(cpu_running.load()));
  Gauge(out, "vitarec_jobs_awaiting",
        "Jobs awaiting an async stage (timer, I/O), holding no thread",
        static_cast<double>(awaiting.load()));
  Histogram(out, "vitarec_job_cpu_wait_seconds", "Time a job waited for a CPU slot, per hand-off",
            cpu_wait_time);
  Histogram(out, "vitarec_job_cpu_seconds", "Time a job ran on a CPU slot, per hand-off",
            cpu_run_time);
  Histogram(out, "vitarec_job_await_seconds", "Time a job spent in an async stage", await_time);
  core::RenderHeader(out, "vitarec_job_stage_duration_seconds", "histogram",
                     "Time spent in each stage of the pipeline");
  for (std::size_t i = 0; i < stage_names.size(); ++i) {
    stage[i].Render(out, "vitarec_job_stage_duration_seconds", "stage=\"" + stage_names[i] + "\"");
  }
  Histogram(out, "vitarec_job_attempt_duration_seconds",
            "Time one run of a job took, without the final write", attempt);
  Counter(out, "vitarec_jobs_lease_renewal_calls_total",
          "Store calls renewing leases (one per period for all due jobs)", renewal_calls.load());
  Counter(out, "vitarec_jobs_leases_renewed_total", "Leases sent for renewal",
          leases_renewed.load());
  Counter(out, "vitarec_jobs_cancel_checks_total",
          "Reads of a job in flight after the store published a change of it",
          cancel_checks.load());
  Counter(out, "vitarec_store_claim_failures_total",
          "Claims that failed because the store was unavailable", claim_failures.load());
}

}  // namespace vitarec::jobs
