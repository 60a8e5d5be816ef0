#include "store/dynamodb/DynamoClient.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <random>
#include <thread>

namespace vitarec::store::dynamodb {
namespace {

using core::ErrorCode;
namespace json = boost::json;

bool IsThrottling(std::string_view type) {
  return type == "ProvisionedThroughputExceededException" || type == "ThrottlingException" ||
         type == "RequestLimitExceeded";
}

// "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException" -> the part after '#'.
std::string_view ShortType(std::string_view type) {
  const std::size_t hash = type.rfind('#');
  return hash == std::string_view::npos ? type : type.substr(hash + 1);
}

core::Millis Backoff(const DynamoClientOptions& options, int retry) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  const std::int64_t ceiling = std::min<std::int64_t>(
      options.backoff_cap.count(), options.backoff_base.count() << std::min(retry, 20));
  return core::Millis(std::uniform_int_distribution<std::int64_t>(0, ceiling)(random));
}

}  // namespace

core::Result<std::unique_ptr<DynamoClient>> DynamoClient::Create(DynamoClientOptions options) {
  std::string endpoint = options.endpoint;
  if (endpoint.empty()) {
    endpoint = "https://dynamodb." + options.region + ".amazonaws.com";
  }
  net::HttpClientOptions http_options;
  http_options.origin = endpoint;
  http_options.max_connections = options.max_connections;
  http_options.connect_timeout = options.connect_timeout;
  http_options.request_timeout = options.request_timeout;
  auto http = net::HttpClient::Create(http_options);
  if (!http) {
    return core::Fail(ErrorCode::kInvalidArgument,
                      "the DynamoDB endpoint must look like http://host:port or https://host",
                      "endpoint");
  }
  return std::unique_ptr<DynamoClient>(
      new DynamoClient(std::move(options), std::move(endpoint), std::move(*http)));
}

DynamoClient::DynamoClient(DynamoClientOptions options, std::string endpoint,
                           std::unique_ptr<net::HttpClient> http)
    : options_(std::move(options)), endpoint_(std::move(endpoint)), http_(std::move(http)) {}

core::Result<json::object> DynamoClient::Call(std::string_view action, json::object request) {
  request["ReturnConsumedCapacity"] = "TOTAL";
  const std::string body = json::serialize(request);
  const std::string target = "DynamoDB_20120810." + std::string(action);
  core::Error last = core::MakeError(ErrorCode::kUnavailable, "no attempt made");
  const auto started = std::chrono::steady_clock::now();
  int attempt = 0;
  for (; attempt < options_.max_attempts; ++attempt) {
    if (attempt > 0) {
      const core::Millis wait = Backoff(options_, attempt - 1);
      if (std::chrono::steady_clock::now() + wait - started > options_.max_call_time) break;
      retries_.fetch_add(1, std::memory_order_relaxed);
      std::this_thread::sleep_for(wait);
    }
    net::SigV4Input input;
    input.method = "POST";
    input.host = http_->host_header();
    input.headers = {{"Content-Type", "application/x-amz-json-1.0"}, {"X-Amz-Target", target}};
    input.body = body;
    const net::SigV4Result signature =
        net::SignV4(input, options_.credentials, net::SigV4Scope{options_.region, "dynamodb"},
                    core::SystemClock().Now());
    net::HttpRequest http_request;
    http_request.method = "POST";
    http_request.headers = input.headers;
    http_request.headers.insert(http_request.headers.end(), signature.headers.begin(),
                                signature.headers.end());
    http_request.body = body;
    requests_.fetch_add(1, std::memory_order_relaxed);
    auto response = http_->SendAndWait(std::move(http_request));
    if (!response) {
      last = core::MakeError(ErrorCode::kUnavailable, "DynamoDB " + std::string(action) +
                                                          " failed: " + response.error().message);
      continue;
    }
    json::error_code parse_error;
    json::value answer = json::parse(response->body, parse_error);
    if (response->status >= 500 || (parse_error && response->status == 200)) {
      last = core::MakeError(
          ErrorCode::kUnavailable,
          "DynamoDB " + std::string(action) + " answered " + std::to_string(response->status));
      continue;
    }
    if (parse_error || !answer.is_object()) {
      return core::Fail(ErrorCode::kInternal, "DynamoDB " + std::string(action) + " answered " +
                                                  std::to_string(response->status) +
                                                  " without a JSON object");
    }
    json::object& object = answer.as_object();
    if (const json::value* consumed = object.if_contains("ConsumedCapacity")) {
      CountCapacity(action, *consumed);
    }
    if (response->status == 200) return std::move(object);

    std::string_view type;
    if (const json::value* t = object.if_contains("__type"); t && t->is_string()) {
      type = ShortType(t->as_string());
    }
    std::string message;
    for (const char* key : {"message", "Message"}) {
      if (const json::value* m = object.if_contains(key); m && m->is_string()) {
        message = m->as_string();
      }
    }
    if (IsThrottling(type)) {
      throttled_.fetch_add(1, std::memory_order_relaxed);
      last = core::MakeError(ErrorCode::kUnavailable, "DynamoDB " + std::string(action) +
                                                          " throttled: " + std::string(type));
      continue;
    }
    if (type == "ConditionalCheckFailedException") {
      return core::Fail(ErrorCode::kConflict, "condition failed");
    }
    const std::string described = "DynamoDB " + std::string(action) + ": " + std::string(type) +
                                  (message.empty() ? "" : " (" + message + ")");
    if (type == "ResourceNotFoundException" || type == "UnrecognizedClientException" ||
        type == "AccessDeniedException" || type == "InvalidSignatureException" ||
        type == "ExpiredTokenException" || type == "MissingAuthenticationTokenException") {
      return core::Fail(ErrorCode::kUnavailable, described);
    }
    return core::Fail(ErrorCode::kInternal, described);
  }
  return core::Fail(ErrorCode::kUnavailable,
                    last.message + " (after " + std::to_string(attempt) + " attempts)");
}

void DynamoClient::CountCapacity(std::string_view action, const json::value& consumed) {
  const bool read = action == "GetItem" || action == "Query" || action == "Scan" ||
                    action == "BatchGetItem" || action == "DescribeTable";
  auto add = [&](const json::value& c) {
    const json::value* v = c.is_object() ? c.as_object().if_contains("CapacityUnits") : nullptr;
    if (v == nullptr || !v->is_number()) return;
    (read ? read_milliunits_ : write_milliunits_) +=
        static_cast<std::int64_t>(v->to_number<double>() * 1000);
  };
  if (consumed.is_array()) {
    for (const json::value& c : consumed.as_array()) add(c);
  } else {
    add(consumed);
  }
}

DynamoUsage DynamoClient::usage() const {
  DynamoUsage u;
  u.requests = requests_.load();
  u.retries = retries_.load();
  u.throttled = throttled_.load();
  u.read_units = read_milliunits_.load() / 1000.0;
  u.write_units = write_milliunits_.load() / 1000.0;
  return u;
}

}  // namespace vitarec::store::dynamodb
