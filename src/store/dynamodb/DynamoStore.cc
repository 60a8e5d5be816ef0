#include "store/dynamodb/DynamoStore.h"

#include <unistd.h>

#include <mutex>
#include <optional>

#include "core/Id.h"
#include "core/Metrics.h"
#include "store/LeaseRenewal.h"
#include "store/StoreLog.h"
#include "store/dynamodb/AwsCredentials.h"
#include "store/dynamodb/DynamoTable.h"

namespace vitarec::store::dynamodb {
namespace {

using core::ErrorCode;

template <typename T>
core::Result<T> LogInternal(core::Result<T> result) {
  if (!result && result.error().code == ErrorCode::kInternal) {
    StoreLog().error("dynamodb operation failed error=\"{}\"", result.error().message);
  }
  return result;
}

// What RenewLease answers for a renewal that found `cancel_requested` (or failed).
core::Result<void> RenewalAnswer(core::Result<bool> cancel_requested, const std::string& job_id) {
  if (!cancel_requested) return core::Fail(std::move(cancel_requested.error()));
  if (*cancel_requested) {
    return core::Fail(ErrorCode::kCancelled,
                      "the cancellation of job " + job_id + " was requested");
  }
  return {};
}

}  // namespace

core::Result<std::unique_ptr<DynamoStore>> DynamoStore::Open(DynamoStoreOptions options) {
  if (options.table.empty()) {
    return core::Fail(ErrorCode::kInvalidArgument, "the DynamoDB store needs a table name",
                      "table");
  }
  if (options.region.empty()) options.region = RegionFromEnvironment();
  if (options.region.empty()) {
    return core::Fail(ErrorCode::kInvalidArgument,
                      "the DynamoDB store needs a region: ?region=... or AWS_REGION", "region");
  }
  if (options.workers < 1) {
    return core::Fail(ErrorCode::kInvalidArgument, "workers must be at least 1", "workers");
  }
  if (!options.credentials) {
    auto loaded = LoadAwsCredentials();
    if (!loaded) return core::Fail(std::move(loaded.error()));
    options.credentials = std::move(*loaded);
  }
  DynamoClientOptions client_options;
  client_options.region = options.region;
  client_options.endpoint = options.endpoint;
  client_options.credentials = *options.credentials;
  client_options.max_connections = options.workers + 1;  // + the change poller
  client_options.request_timeout = options.request_timeout;
  client_options.max_attempts = options.max_attempts;
  auto client = DynamoClient::Create(std::move(client_options));
  if (!client) return core::Fail(std::move(client.error()));
  try {
    if (auto ready = EnsureTable(**client, options.table, options.create_table); !ready) {
      return core::Fail(std::move(ready.error()));
    }
  } catch (const std::exception& e) {  // an unexpected DescribeTable answer
    return core::Fail(ErrorCode::kUnavailable,
                      "unexpected DynamoDB table description: " + std::string(e.what()));
  }

  JobTableOptions table_options;
  table_options.table = options.table;
  table_options.writer = core::NewId();
  table_options.change_shards = options.change_shards;
  table_options.stamp_changes = options.stamp_changes;
  table_options.ttl_grace = options.ttl_grace;
  table_options.clock = options.clock;

  std::unique_ptr<DynamoStore> store(new DynamoStore());
  store->long_queue_ = options.long_queue;
  store->client_ = std::move(*client);
  std::vector<std::unique_ptr<DynamoJobTable>> tables;
  for (int i = 0; i < options.workers; ++i) {
    tables.push_back(std::make_unique<DynamoJobTable>(*store->client_, table_options));
    store->tables_.push_back(tables.back().get());
  }
  store->pool_ = std::make_unique<ReaderPool<DynamoJobTable>>(std::move(tables));
  if (options.change_poll.count() > 0 && options.stamp_changes) {
    store->poll_table_ = std::make_unique<DynamoJobTable>(*store->client_, table_options);
    store->poller_ = std::make_unique<DynamoChangePoller>(*store->poll_table_, store->publisher_,
                                                          ChangePollerOptions{options.change_poll});
  }
  return store;
}

DynamoStore::~DynamoStore() {
  pool_->Close();  // every queued operation runs; callbacks may queue more, which run too
  poller_.reset();
}

template <typename T, typename Write>
void DynamoStore::Submit(Write write, Callback<T> done) {
  pool_->template Submit<T>(
      [this, write = std::move(write)](DynamoJobTable& table) {
        std::vector<JobChange> changes;
        core::Result<T> result = LogInternal(write(table, changes));
        for (const JobChange& change : changes) publisher_.Publish(change);
        return result;
      },
      std::move(done));
}

void DynamoStore::SetChangeListener(ChangeListener listener) {
  publisher_.Set(std::move(listener));
}

void DynamoStore::Insert(NewJob job, Callback<InsertOutcome> done) {
  Submit<InsertOutcome>(
      [job = std::move(job)](DynamoJobTable& t, auto& changes) { return t.Insert(job, changes); },
      std::move(done));
}

void DynamoStore::Get(std::string id, Callback<Job> done) {
  Submit<Job>([id = std::move(id)](DynamoJobTable& t, auto&) { return t.Get(id); },
              std::move(done));
}

void DynamoStore::Claim(ClaimOptions options, Callback<std::vector<Job>> done) {
  Submit<std::vector<Job>>(
      [options = std::move(options)](DynamoJobTable& t, auto& changes) {
        return t.Claim(options, changes);
      },
      std::move(done));
}

void DynamoStore::UpdateProgress(Lease lease, int progress, std::string message,
                                 core::TimePoint now, Callback<void> done) {
  Submit<void>([lease = std::move(lease), progress, message = std::move(message), now](
                   DynamoJobTable& t,
                   auto& changes) { return t.Progress(lease, progress, message, now, changes); },
               std::move(done));
}

void DynamoStore::RenewLease(Lease lease, core::TimePoint now, core::TimePoint expires_at,
                             Callback<void> done) {
  Submit<void>(
      [lease = std::move(lease), now, expires_at](DynamoJobTable& t, auto&) {
        return RenewalAnswer(t.Renew(lease, now, expires_at), lease.job_id);
      },
      std::move(done));
}

void DynamoStore::RenewLeases(std::vector<Lease> leases, core::TimePoint now,
                              core::TimePoint expires_at,
                              Callback<std::vector<core::Result<void>>> done) {
  if (leases.empty()) {
    Submit<std::vector<core::Result<void>>>(
        [](DynamoJobTable&, auto&) -> core::Result<std::vector<core::Result<void>>> { return {}; },
        std::move(done));
    return;
  }
  // DynamoDB has no conditional batch write: one conditional UpdateItem per lease, spread over
  // the workers; the last one to finish answers.
  struct Batch {
    std::mutex mu;
    std::vector<core::Result<void>> results;  // guarded by mu
    std::size_t left;                         // guarded by mu
    std::optional<core::Error> failure;       // guarded by mu
    Callback<std::vector<core::Result<void>>> done;
  };
  auto batch = std::make_shared<Batch>();
  batch->results.resize(leases.size());
  batch->left = leases.size();
  batch->done = std::move(done);
  for (std::size_t i = 0; i < leases.size(); ++i) {
    pool_->Submit<void>(
        [lease = std::move(leases[i]), now, expires_at](DynamoJobTable& t) {
          return RenewalAnswer(t.Renew(lease, now, expires_at), lease.job_id);
        },
        [batch, i](core::Result<void> result) {
          std::unique_lock lock(batch->mu);
          if (!result && !IsLeaseAnswer(result.error())) batch->failure = result.error();
          batch->results[i] = std::move(result);
          if (--batch->left > 0) return;
          lock.unlock();
          if (batch->failure) return batch->done(core::Fail(std::move(*batch->failure)));
          batch->done(std::move(batch->results));
        });
  }
}

void DynamoStore::FinishJob(Lease lease, Finish finish, core::TimePoint now, Callback<void> done) {
  Submit<void>(
      [lease = std::move(lease), finish = std::move(finish), now](
          DynamoJobTable& t, auto& changes) { return t.Finish(lease, finish, now, changes); },
      std::move(done));
}

void DynamoStore::Retry(std::string id, core::TimePoint now, std::string progress_message,
                        Callback<Job> done) {
  Submit<Job>([id = std::move(id), now, message = std::move(progress_message)](
                  DynamoJobTable& t, auto& changes) { return t.Retry(id, now, message, changes); },
              std::move(done));
}

void DynamoStore::Cancel(std::string id, core::TimePoint now, core::TimePoint expires_at,
                         std::string progress_message, Callback<Job> done) {
  Submit<Job>([id = std::move(id), now, expires_at, message = std::move(progress_message)](
                  DynamoJobTable& t,
                  auto& changes) { return t.Cancel(id, now, expires_at, message, changes); },
              std::move(done));
}

void DynamoStore::Purge(PurgeOptions options, Callback<int> done) {
  Submit<int>([options](DynamoJobTable& t, auto&) { return t.Purge(options); }, std::move(done));
}

void DynamoStore::CountActive(Callback<std::int64_t> done) {
  // Counting reads the whole queue (read units ~ its length / 50): a long queue is counted at
  // most every kLongQueueRecount, its last count answered in between (the contract allows a
  // slightly stale count; a short queue is cheap to count every time).
  Submit<std::int64_t>(
      [this](DynamoJobTable& t, auto&) -> core::Result<std::int64_t> {
        const std::int64_t now = core::ToUnixMillis(core::SystemClock().Now());
        const std::int64_t last = last_count_.load();
        if (last > long_queue_ && now - last_count_at_ms_.load() < kLongQueueRecount.count()) {
          return last;
        }
        auto counted = t.CountActive();
        if (counted) {
          last_count_ = *counted;
          last_count_at_ms_ = now;
        }
        return counted;
      },
      std::move(done));
}

void DynamoStore::Ping(Callback<void> done) {
  Submit<void>([](DynamoJobTable& t, auto&) { return t.Ping(); }, std::move(done));
}

void DynamoStore::RenderMetrics(std::string& out) {
  const DynamoUsage usage = client_->usage();
  auto counter = [&](const char* name, const char* help, double value) {
    core::RenderHeader(out, name, "counter", help);
    core::RenderSample(out, name, "", value);
  };
  counter("vitarec_dynamodb_requests_total", "DynamoDB requests sent, retries included",
          static_cast<double>(usage.requests));
  counter("vitarec_dynamodb_retries_total", "DynamoDB requests sent again (throttling, 5xx, I/O)",
          static_cast<double>(usage.retries));
  counter("vitarec_dynamodb_throttled_total", "DynamoDB answers that were throttling errors",
          static_cast<double>(usage.throttled));
  counter("vitarec_dynamodb_read_units_total", "read capacity units DynamoDB reported consumed",
          usage.read_units);
  counter("vitarec_dynamodb_write_units_total", "write capacity units DynamoDB reported consumed",
          usage.write_units);
  counter("vitarec_dynamodb_change_polls_total", "polls of the change index",
          poller_ ? static_cast<double>(poller_->polls()) : 0.0);
  counter("vitarec_dynamodb_changes_received_total", "changes of other nodes found by polling",
          poller_ ? static_cast<double>(poller_->received()) : 0.0);
}

}  // namespace vitarec::store::dynamodb
