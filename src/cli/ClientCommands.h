// `vitarec recommend` and `vitarec status`: the command-line client of the HTTP API.
// Exit codes: 0 completed (status: any readable answer), 1 usage or request error (4xx),
// 2 the job failed or was cancelled, 3 gave up waiting, 4 the server could not be reached or
// answered 5xx.
#pragma once

#include <string>

namespace vitarec::cli {

struct RecommendArgs {
  std::string query;
  std::string server = "http://127.0.0.1:8080";
  std::string locale = "es";
  bool json = false;    // print the final status JSON instead of text
  bool sync = false;    // use the legacy synchronous call (?mode=sync)
  int timeout_s = 180;  // give up waiting after this long
};

struct StatusArgs {
  std::string id;
  std::string server = "http://127.0.0.1:8080";
  bool json = false;
};

int RunRecommend(const RecommendArgs& args);
int RunStatus(const StatusArgs& args);

}  // namespace vitarec::cli
