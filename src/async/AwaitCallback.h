// AwaitCallback<T>(start) runs `start(callback)` and suspends the calling coroutine until the
// callback ran (on whatever thread, e.g. a store thread), then resumes it on its own executor
// with the Result. The result travels through the io_context's CompletionInbox, so that many
// callbacks from one store batch wake the I/O thread once. The wait is not cancellable: the
// callback always comes (the Store contract promises it).
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "async/CompletionInbox.h"
#include "core/Error.h"

namespace vitarec::async {

template <typename T, typename Start>
boost::asio::awaitable<core::Result<T>> AwaitCallback(Start start) {
  namespace asio = boost::asio;
  // Not a coroutine itself: Asio's initiation owns `start` (g++ 12 mishandles closures passed
  // by value into coroutines).
  return asio::async_initiate<const asio::use_awaitable_t<>, void(core::Result<T>)>(
      [](auto handler, Start start_op) {
        CompletionInbox& inbox = CompletionInbox::Of(asio::get_associated_executor(handler));
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        start_op([shared, &inbox](core::Result<T> r) {
          inbox.Deliver([shared, r = std::move(r)]() mutable { (*shared)(std::move(r)); });
        });
      },
      asio::use_awaitable, std::move(start));
}

}  // namespace vitarec::async
