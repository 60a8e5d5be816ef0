// GET /portal/events/{id}: the job's status objects as Server-Sent Events.
//
// Each change is one event — `id: <version>`, `event: status`, `data: <status JSON>` — sent as
// soon as the store publishes it; intermediate versions that were superseded before they could be
// sent are skipped (each event is a complete status). A comment line is sent every `heartbeat`
// so that proxies keep the stream open and a vanished client is noticed. The stream ends after
// the event of a final state, or after `max_duration` (the client reconnects with
// Last-Event-ID and gets what it has not seen, or the current state at once).
#pragma once

#include <chrono>
#include <optional>

#include "http/AsyncBridge.h"
#include "http/Message.h"
#include "jobs/JobService.h"

namespace vitarec::http {

class JobEventStream final : public BodyStream {
 public:
  // `job` is the job as read after `watch` was created; `last_event_id` is what the client has
  // already seen (0: nothing). `jobs` must outlive the stream.
  JobEventStream(jobs::JobService& jobs, std::unique_ptr<ChangeWatch> watch, store::Job job,
                 std::int64_t last_event_id, std::chrono::seconds heartbeat,
                 std::chrono::seconds max_duration);

  boost::asio::awaitable<bool> Next(std::string& chunk) override;

  // The first bytes of the body: the reconnection delay, then the current state unless the
  // client has seen it.
  std::string Preamble();

 private:
  static std::string Event(const store::Job& job);

  jobs::JobService& jobs_;
  std::unique_ptr<ChangeWatch> watch_;
  store::Job job_;             // the latest state read
  std::int64_t sent_version_;  // the version of the last event sent (or seen by the client)
  const std::chrono::seconds heartbeat_;
  const std::chrono::steady_clock::time_point end_;
  bool finished_ = false;
};

}  // namespace vitarec::http
