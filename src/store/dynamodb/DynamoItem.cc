#include "store/dynamodb/DynamoItem.h"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <cstdio>
#include <ctime>

namespace vitarec::store::dynamodb {
namespace {

namespace json = boost::json;

const json::value* Attribute(const json::object& item, std::string_view name, const char* type) {
  const json::value* value = item.if_contains(name);
  if (value == nullptr || !value->is_object()) return nullptr;
  return value->as_object().if_contains(type);
}

// Unix ms from N (ms) or an ISO 8601 UTC text ("2026-11-28T14:20:56.123Z").
core::TimePoint TimeOf(const json::object& item, std::string_view name) {
  if (auto ms = GetN(item, name)) return core::FromUnixMillis(*ms);
  if (auto text = GetS(item, name)) {
    std::tm tm{};
    int millis = 0;
    if (std::sscanf(text->c_str(), "%d-%d-%dT%d:%d:%d.%3d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &millis) >= 6) {
      tm.tm_year -= 1900;
      tm.tm_mon -= 1;
      return core::FromUnixMillis(static_cast<std::int64_t>(::timegm(&tm)) * 1000 + millis);
    }
  }
  return core::TimePoint{};
}

std::optional<JobState> LegacyState(std::string_view status) {
  if (status == "processing") return JobState::kRunning;
  if (status == "completed") return JobState::kCompleted;
  if (status == "failed") return JobState::kFailed;
  if (status == "cancelled") return JobState::kCancelled;
  return std::nullopt;
}

}  // namespace

json::value AttributeToJson(const json::value& attribute) {
  if (!attribute.is_object() || attribute.as_object().empty()) return nullptr;
  const auto& [type, v] = *attribute.as_object().begin();
  if (type == "S") return v;
  if (type == "BOOL") return v;
  if (type == "N" && v.is_string()) {
    const std::string_view text = v.as_string();
    std::int64_t integer = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), integer);
    if (error == std::errc() && end == text.data() + text.size()) return integer;
    return std::strtod(std::string(text).c_str(), nullptr);
  }
  if (type == "M" && v.is_object()) {
    json::object out;
    for (const auto& [key, inner] : v.as_object()) out[key] = AttributeToJson(inner);
    return out;
  }
  if ((type == "L" || type == "SS" || type == "NS") && v.is_array()) {
    json::array out;
    for (const json::value& inner : v.as_array()) {
      out.push_back(type == "L" ? AttributeToJson(inner) : inner);
    }
    return out;
  }
  return nullptr;
}

std::string IdempotencyItemId(std::string_view key) { return "idempotency#" + std::string(key); }

json::object S(std::string_view value) { return json::object{{"S", value}}; }
json::object N(std::int64_t value) { return json::object{{"N", std::to_string(value)}}; }
json::object Bool(bool value) { return json::object{{"BOOL", value}}; }
json::object Key(std::string_view id) { return json::object{{attr::kId, S(id)}}; }

std::optional<std::string> GetS(const json::object& item, std::string_view name) {
  const json::value* v = Attribute(item, name, "S");
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

std::optional<std::int64_t> GetN(const json::object& item, std::string_view name) {
  const json::value* v = Attribute(item, name, "N");
  if (v == nullptr || !v->is_string()) return std::nullopt;
  const std::string_view text = v->as_string();
  std::int64_t out = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (error != std::errc()) return std::nullopt;
  if (end != text.data() + text.size()) {  // "12.5": an old item's progress may be a decimal
    return static_cast<std::int64_t>(std::strtod(std::string(text).c_str(), nullptr));
  }
  return out;
}

std::optional<bool> GetBool(const json::object& item, std::string_view name) {
  const json::value* v = Attribute(item, name, "BOOL");
  if (v == nullptr || !v->is_bool()) return std::nullopt;
  return v->as_bool();
}

std::string_view StatusOf(JobState state) {
  return state == JobState::kQueued || state == JobState::kRunning ? "processing"
                                                                   : JobStateName(state);
}

json::object NewJobItem(const NewJob& job) {
  json::object item;
  item[attr::kId] = S(job.id);
  item[attr::kStatus] = S("processing");
  item[attr::kState] = S("queued");
  item[attr::kProgress] = N(0);
  item[attr::kProgressMessage] = S(job.progress_message);
  if (!job.quiz_id.empty()) item["quiz_id"] = S(job.quiz_id);
  if (!job.category.empty()) item["category"] = S(job.category);
  item["locale"] = S(job.locale);
  item["request"] = S(job.request_json);
  if (!job.idempotency_key.empty()) item["idempotencyKey"] = S(job.idempotency_key);
  item["attempt"] = N(0);
  item["maxAttempts"] = N(job.max_attempts);
  item["leaseOwner"] = S("");
  item["leaseExpiresAt"] = N(0);
  item["fence"] = N(0);
  const std::int64_t created = core::ToUnixMillis(job.created_at);
  item["runAt"] = N(created);
  item["createdAt"] = N(created);
  item["updatedAt"] = N(created);
  item["version"] = N(1);
  item["cancelRequested"] = Bool(false);
  item["purgeAt"] = N(0);
  item[attr::kDue] = S(kDueQueued);
  item[attr::kDueAt] = N(created);
  return item;
}

core::Result<Job> ItemToJob(const json::object& item) {
  Job job;
  auto id = GetS(item, attr::kId);
  if (!id) return core::Fail(core::ErrorCode::kInternal, "an item without recommendation_id");
  job.id = *id;
  if (auto state = GetS(item, attr::kState)) {
    auto parsed = ParseJobState(*state);
    if (!parsed) {
      return core::Fail(core::ErrorCode::kInternal, "job " + job.id + " has state " + *state);
    }
    job.state = *parsed;
  } else {
    auto status = GetS(item, attr::kStatus);
    auto legacy = status ? LegacyState(*status) : std::nullopt;
    if (!legacy) {
      return core::Fail(core::ErrorCode::kInternal, "item " + job.id + " is not a job");
    }
    job.state = *legacy;
  }
  job.progress = static_cast<int>(GetN(item, attr::kProgress).value_or(0));
  job.progress_message = GetS(item, attr::kProgressMessage).value_or("");
  job.quiz_id = GetS(item, "quiz_id").value_or("");
  job.category = GetS(item, "category").value_or("");
  job.locale = GetS(item, "locale").value_or("");
  job.request_json = GetS(item, "request").value_or("");
  job.idempotency_key = GetS(item, "idempotencyKey").value_or("");
  if (auto text = GetS(item, attr::kRecommendation)) {
    job.result_json = *text;
  } else if (const json::value* map = item.if_contains(attr::kRecommendation)) {
    const json::value plain = AttributeToJson(*map);
    if (!plain.is_null()) job.result_json = json::serialize(plain);
  }
  if (auto code = GetS(item, "errorCode")) {
    job.error = JobError{*code, GetS(item, "errorMessage").value_or(""),
                         GetBool(item, "errorRetryable").value_or(false)};
  } else if (auto legacy_error = GetS(item, "error")) {  // the old system: a message
    job.error = JobError{"failed", *legacy_error, false};
  }
  job.attempt = static_cast<int>(GetN(item, "attempt").value_or(0));
  job.max_attempts = static_cast<int>(GetN(item, "maxAttempts").value_or(3));
  job.lease_owner = GetS(item, "leaseOwner").value_or("");
  job.lease_expires_at = core::FromUnixMillis(GetN(item, "leaseExpiresAt").value_or(0));
  job.fence = GetN(item, "fence").value_or(0);
  job.created_at = TimeOf(item, "createdAt");
  job.updated_at = TimeOf(item, "updatedAt");
  if (job.updated_at == core::TimePoint{}) job.updated_at = job.created_at;
  job.run_at = item.contains("runAt") ? TimeOf(item, "runAt") : job.created_at;
  job.version = GetN(item, "version").value_or(1);
  job.cancel_requested = GetBool(item, "cancelRequested").value_or(false);
  job.expires_at = core::FromUnixMillis(GetN(item, "purgeAt").value_or(0));
  return job;
}

std::int64_t TtlSeconds(core::TimePoint t) { return (core::ToUnixMillis(t) + 999) / 1000; }

}  // namespace vitarec::store::dynamodb
