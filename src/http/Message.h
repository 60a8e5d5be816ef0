// HTTP requests and responses as plain values, so that routing and handlers are written and
// tested without Beast; http/Server.cc converts from and to the wire.
#pragma once

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

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type/Length
  bool close = false;  // close the connection after this response

  void AddHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

// "OK", "Accepted", ... for the statuses we send.
std::string_view ReasonPhrase(int status);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace vitarec::http
