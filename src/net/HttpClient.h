// An HTTP/1.1 client for the service's own outbound calls (the DynamoDB store, the language-model
// client): one origin (scheme, host, port) per client, keep-alive connections in a bounded pool,
// TLS through OpenSSL with the peer's certificate verified against the system's trust store (or
// `ca_file`) and its host name checked, and a time limit on every connect and exchange.
//
// Threads: the client owns one thread running an io_context; every connection lives there.
// Send may be called from any thread; its callback runs on the client's thread and must not
// block (post heavier work elsewhere). SendAndWait blocks the calling thread (never call it on
// the client's thread, nor on an I/O thread of the server).
//
// Connections: at most `max_connections` are open or being opened; a request finding none free
// waits for one (so in-flight requests are bounded too). A connection goes back to the pool after
// a complete response that allows keep-alive, and is closed after `idle_timeout` unused. A request
// that fails on a reused connection before any byte of the answer arrived (the server closed an
// idle keep-alive connection) is sent once more on a new connection; no other request is
// repeated here (retry policy belongs to the caller, who knows what is idempotent).
//
// Streaming: a request with `on_body` gets the response body piece by piece as it arrives
// (chunked or not), for Server-Sent Events and other long responses.
//
// Errors: kInvalidArgument for a malformed origin; kUnavailable for everything on the way
// (resolve, connect, TLS handshake or certificate, write, read, a malformed response), and
// kDeadlineExceeded when `request_timeout` passed. An HTTP error status is not an Error: the
// response comes back with its status.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/Error.h"

namespace vitarec::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

// A streamed response body, piece by piece as it arrives (e.g. a language model's Server-Sent
// Events), on the client's thread; must not block. Returning false stops reading: the
// connection is closed and the response (status, headers, no body) comes back as it is.
using BodyChunkHandler = std::function<bool(std::string_view chunk)>;

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";  // path and query, already percent-encoded
  Headers headers;           // Host, Content-Length and Connection are set by the client
  std::string body;
  // When set, the body goes here instead of HttpResponse::body, and `request_timeout` bounds
  // each wait for more of it rather than the whole response.
  BodyChunkHandler on_body;
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;
  std::string Header(std::string_view name) const;  // first match, case-insensitive, or ""
};

struct HttpClientOptions {
  std::string origin;        // "http://host:port" or "https://host[:port]"; no path
  int max_connections = 16;  // open (or opening) connections at most, at least 1
  std::chrono::milliseconds connect_timeout{5000};   // resolve + connect + TLS handshake
  std::chrono::milliseconds request_timeout{10000};  // write the request, read the response
  std::chrono::milliseconds idle_timeout{30000};     // an unused pooled connection is closed
  std::string ca_file;               // PEM bundle to trust instead of the system's; empty: system
  std::size_t max_body = 16u << 20;  // a larger response fails with kUnavailable
};

using ResponseCallback = std::function<void(core::Result<HttpResponse>)>;

class HttpClient {
 public:
  // Parses the origin and starts the client's thread; no connection is opened yet.
  static core::Result<std::unique_ptr<HttpClient>> Create(HttpClientOptions options);

  // Waits for the requests in flight (each callback runs), closes every connection and joins the
  // thread.
  ~HttpClient();

  // Sends `request` and calls `done` exactly once with the response or the failure.
  void Send(HttpRequest request, ResponseCallback done);

  // Send, blocking the calling thread until the answer.
  core::Result<HttpResponse> SendAndWait(HttpRequest request);

  // "host" or "host:port" as sent in the Host header (what SigV4 signs).
  const std::string& host_header() const;

  // Connections opened since creation (for tests and metrics: keep-alive keeps it low).
  std::int64_t connections_opened() const;

  class Impl;

 private:
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vitarec::net
