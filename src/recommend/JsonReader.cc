#include "recommend/JsonReader.h"

#include <algorithm>
#include <boost/json/object.hpp>

namespace vitarec::recommend {

namespace json = boost::json;

void JsonReader::Fail(std::string_view place, std::string_view reason) {
  if (error_) return;
  std::string where = file_ + ":" + std::string(place);
  error_ = core::MakeError(
      core::ErrorCode::kInvalidArgument,
      file_ + ": " + std::string(place.empty() ? "(top)" : place) + ": " + std::string(reason),
      std::move(where));
}

std::string JsonReader::Join(std::string_view place, std::string_view key) {
  if (place.empty()) return std::string(key);
  return std::string(place) + "." + std::string(key);
}

std::string JsonReader::Index(std::string_view place, std::size_t i) {
  return std::string(place) + "[" + std::to_string(i) + "]";
}

const json::value* JsonReader::Find(const json::object& obj, std::string_view key,
                                    std::string_view place, bool required) {
  if (!ok()) return nullptr;
  const json::value* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (required) Fail(Join(place, key), "is required");
    return nullptr;
  }
  return v;
}

std::string JsonReader::String(const json::object& obj, std::string_view key,
                               std::string_view place, bool required) {
  const json::value* v = Find(obj, key, place, required);
  if (v == nullptr) return {};
  if (!v->is_string() || v->get_string().empty()) {
    Fail(Join(place, key), "must be a non-empty string");
    return {};
  }
  return std::string(v->get_string());
}

int JsonReader::Int(const json::object& obj, std::string_view key, std::string_view place,
                    int min_value, int max_value, std::optional<int> default_value) {
  const json::value* v = Find(obj, key, place, !default_value.has_value());
  if (v == nullptr) return default_value.value_or(0);
  const std::string range = "must be a whole number from " + std::to_string(min_value) + " to " +
                            std::to_string(max_value);
  std::int64_t n = 0;
  if (v->is_int64()) {
    n = v->get_int64();
  } else if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(max_value)) {
    n = static_cast<std::int64_t>(v->get_uint64());
  } else {
    Fail(Join(place, key), range);
    return 0;
  }
  if (n < min_value || n > max_value) {
    Fail(Join(place, key), range);
    return 0;
  }
  return static_cast<int>(n);
}

bool JsonReader::Bool(const json::object& obj, std::string_view key, std::string_view place) {
  const json::value* v = Find(obj, key, place, /*required=*/false);
  if (v == nullptr) return false;
  if (!v->is_bool()) {
    Fail(Join(place, key), "must be true or false");
    return false;
  }
  return v->get_bool();
}

double JsonReader::Number(const json::object& obj, std::string_view key, std::string_view place,
                          double min_value, double max_value) {
  const json::value* v = Find(obj, key, place, /*required=*/true);
  if (v == nullptr) return 0;
  if (!v->is_number() || v->to_number<double>() < min_value || v->to_number<double>() > max_value) {
    Fail(Join(place, key), "must be a number from " +
                               std::to_string(static_cast<long long>(min_value)) + " to " +
                               std::to_string(static_cast<long long>(max_value)));
    return 0;
  }
  return v->to_number<double>();
}

LocalizedText JsonReader::Text(const json::object& obj, std::string_view key,
                               std::string_view place, bool required) {
  const json::object* text = Object(obj, key, place, required);
  if (text == nullptr) return {};
  const std::string here = Join(place, key);
  OnlyKeys(*text, {"es", "en"}, here);
  LocalizedText out;
  out.es = String(*text, "es", here);
  out.en = String(*text, "en", here);
  return out;
}

std::vector<std::string> JsonReader::Strings(const json::object& obj, std::string_view key,
                                             std::string_view place, bool required) {
  const json::value* v = Find(obj, key, place, required);
  std::vector<std::string> out;
  if (v == nullptr) return out;
  const std::string here = Join(place, key);
  if (!v->is_array()) {
    Fail(here, "must be an array of strings");
    return out;
  }
  const json::array& items = v->get_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_string() || items[i].get_string().empty()) {
      Fail(Index(here, i), "must be a non-empty string");
      return {};
    }
    out.emplace_back(items[i].get_string());
  }
  return out;
}

std::vector<const json::object*> JsonReader::Objects(const json::object& obj, std::string_view key,
                                                     std::string_view place, bool required) {
  const json::value* v = Find(obj, key, place, required);
  std::vector<const json::object*> out;
  if (v == nullptr) return out;
  const std::string here = Join(place, key);
  if (!v->is_array()) {
    Fail(here, "must be an array of objects");
    return out;
  }
  const json::array& items = v->get_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_object()) {
      Fail(Index(here, i), "must be an object");
      return {};
    }
    out.push_back(&items[i].get_object());
  }
  return out;
}

const json::object* JsonReader::Object(const json::object& obj, std::string_view key,
                                       std::string_view place, bool required) {
  const json::value* v = Find(obj, key, place, required);
  if (v == nullptr) return nullptr;
  if (!v->is_object()) {
    Fail(Join(place, key), "must be an object");
    return nullptr;
  }
  return &v->get_object();
}

void JsonReader::OnlyKeys(const json::object& obj, std::initializer_list<std::string_view> known,
                          std::string_view place) {
  if (!ok()) return;
  for (const auto& entry : obj) {
    if (std::find(known.begin(), known.end(), entry.key()) == known.end()) {
      Fail(Join(place, entry.key()), "is not a known field");
      return;
    }
  }
}

}  // namespace vitarec::recommend
