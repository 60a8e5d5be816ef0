#include "llm/HttpFailure.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "llm/RetryPolicy.h"

namespace vitarec::llm {
namespace {

std::string Field(const boost::json::object& error, std::string_view key) {
  const boost::json::value* v = error.if_contains(key);
  if (v == nullptr) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64()) return std::to_string(v->get_int64());
  return "";
}

}  // namespace

CallFailure FailureFromHttp(int status, std::string_view body, std::string_view retry_after,
                            std::string_view retry_after_ms, core::TimePoint now) {
  CallFailure f;
  f.kind = FailureKind::kHttpStatus;
  f.http_status = status;
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(body, ec);
  if (!ec && v.is_object()) {
    const boost::json::value* error = v.get_object().if_contains("error");
    // vLLM's older answers are the error object itself.
    const boost::json::object* e = error && error->is_object() ? &error->get_object()
                                   : Field(v.get_object(), "object") == "error" ? &v.get_object()
                                                                                : nullptr;
    if (e != nullptr) {
      f.error_type = Field(*e, "type");
      f.error_code = Field(*e, "code");
    }
  }
  if (!retry_after_ms.empty()) f.retry_after = ParseRetryAfterMs(retry_after_ms);
  if (!f.retry_after && !retry_after.empty()) f.retry_after = ParseRetryAfter(retry_after, now);
  return f;
}

}  // namespace vitarec::llm
