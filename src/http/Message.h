// HTTP requests and responses as plain values, so that routing and handlers are written and
// tested without Beast; http/Server.cc converts from and to the wire.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vitarec::http {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as received: path and query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote;  // peer address, for logs

  // The value of the first header named `name` (ASCII case-insensitive), or empty.
  std::string_view Header(std::string_view name) const;
  // The path part of the target (before '?').
  std::string_view Path() const;
  // The raw value of query parameter `name` (not percent-decoded; ours are simple tokens),
  // or nullopt-like empty view with `found` false.
  bool QueryParam(std::string_view name, std::string_view& value) const;
};

// A body produced over time (Server-Sent Events). The server sends the headers, then each chunk
// as soon as Next produces it, and closes the connection when Next returns false.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  // Fills `chunk` with the next bytes to send and returns true, or returns false at the end.
  // Runs on the connection's thread; may wait (a change, a heartbeat interval).
  virtual boost::asio::awaitable<bool> Next(std::string& chunk) = 0;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type/Length
  bool close = false;                  // close the connection after this response
  std::shared_ptr<BodyStream> stream;  // when set: `body` is sent first, then the stream's chunks

  void AddHeader(std::string name, std::string value) {
    if (headers.capacity() == 0) headers.reserve(4);  // one allocation for a 202's headers
    headers.emplace_back(std::move(name), std::move(value));
  }
};

// "OK", "Accepted", ... for the statuses we send.
std::string_view ReasonPhrase(int status);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace vitarec::http
