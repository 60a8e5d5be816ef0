// A small blocking HTTP/1.1 client for the command-line tools: one keep-alive connection to one
// server, every request bounded by a timeout. Not for use inside the server.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/Error.h"

namespace vitarec::cli {

struct HttpResult {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string Header(std::string_view name) const;  // first match, case-insensitive, or ""
};

class HttpClient {
 public:
  // `base_url`: "http://host:port" (a path prefix is kept). kInvalidArgument when malformed.
  static core::Result<std::unique_ptr<HttpClient>> Create(const std::string& base_url);
  ~HttpClient();

  // Sends one request to base path + `target`. kUnavailable when the server cannot be reached
  // or does not answer within `timeout` (the message says which).
  core::Result<HttpResult> Send(const std::string& method, const std::string& target,
                                const std::string& body,
                                const std::vector<std::pair<std::string, std::string>>& headers,
                                std::chrono::milliseconds timeout);

  const std::string& base_url() const { return base_url_; }

 private:
  struct Impl;
  HttpClient(std::string base_url, std::unique_ptr<Impl> impl);
  std::string base_url_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vitarec::cli
