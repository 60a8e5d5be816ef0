#include "store/postgres/PgReaderPool.h"

#include <exception>

#include "store/StoreLog.h"

namespace vitarec::store::postgres {

PgReaderPool::PgReaderPool(std::vector<std::unique_ptr<PgSession>> sessions)
    : sessions_(std::move(sessions)) {
  threads_.reserve(sessions_.size());
  for (auto& session : sessions_) {
    threads_.emplace_back([this, session = session.get()] { Run(*session); });
  }
}

PgReaderPool::~PgReaderPool() { Close(); }

void PgReaderPool::Close() {
  std::lock_guard close_lock(close_mu_);
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void PgReaderPool::Enqueue(std::unique_ptr<Operation> operation) {
  {
    std::lock_guard lock(mu_);
    if (!closing_) {
      queue_.push_back(std::move(operation));
      wake_.notify_one();
      return;
    }
  }
  operation->Run(nullptr, core::MakeError(core::ErrorCode::kUnavailable, "store closed"));
}

void PgReaderPool::Run(PgSession& session) {
  const core::Error no_error;
  for (;;) {
    std::unique_ptr<Operation> operation;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, and everything queued before has been run
      operation = std::move(queue_.front());
      queue_.pop_front();
    }
    // The callback is the caller's code; a throw must not end this reader thread.
    try {
      operation->Run(&session, no_error);
    } catch (const std::exception& e) {
      StoreLog().error("store callback threw error=\"{}\"", e.what());
    } catch (...) {
      StoreLog().error("store callback threw error=unknown");
    }
  }
}

}  // namespace vitarec::store::postgres
