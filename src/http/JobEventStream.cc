#include "http/JobEventStream.h"

#include "http/ApiJson.h"

namespace vitarec::http {

JobEventStream::JobEventStream(jobs::JobService& jobs, std::unique_ptr<ChangeWatch> watch,
                               store::Job job, std::int64_t last_event_id,
                               std::chrono::seconds heartbeat, std::chrono::seconds max_duration)
    : jobs_(jobs),
      watch_(std::move(watch)),
      job_(std::move(job)),
      sent_version_(last_event_id),
      heartbeat_(heartbeat),
      end_(std::chrono::steady_clock::now() + max_duration) {}

std::string JobEventStream::Event(const store::Job& job) {
  std::string out = "id: " + std::to_string(job.version) + "\nevent: status\ndata: ";
  out += StatusJson(job);
  out += "\n\n";
  return out;
}

std::string JobEventStream::Preamble() {
  std::string out = "retry: 3000\n\n";
  if (job_.version > sent_version_) {
    out += Event(job_);
    sent_version_ = job_.version;
  }
  if (store::IsFinal(job_.state) && sent_version_ >= job_.version) finished_ = true;
  return out;
}

// Note: g++ 12 miscompiles co_await in loop conditions and same-named locals in sibling
// scopes of a coroutine; every co_await here is a plain statement with a unique result name.
boost::asio::awaitable<bool> JobEventStream::Next(std::string& chunk) {
  if (finished_) co_return false;
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= end_) co_return false;
    const auto wake = std::min(now + heartbeat_, end_);
    const bool changed = co_await watch_->WaitBeyond(sent_version_, wake);
    if (!changed) {
      chunk = ": heartbeat\n\n";
      co_return true;
    }
    auto read = [this](auto done) { jobs_.Get(job_.id, std::move(done)); };
    auto fresh = co_await AwaitCallback<store::Job>(read);
    if (!fresh) {
      // kGone/kNotFound end the stream; a store outage is retried at the next change or beat.
      if (fresh.error().code != core::ErrorCode::kUnavailable) co_return false;
      chunk = ": store unavailable, waiting\n\n";
      co_return true;
    }
    job_ = std::move(*fresh);
    if (job_.version <= sent_version_) continue;
    chunk = Event(job_);
    sent_version_ = job_.version;
    if (store::IsFinal(job_.state)) finished_ = true;
    co_return true;
  }
}

}  // namespace vitarec::http
