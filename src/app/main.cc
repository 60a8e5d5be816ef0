// vitarec: the one binary. `serve` (HTTP API + workers), `worker` (workers only),
// `recommend` and `status` (command-line client). See README.md and docs/.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/Logging.h"
#include "app/Service.h"
#include "cli/ClientCommands.h"
#include "store/OpenStore.h"
#include "store/dynamodb/DynamoAdopt.h"

namespace {

// Runs the service until SIGINT or SIGTERM, then stops it gracefully. Exit code 0 after a clean
// stop, 1 when it could not start.
int RunService(vitarec::app::ServiceOptions options) {
  vitarec::app::SetUpLogging(options.log_level);
  // Block the stop signals in every thread (threads inherit the mask) and wait for them here.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  vitarec::app::Service service(options);
  if (auto started = service.Start(); !started) {
    spdlog::critical("start failed error=\"{}\"", started.error().message);
    std::fprintf(stderr, "vitarec: %s\n", started.error().message.c_str());
    service.Stop();
    spdlog::shutdown();
    return 1;
  }
  if (options.http) {
    spdlog::info("ready url=http://{}", options.listen.substr(0, options.listen.rfind(':')) + ":" +
                                            std::to_string(service.port()));
  }
  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("stopping signal={}", received == SIGTERM ? "SIGTERM" : "SIGINT");
  service.Stop();
  spdlog::info("stopped");
  spdlog::shutdown();
  return 0;
}

// `vitarec adopt`: queues again what the old system left processing in its DynamoDB table.
int RunAdopt(const std::string& url, bool create_table, int max_attempts) {
  vitarec::app::SetUpLogging("info");
  vitarec::store::StoreOptions options;
  options.dynamodb_create_table = create_table;
  auto store = vitarec::store::OpenStore(url, options);
  if (!store) {
    std::fprintf(stderr, "vitarec adopt: %s\n", store.error().message.c_str());
    return 1;
  }
  auto report = vitarec::store::dynamodb::AdoptLegacyJobs(
      **store, vitarec::core::SystemClock().Now(), max_attempts);
  if (!report) {
    std::fprintf(stderr, "vitarec adopt: %s\n", report.error().message.c_str());
    return 1;
  }
  std::printf("adopted %lld of %lld items scanned; %lld left processing had no request to run\n",
              static_cast<long long>(report->adopted), static_cast<long long>(report->scanned),
              static_cast<long long>(report->skipped));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Vitarec: supplement recommendations, asynchronously"};
  app.require_subcommand(1);

  vitarec::app::ServiceOptions serve_options;
  CLI::App* serve = app.add_subcommand("serve", "HTTP API, web page and in-process workers");
  vitarec::app::AddServiceOptions(*serve, serve_options);

  vitarec::app::ServiceOptions worker_options;
  worker_options.http = false;
  CLI::App* worker = app.add_subcommand("worker", "workers only (a scale-out node)");
  vitarec::app::AddServiceOptions(*worker, worker_options);

  vitarec::cli::RecommendArgs rec;
  CLI::App* recommend = app.add_subcommand("recommend", "ask for a recommendation and wait for it");
  recommend->add_option("query", rec.query, "what to look for, e.g. \"magnesio\"")->required();
  recommend->add_option("--server", rec.server, "the service's base URL")
      ->envname("VITAREC_SERVER")
      ->capture_default_str();
  recommend->add_option("--locale", rec.locale, "es or en")
      ->check(CLI::IsMember({"es", "en"}))
      ->capture_default_str();
  recommend->add_option("--timeout", rec.timeout_s, "seconds to wait before giving up")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  recommend->add_flag("--json", rec.json, "print the final status as JSON");
  recommend->add_flag("--sync", rec.sync, "use the legacy synchronous call");

  vitarec::cli::StatusArgs status_args;
  CLI::App* status = app.add_subcommand("status", "show a recommendation's status once");
  status->add_option("id", status_args.id, "the recommendation id")->required();
  status->add_option("--server", status_args.server, "the service's base URL")
      ->envname("VITAREC_SERVER")
      ->capture_default_str();
  status->add_flag("--json", status_args.json, "print the status JSON");

  std::string adopt_store;
  bool adopt_create_table = false;
  int adopt_max_attempts = 3;
  CLI::App* adopt =
      app.add_subcommand("adopt", "queue again the jobs an older system left in progress");
  adopt->add_option("--store", adopt_store, "dynamodb://TABLE?region=...")
      ->envname("VITAREC_STORE")
      ->required();
  adopt->add_flag("--dynamodb-create-table", adopt_create_table,
                  "create the table's indexes when they are missing");
  adopt->add_option("--max-attempts", adopt_max_attempts, "runs of an adopted job at most")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);

  if (serve->parsed()) return RunService(serve_options);
  if (worker->parsed()) return RunService(worker_options);
  if (recommend->parsed()) return vitarec::cli::RunRecommend(rec);
  if (status->parsed()) return vitarec::cli::RunStatus(status_args);
  if (adopt->parsed()) return RunAdopt(adopt_store, adopt_create_table, adopt_max_attempts);
  return 1;
}
