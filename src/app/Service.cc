#include "app/Service.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <charconv>

#include "async/Timers.h"
#include "core/Clock.h"
#include "core/Id.h"
#include "core/Metrics.h"
#include "http/BackendProxy.h"
#include "http/Router.h"
#include "http/Server.h"
#include "jobs/ChangeHub.h"
#include "jobs/JobRuntime.h"
#include "jobs/JobService.h"
#include "jobs/RetentionSweeper.h"
#include "pipeline/RecommendationPipeline.h"
#include "recommend/KnowledgeBase.h"
#include "recommend/KnowledgeBaseLoader.h"
#include "store/OpenStore.h"

namespace vitarec::app {
namespace {

std::shared_ptr<spdlog::logger> Log() {
  static auto logger = spdlog::get("app") ? spdlog::get("app") : spdlog::default_logger();
  return logger;
}

std::string OwnerName() {
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + core::NewId().substr(0, 8);
}

}  // namespace

// Declared in dependency order; destroyed in reverse.
struct Service::Parts {
  core::SystemClock clock;
  async::SteadyTimers timers{clock};
  std::unique_ptr<store::Store> store;
  jobs::ChangeHub changes;
  std::unique_ptr<jobs::JobService> jobs;
  std::unique_ptr<pipeline::RecommendationPipeline> pipeline;
  std::unique_ptr<jobs::JobRuntime> runtime;
  std::unique_ptr<jobs::RetentionSweeper> sweeper;
  std::unique_ptr<http::BackendProxy> backend;
  std::unique_ptr<http::Router> router;
  std::unique_ptr<http::Server> server;
  bool stopped = false;
};

// The text of GET /metrics: every component's families, then process-wide ones.
std::string RenderMetrics(Service::Parts& p) {
  std::string out;
  out.reserve(16384);
  if (p.server) p.server->RenderMetrics(out);
  if (p.jobs) p.jobs->RenderMetrics(out);
  if (p.runtime) p.runtime->RenderMetrics(out);
  if (p.store) p.store->RenderMetrics(out);
  core::RenderHeader(out, "vitarec_waiters", "gauge",
                     "Open waits on job changes (synchronous calls, long-polls, event streams)");
  core::RenderSample(out, "vitarec_waiters", "", static_cast<double>(p.changes.SubscriberCount()));
  return out;
}

core::Result<std::pair<std::string, unsigned short>> ParseListen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size()) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "--listen must be ADDRESS:PORT, got \"" + listen + "\"", "--listen");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  const char* first = listen.data() + colon + 1;
  const char* last = listen.data() + listen.size();
  auto [end, ec] = std::from_chars(first, last, port);
  if (ec != std::errc() || end != last || port > 65535) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "--listen has an invalid port in \"" + listen + "\"", "--listen");
  }
  if (host.empty()) host = "0.0.0.0";
  return std::make_pair(host, static_cast<unsigned short>(port));
}

Service::Service(ServiceOptions options) : options_(std::move(options)) {}

Service::~Service() { Stop(); }

core::Result<void> Service::Start() {
  parts_ = std::make_unique<Parts>();
  Parts& p = *parts_;
  if (!options_.backend.empty()) return StartFrontEnd();

  store::StoreOptions store_options;
  store_options.reader_threads = options_.sqlite_readers;
  store_options.sqlite_synchronous = options_.sqlite_sync;
  store_options.dynamodb_create_table = options_.dynamodb_create_table;
  auto opened = store::OpenStore(options_.store, store_options);
  if (!opened) return core::Fail(opened.error());
  p.store = std::move(*opened);

  auto kb = options_.data_dir.empty() ? recommend::LoadEmbeddedKnowledgeBase()
                                      : recommend::LoadKnowledgeBaseDirectory(options_.data_dir);
  if (!kb) return core::Fail(kb.error());
  Log()->info("knowledge base loaded supplements={} goals={}", (*kb)->SupplementCount(),
              (*kb)->GoalCount());
  p.pipeline = std::make_unique<pipeline::RecommendationPipeline>(
      *kb, pipeline::RecommendationPipelineOptions{core::Millis(options_.stage_delay_ms),
                                                   options_.fail_first_claims});
  if (options_.fail_first_claims > 0)
    Log()->warn("chaos testing on: the first {} runs of every job fail",
                options_.fail_first_claims);
  const core::Millis day(24LL * 3600 * 1000);
  jobs::JobServiceOptions service_options;
  service_options.max_attempts = options_.max_attempts;
  service_options.max_active = options_.max_queued;
  service_options.failed_retention = day * options_.failed_retention_days;
  p.jobs =
      std::make_unique<jobs::JobService>(*p.store, p.clock, p.pipeline->texts(), service_options);

  jobs::RuntimeOptions runtime_options;
  runtime_options.max_inflight = options_.max_inflight;
  if (options_.workers >= 0) {
    runtime_options.max_inflight = options_.workers;
    Log()->warn("--workers is the old name of --max-inflight; using --max-inflight {}",
                options_.workers);
  }
  runtime_options.cpu_slots = options_.cpu_slots;
  runtime_options.cpu_nice = options_.worker_nice;
  runtime_options.poll_interval = core::Millis(options_.poll_ms);
  runtime_options.lease_duration = core::Millis(options_.lease_ms);
  runtime_options.runner.owner = OwnerName();
  runtime_options.runner.job_timeout = core::Millis(std::int64_t{options_.job_timeout_s} * 1000);
  runtime_options.runner.completed_retention = day * options_.completed_retention_days;
  runtime_options.runner.failed_retention = day * options_.failed_retention_days;
  p.runtime = std::make_unique<jobs::JobRuntime>(*p.store, p.timers, *p.pipeline, runtime_options);

  jobs::ChangeHub* changes = &p.changes;
  jobs::JobRuntime* runtime = p.runtime.get();
  p.store->SetChangeListener([changes, runtime](const store::JobChange& change) {
    changes->Publish(change);
    runtime->OnChange(change);
    if (change.state == store::JobState::kQueued) runtime->Wake();
  });
  p.runtime->Start();
  p.sweeper = std::make_unique<jobs::RetentionSweeper>(*p.store, p.clock, jobs::RetentionOptions{});
  p.sweeper->Start();
  Log()->info("jobs runtime started max_inflight={} cpu_slots={} io_threads={} owner={}",
              runtime_options.max_inflight, p.runtime->cpu_slots(), p.runtime->io_threads(),
              runtime_options.runner.owner);

  if (options_.http) {
    http::RouterOptions router_options;
    router_options.admin_token = options_.admin_token;
    Parts* parts = &p;
    router_options.metrics = [parts] { return RenderMetrics(*parts); };
    p.router = std::make_unique<http::Router>(p.jobs.get(), &p.changes, router_options);
    if (auto started = StartServer(); !started) return started;
  }
  return {};
}

core::Result<void> Service::StartFrontEnd() {
  Parts& p = *parts_;
  auto backend = http::BackendProxy::Create(http::BackendProxyOptions{options_.backend});
  if (!backend) return core::Fail(backend.error());
  p.backend = std::move(*backend);
  Log()->info("front-end tier backend={}", options_.backend);
  http::RouterOptions router_options;
  router_options.backend = p.backend.get();
  router_options.admin_token = options_.admin_token;
  Parts* parts = &p;
  router_options.metrics = [parts] { return RenderMetrics(*parts); };
  p.router = std::make_unique<http::Router>(nullptr, nullptr, router_options);
  return StartServer();
}

core::Result<void> Service::StartServer() {
  Parts& p = *parts_;
  auto listen = ParseListen(options_.listen);
  if (!listen) return core::Fail(listen.error());
  http::ServerOptions server_options;
  server_options.address = listen->first;
  server_options.port = listen->second;
  server_options.threads = options_.http_threads;
  server_options.read_timeout = std::chrono::seconds(options_.read_timeout_s);
  server_options.max_connections = options_.max_connections;
  server_options.access_log = options_.access_log;
  p.server = std::make_unique<http::Server>(*p.router, server_options);
  return p.server->Start();
}

unsigned short Service::port() const {
  return parts_ && parts_->server ? parts_->server->port() : 0;
}

void Service::Stop() {
  if (!parts_ || parts_->stopped) return;
  Parts& p = *parts_;
  p.stopped = true;
  if (p.server) p.server->Stop();
  if (p.sweeper) p.sweeper->Stop();
  if (p.runtime) {
    p.runtime->Stop(std::chrono::seconds(options_.shutdown_grace_s));
    const auto stats = p.runtime->Stats();
    Log()->info("workers stopped completed={} failed={} released={}", stats.completed, stats.failed,
                stats.released);
  }
  p.server.reset();
  p.router.reset();
  // The store drains its outstanding callbacks, whose change listener may still reach the
  // (stopped, still alive) runtime; so the store goes first.
  p.store.reset();
  p.runtime.reset();
}

}  // namespace vitarec::app
