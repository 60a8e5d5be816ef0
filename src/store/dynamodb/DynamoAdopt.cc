#include "store/dynamodb/DynamoAdopt.h"

#include <boost/json.hpp>

#include "store/dynamodb/DynamoItem.h"
#include "store/dynamodb/DynamoStore.h"

namespace vitarec::store::dynamodb {
namespace {

namespace json = boost::json;

// The old item's request as JSON text, or empty when it holds nothing to run.
std::string LegacyRequest(const json::object& item) {
  if (auto text = GetS(item, "request")) return *text;
  json::object request;
  for (const char* name : {"query", "quiz_id", "category", "locale"}) {
    if (auto value = GetS(item, name)) request[name] = *value;
  }
  if (const json::value* answers = item.if_contains("answers")) {
    json::value plain = AttributeToJson(*answers);
    if (plain.is_string()) {  // kept as JSON text
      json::error_code error;
      json::value parsed = json::parse(plain.as_string(), error);
      if (!error) plain = std::move(parsed);
    }
    if (plain.is_object()) request["answers"] = std::move(plain);
  }
  if (!request.contains("query") && !request.contains("answers")) return "";
  return json::serialize(request);
}

}  // namespace

core::Result<AdoptReport> DynamoJobTable::AdoptLegacy(core::TimePoint now, int max_attempts,
                                                      std::vector<JobChange>& changes) {
  AdoptReport report;
  json::value start;
  for (;;) {
    DynamoUpdate filter;
    json::object scan{{"TableName", options_.table},
                      {"FilterExpression", "attribute_not_exists(" + filter.Name(attr::kState) +
                                               ") AND " + filter.Name(attr::kStatus) + " = " +
                                               filter.Value(S("processing"))}};
    if (!start.is_null()) scan["ExclusiveStartKey"] = start;
    filter.AddTo(scan);
    auto page = client_.Call("Scan", std::move(scan));
    if (!page) return core::Fail(std::move(page.error()));
    report.scanned +=
        page->contains("ScannedCount") ? page->at("ScannedCount").to_number<std::int64_t>() : 0;
    if (const json::value* items = page->if_contains("Items"); items && items->is_array()) {
      for (const json::value& value : items->as_array()) {
        const json::object& item = value.as_object();
        const std::string id = GetS(item, attr::kId).value_or("");
        const std::string request = LegacyRequest(item);
        if (id.empty() || request.empty()) {
          ++report.skipped;
          continue;
        }
        const std::int64_t ms = core::ToUnixMillis(now);
        DynamoUpdate update;
        update.Condition("attribute_not_exists(" + update.Name(attr::kState) + ")");
        update.Condition(update.Name(attr::kStatus) + " = " + update.Value(S("processing")));
        const std::string version = update.Name("version");
        const std::string created = update.Name("createdAt");
        const std::string progress = update.Name(attr::kProgress);
        const std::string locale = update.Name("locale");
        update.Set(attr::kState, S("queued"))
            .Set("request", S(request))
            .SetExpression(locale + " = if_not_exists(" + locale + ", " + update.Value(S("es")) +
                           ")")
            .SetExpression(progress + " = if_not_exists(" + progress + ", " + update.Value(N(0)) +
                           ")")
            .SetExpression(created + " = if_not_exists(" + created + ", " + update.Value(N(ms)) +
                           ")")
            .Set("attempt", N(0))
            .Set("maxAttempts", N(max_attempts))
            .Set("leaseOwner", S(""))
            .Set("leaseExpiresAt", N(0))
            .Set("fence", N(0))
            .Set("runAt", N(ms))
            .Set("cancelRequested", Bool(false))
            .Set("purgeAt", N(0))
            .Set(attr::kDue, S(kDueQueued))
            .Set(attr::kDueAt, N(ms))
            .SetExpression(version + " = if_not_exists(" + version + ", " + update.Value(N(1)) +
                           ") + " + update.Value(N(1)));
        // Not Visible(): an old item may have no version (it reads as 1) to add to.
        update.Set("updatedAt", N(ms));
        Stamp(update, id);
        auto adopted = UpdateItem(id, update, "ALL_NEW");
        if (!adopted) {
          if (adopted.error().code == core::ErrorCode::kConflict) continue;  // taken meanwhile
          return core::Fail(std::move(adopted.error()));
        }
        ++report.adopted;
        changes.push_back(JobChange{id, GetN(*adopted, "version").value_or(1), JobState::kQueued});
      }
    }
    const json::value* next = page->if_contains("LastEvaluatedKey");
    if (next == nullptr) break;
    start = *next;
  }
  return report;
}

core::Result<AdoptReport> AdoptLegacyJobs(Store& store, core::TimePoint now, int max_attempts) {
  auto* dynamo = dynamic_cast<DynamoStore*>(&store);
  if (dynamo == nullptr) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "adopt takes over the old system's DynamoDB items: give --store "
                      "dynamodb://TABLE?region=...",
                      "store");
  }
  std::vector<JobChange> changes;
  return dynamo->table().AdoptLegacy(now, max_attempts, changes);
}

}  // namespace vitarec::store::dynamodb
