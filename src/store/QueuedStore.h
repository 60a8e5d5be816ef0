// The Store operations of a backend that has one writer queue and one reader pool: each method
// becomes one queued operation calling the backend's function for it, on a writer or reader
// thread (never on the caller's thread). Writes are applied in submission order, across threads.
//
// Backend: a struct naming
//   Connection  what writes and reads run on;
//   Writer      with Submit<T>(Result<T>(Connection&, std::vector<JobChange>&), Callback<T>);
//   Readers     with Submit<T>(Result<T>(Connection&), Callback<T>);
// and, as static callables taking the Connection& first, the backend's writes WriteInsert,
// WriteClaim, WriteProgress, WriteRenewal, WriteRenewals, WriteFinish, WriteRetry, WriteCancel,
// WritePurge and reads FindJobById, CountActiveJobs, PingDatabase.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/Clock.h"
#include "core/Error.h"
#include "store/ChangePublisher.h"
#include "store/LeaseRenewal.h"
#include "store/Store.h"
#include "store/StoreLog.h"

namespace vitarec::store {

template <typename Backend>
class QueuedStore : public Store {
 public:
  using Connection = typename Backend::Connection;
  using Writer = typename Backend::Writer;
  using Readers = typename Backend::Readers;

  void SetChangeListener(ChangeListener listener) override { publisher_.Set(std::move(listener)); }

  void Insert(NewJob job, Callback<InsertOutcome> done) override {
    writer().template Submit<InsertOutcome>(
        [job = std::move(job)](Connection& db, std::vector<JobChange>& changes) {
          return Backend::WriteInsert(db, job, changes);
        },
        std::move(done));
  }

  void Get(std::string id, Callback<Job> done) override {
    readers().template Submit<Job>(
        [id = std::move(id)](Connection& db) { return LogInternal(Backend::FindJobById(db, id)); },
        std::move(done));
  }

  void Claim(ClaimOptions options, Callback<std::vector<Job>> done) override {
    writer().template Submit<std::vector<Job>>(
        [options = std::move(options)](Connection& db, std::vector<JobChange>& changes) {
          return Backend::WriteClaim(db, options, changes);
        },
        std::move(done));
  }

  void UpdateProgress(Lease lease, int progress, std::string message, core::TimePoint now,
                      Callback<void> done) override {
    writer().template Submit<void>(
        [lease = std::move(lease), progress, message = std::move(message), now](
            Connection& db, std::vector<JobChange>& changes) {
          return Backend::WriteProgress(db, lease, progress, message, now, changes);
        },
        std::move(done));
  }

  void RenewLease(Lease lease, core::TimePoint now, core::TimePoint expires_at,
                  Callback<void> done) override {
    // The renewal commits even when a cancellation was requested; only then is it reported.
    std::string job_id = lease.job_id;
    writer().template Submit<bool>(
        [lease = std::move(lease), now, expires_at](Connection& db, std::vector<JobChange>&) {
          return Backend::WriteRenewal(db, lease, now, expires_at);
        },
        [done = std::move(done), job_id = std::move(job_id)](core::Result<bool> cancel_requested) {
          done(RenewalResult(std::move(cancel_requested), job_id));
        });
  }

  void RenewLeases(std::vector<Lease> leases, core::TimePoint now, core::TimePoint expires_at,
                   Callback<std::vector<core::Result<void>>> done) override {
    std::vector<std::string> ids;
    ids.reserve(leases.size());
    for (const Lease& lease : leases) ids.push_back(lease.job_id);
    writer().template Submit<RenewalOutcomes>(
        [leases = std::move(leases), now, expires_at](Connection& db, std::vector<JobChange>&) {
          return Backend::WriteRenewals(db, leases, now, expires_at);
        },
        [done = std::move(done), ids = std::move(ids)](core::Result<RenewalOutcomes> outcomes) {
          if (!outcomes) return done(core::Fail(std::move(outcomes.error())));
          std::vector<core::Result<void>> results;
          results.reserve(outcomes->size());
          for (std::size_t i = 0; i < outcomes->size(); ++i) {
            results.push_back(RenewalResult(std::move((*outcomes)[i]), ids[i]));
          }
          done(std::move(results));
        });
  }

  void FinishJob(Lease lease, Finish finish, core::TimePoint now, Callback<void> done) override {
    writer().template Submit<void>(
        [lease = std::move(lease), finish = std::move(finish), now](
            Connection& db, std::vector<JobChange>& changes) {
          return Backend::WriteFinish(db, lease, finish, now, changes);
        },
        std::move(done));
  }

  void Retry(std::string id, core::TimePoint now, std::string progress_message,
             Callback<Job> done) override {
    writer().template Submit<Job>(
        [id = std::move(id), now, message = std::move(progress_message)](
            Connection& db, std::vector<JobChange>& changes) {
          return Backend::WriteRetry(db, id, now, message, changes);
        },
        std::move(done));
  }

  void Cancel(std::string id, core::TimePoint now, core::TimePoint expires_at,
              std::string progress_message, Callback<Job> done) override {
    writer().template Submit<Job>(
        [id = std::move(id), now, expires_at, message = std::move(progress_message)](
            Connection& db, std::vector<JobChange>& changes) {
          return Backend::WriteCancel(db, id, now, expires_at, message, changes);
        },
        std::move(done));
  }

  void Purge(PurgeOptions options, Callback<int> done) override {
    writer().template Submit<int>(
        [options](Connection& db, std::vector<JobChange>&) {
          return Backend::WritePurge(db, options);
        },
        std::move(done));
  }

  void CountActive(Callback<std::int64_t> done) override {
    readers().template Submit<std::int64_t>(
        [](Connection& db) { return LogInternal(Backend::CountActiveJobs(db)); }, std::move(done));
  }

  void RenderMetrics(std::string& out) override { writer().RenderMetrics(out); }

  void Ping(Callback<void> done) override {
    readers().template Submit<void>(
        [](Connection& db) { return LogInternal(Backend::PingDatabase(db)); }, std::move(done));
  }

 protected:
  // Hands the changes to the ChangeListener. As a base-class member it is built before and
  // destroyed after everything of the derived store, so it outlives its writer and threads.
  const ChangePublisher& publisher() const { return publisher_; }

 private:
  // The derived store's writer and readers; they outlive every call of an operation.
  virtual Writer& writer() = 0;
  virtual Readers& readers() = 0;

  // What RenewLease answers for a renewal that found `cancel_requested` (or failed).
  static core::Result<void> RenewalResult(RenewalOutcome cancel_requested,
                                          const std::string& job_id) {
    if (!cancel_requested) return core::Fail(std::move(cancel_requested.error()));
    if (*cancel_requested) {
      return core::Fail(core::ErrorCode::kCancelled,
                        "the cancellation of job " + job_id + " was requested");
    }
    return {};
  }

  template <typename T>
  static core::Result<T> LogInternal(core::Result<T> result) {
    if (!result && result.error().code == core::ErrorCode::kInternal) {
      StoreLog().error("store read failed error=\"{}\"", result.error().message);
    }
    return result;
  }

  ChangePublisher publisher_;
};

}  // namespace vitarec::store
