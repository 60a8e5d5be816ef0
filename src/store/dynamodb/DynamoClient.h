// The DynamoDB JSON API (version 2012-08-10) over net::HttpClient: one signed POST per call,
// with the retry policy of the store. Blocking: called from the store's worker threads only.
//
// Retries: throttling (ProvisionedThroughputExceededException, ThrottlingException,
// RequestLimitExceeded), 5xx answers and transport failures are retried up to `max_attempts`
// times with exponential backoff and full jitter (a random wait in [0, min(cap, base * 2^n)]),
// and none starts once `max_call_time` has passed; when they persist the call fails with
// kUnavailable. A conditional write retried after a lost
// answer may report ConditionalCheckFailed although its first attempt applied; the callers
// check the item again in that case (DynamoJobTable).
//
// Errors: ConditionalCheckFailedException is kConflict (message "condition failed"); a missing
// table (ResourceNotFoundException), refused credentials and exhausted retries are kUnavailable;
// any other 4xx (a malformed request: a bug) is kInternal with DynamoDB's message.
//
// Every request asks for ReturnConsumedCapacity=TOTAL; the units are counted (metrics, the
// benchmark's units per job).
#pragma once

#include <atomic>
#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "core/Clock.h"
#include "core/Error.h"
#include "net/HttpClient.h"
#include "net/SigV4.h"

namespace vitarec::store::dynamodb {

struct DynamoClientOptions {
  std::string region;
  std::string endpoint;  // origin, e.g. "http://127.0.0.1:8000"; empty: AWS's regional endpoint
  net::AwsCredentials credentials;
  int max_connections = 16;
  core::Millis connect_timeout{5000};
  core::Millis request_timeout{5000};
  int max_attempts = 8;
  core::Millis max_call_time{10'000};  // no retry starts after this (a hanging service)
  core::Millis backoff_base{25};
  core::Millis backoff_cap{1000};
};

struct DynamoUsage {
  std::int64_t requests = 0;  // calls sent, retries included
  std::int64_t retries = 0;
  std::int64_t throttled = 0;  // answers that were throttling errors
  double read_units = 0;       // consumed capacity reported by the service
  double write_units = 0;
};

class DynamoClient {
 public:
  // kInvalidArgument for a malformed endpoint.
  static core::Result<std::unique_ptr<DynamoClient>> Create(DynamoClientOptions options);

  // Calls `action` ("GetItem", "UpdateItem", ...) with `request` and returns the answer's JSON.
  core::Result<boost::json::object> Call(std::string_view action, boost::json::object request);

  DynamoUsage usage() const;
  const std::string& endpoint() const { return endpoint_; }

 private:
  DynamoClient(DynamoClientOptions options, std::string endpoint,
               std::unique_ptr<net::HttpClient> http);
  void CountCapacity(std::string_view action, const boost::json::value& consumed);

  const DynamoClientOptions options_;
  const std::string endpoint_;
  std::unique_ptr<net::HttpClient> http_;
  std::atomic<std::int64_t> requests_{0}, retries_{0}, throttled_{0};
  std::atomic<std::int64_t> read_milliunits_{0}, write_milliunits_{0};
};

}  // namespace vitarec::store::dynamodb
