#include "store/dynamodb/DynamoUpdate.h"

#include "store/dynamodb/DynamoItem.h"

namespace vitarec::store::dynamodb {
namespace {

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

}  // namespace

std::string DynamoUpdate::Name(std::string_view name) {
  for (const auto& [placeholder, value] : names_) {
    if (value.as_string() == name) return std::string(placeholder);
  }
  std::string placeholder = "#a" + std::to_string(names_.size());
  names_[placeholder] = name;
  return placeholder;
}

std::string DynamoUpdate::Value(boost::json::object value) {
  std::string placeholder = ":v" + std::to_string(values_.size());
  values_[placeholder] = std::move(value);
  return placeholder;
}

DynamoUpdate& DynamoUpdate::Set(std::string_view name, boost::json::object value) {
  sets_.push_back(Name(name) + " = " + Value(std::move(value)));
  return *this;
}

DynamoUpdate& DynamoUpdate::SetExpression(std::string expression) {
  sets_.push_back(std::move(expression));
  return *this;
}

DynamoUpdate& DynamoUpdate::Add(std::string_view name, std::int64_t delta) {
  const std::string n = Name(name);
  sets_.push_back(n + " = " + n + " + " + Value(N(delta)));
  return *this;
}

DynamoUpdate& DynamoUpdate::Remove(std::string_view name) {
  removes_.push_back(Name(name));
  return *this;
}

DynamoUpdate& DynamoUpdate::Condition(std::string expression) {
  conditions_.push_back("(" + std::move(expression) + ")");
  return *this;
}

void DynamoUpdate::AddTo(boost::json::object& request) const {
  std::string update;
  if (!sets_.empty()) update = "SET " + Join(sets_, ", ");
  if (!removes_.empty())
    update += (update.empty() ? "" : " ") + std::string("REMOVE ") + Join(removes_, ", ");
  if (!update.empty()) request["UpdateExpression"] = update;
  if (!conditions_.empty()) request["ConditionExpression"] = Join(conditions_, " AND ");
  if (!names_.empty()) request["ExpressionAttributeNames"] = names_;
  if (!values_.empty()) request["ExpressionAttributeValues"] = values_;
}

}  // namespace vitarec::store::dynamodb
