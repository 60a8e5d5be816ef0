// The front-end tier's forwarding (`vitarec serve --backend URL`): API requests are relayed to
// the backend service, one new connection per request, within a time limit. Failures become
// clear JSON errors: 502 bad_gateway when the backend cannot be reached or answers garbage,
// 504 gateway_timeout when it does not answer in time.
//
// Not relayed: GET .../events/{id} (Server-Sent Events) answers 404 here, and the page falls
// back to polling the status, which is relayed.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "core/Error.h"
#include "http/Message.h"

namespace vitarec::http {

struct BackendProxyOptions {
  std::string url;                  // http://host:port of the backend
  std::chrono::seconds timeout{5};  // connect + answer, plus any wait the client asked for
};

class BackendProxy {
 public:
  // kInvalidArgument when `options.url` is not an http://host:port URL.
  static core::Result<std::unique_ptr<BackendProxy>> Create(BackendProxyOptions options);

  // Relays `request` and returns the backend's answer (status, body and the API headers), or a
  // 502/504 error response. `extra_wait` extends the time limit for long-polls and sync calls.
  boost::asio::awaitable<HttpResponse> Forward(HttpRequest request,
                                               std::chrono::seconds extra_wait);

  const std::string& url() const { return options_.url; }

 private:
  BackendProxy(BackendProxyOptions options, std::string host, std::string port);
  const BackendProxyOptions options_;
  const std::string host_;
  const std::string port_;
};

}  // namespace vitarec::http
