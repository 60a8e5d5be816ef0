// Builds the expressions of one DynamoDB request (UpdateItem, PutItem, Query, ...): every
// attribute name through a placeholder (#a0, ...; `status` and `state` are reserved words),
// every value through one (:v0, ...).
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace vitarec::store::dynamodb {

class DynamoUpdate {
 public:
  // "#aN" for `name` (the same placeholder for the same name).
  std::string Name(std::string_view name);
  // ":vN" for `value`.
  std::string Value(boost::json::object value);

  DynamoUpdate& Set(std::string_view name, boost::json::object value);
  // "SET <expression>" part, written with placeholders from Name/Value.
  DynamoUpdate& SetExpression(std::string expression);
  // `name` = `name` + `delta`.
  DynamoUpdate& Add(std::string_view name, std::int64_t delta);
  DynamoUpdate& Remove(std::string_view name);
  // ANDed with the other conditions.
  DynamoUpdate& Condition(std::string expression);

  bool has_updates() const { return !sets_.empty() || !removes_.empty(); }

  // Adds UpdateExpression (when there are updates), ConditionExpression (when any) and the
  // placeholders to `request`.
  void AddTo(boost::json::object& request) const;

 private:
  std::vector<std::string> sets_, removes_, conditions_;
  boost::json::object names_, values_;
};

}  // namespace vitarec::store::dynamodb
