#include "store/sqlite/SqliteReaderPool.h"

#include <exception>

#include "store/StoreLog.h"

namespace vitarec::store::sqlite {

SqliteReaderPool::SqliteReaderPool(std::vector<std::unique_ptr<SqliteConnection>> connections)
    : connections_(std::move(connections)) {
  threads_.reserve(connections_.size());
  for (auto& connection : connections_) {
    threads_.emplace_back([this, db = connection.get()] { Run(*db); });
  }
}

SqliteReaderPool::~SqliteReaderPool() { Close(); }

void SqliteReaderPool::Close() {
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

void SqliteReaderPool::Enqueue(std::unique_ptr<Operation> operation) {
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

void SqliteReaderPool::Run(SqliteConnection& db) {
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
      operation->Run(&db, no_error);
    } catch (const std::exception& e) {
      StoreLog().error("store callback threw error=\"{}\"", e.what());
    } catch (...) {
      StoreLog().error("store callback threw error=unknown");
    }
  }
}

}  // namespace vitarec::store::sqlite
