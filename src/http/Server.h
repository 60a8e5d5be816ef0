// The HTTP/1.1 server: one single-threaded io_context per thread, each with its own
// SO_REUSEPORT acceptor on the same port, so a connection lives on one thread from accept to
// close and needs no locks or strands. Keep-alive; the request is read with Beast's parser under
// limits (header size, body size, target length); the response is serialized into one reused
// buffer and sent with one write.
//
// Timeouts: each connection has a deadline, checked once a second by a sweeper per thread (one
// timer per thread instead of one per request): `read_timeout` for the whole next request
// (which also bounds keep-alive idleness and slow senders), `write_timeout` for the response.
// While a handler runs (a synchronous call, a long-poll) the connection has no deadline; the
// handler bounds its own time.
//
// Beast and the sockets stay inside Server.cc (Beast also in BackendProxy.cc, the relay's client);
// this header has no Asio. Asio reaches http/ headers only as `asio::awaitable`, the return type
// of the coroutine handlers (Message.h, Router.h).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/Error.h"
#include "http/Router.h"

namespace vitarec::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0: any free port (see Server::port)
  int threads = 0;             // 0: one per core
  std::size_t max_body_bytes = 64 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_target_bytes = 4096;
  int max_connections = 10000;  // beyond it, new connections get a 503 and are closed
  std::chrono::seconds read_timeout{15};
  std::chrono::seconds write_timeout{15};
  std::chrono::seconds drain_timeout{5};  // Stop waits this long for requests in progress
  bool access_log = true;                 // one log line per request
};

class Server {
 public:
  // `router` must outlive the server.
  Server(Router& router, ServerOptions options);
  ~Server();  // Stop()

  // Binds and starts the threads; returns once every acceptor listens (port() is then valid).
  // kInvalidArgument when `address` is not an IP address; kUnavailable when the address cannot
  // be bound (message says why, e.g. "address already in use"). On failure no thread runs.
  core::Result<void> Start();

  // The bound port (useful after binding port 0).
  unsigned short port() const;

  // Stops accepting, lets requests in progress finish (up to drain_timeout), closes every
  // connection and joins the threads. Idempotent.
  void Stop();

  int open_connections() const;

  // Appends the server's metrics (requests by route and status, latencies, connections).
  void RenderMetrics(std::string& out) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vitarec::http
