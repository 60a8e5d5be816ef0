#include "recommend/RequestParser.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace vitarec::recommend {
namespace {

namespace json = boost::json;
using core::ErrorCode;
using core::Fail;
using core::Result;

constexpr std::size_t kMaxDepth = 16;
// Requests are small: their parsed tree, and the tree ToCanonicalJson builds, fit in this much
// stack (a monotonic resource takes more from the heap when they do not). On the submit path
// this replaces about twenty allocations per request.
constexpr std::size_t kTreeBufferBytes = 4096;

std::string Trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

// Reads an optional string field of `obj` into `out`, trimmed and bounded.
Result<void> ReadText(const json::object& obj, std::string_view key, std::string_view path,
                      std::size_t max_chars, std::string& out) {
  const json::value* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) return {};
  if (!v->is_string())
    return Fail(ErrorCode::kInvalidArgument, std::string(path) + " must be a string",
                std::string(path));
  out = Trim(v->get_string());
  if (out.size() > max_chars)
    return Fail(ErrorCode::kInvalidArgument,
                std::string(path) + " is longer than " + std::to_string(max_chars) + " characters",
                std::string(path));
  return {};
}

Result<void> ReadBool(const json::object& obj, std::string_view key, std::string_view path,
                      bool& out) {
  const json::value* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) return {};
  if (!v->is_bool())
    return Fail(ErrorCode::kInvalidArgument, std::string(path) + " must be true or false",
                std::string(path));
  out = v->get_bool();
  return {};
}

Result<void> ReadList(const json::object& obj, std::string_view key, std::string_view path,
                      const RequestLimits& limits, std::vector<std::string>& out) {
  const json::value* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) return {};
  if (!v->is_array())
    return Fail(ErrorCode::kInvalidArgument, std::string(path) + " must be an array of strings",
                std::string(path));
  const json::array& items = v->get_array();
  if (items.size() > limits.max_list_items)
    return Fail(
        ErrorCode::kInvalidArgument,
        std::string(path) + " has more than " + std::to_string(limits.max_list_items) + " entries",
        std::string(path));
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string item_path = std::string(path) + "[" + std::to_string(i) + "]";
    if (!items[i].is_string())
      return Fail(ErrorCode::kInvalidArgument, item_path + " must be a string", item_path);
    std::string text = Trim(items[i].get_string());
    if (text.size() > limits.max_item_chars)
      return Fail(
          ErrorCode::kInvalidArgument,
          item_path + " is longer than " + std::to_string(limits.max_item_chars) + " characters",
          item_path);
    if (!text.empty()) out.push_back(std::move(text));
  }
  return {};
}

Result<QuizAnswers> ReadAnswers(const json::value& v, const RequestLimits& limits) {
  if (!v.is_object())
    return Fail(ErrorCode::kInvalidArgument, "answers must be an object", "answers");
  const json::object& obj = v.get_object();
  QuizAnswers a;
  if (const json::value* age = obj.if_contains("age"); age != nullptr && !age->is_null()) {
    std::int64_t years = -1;
    if (age->is_int64()) {
      years = age->get_int64();
    } else if (age->is_uint64()) {
      years = age->get_uint64() > 1000 ? 1000 : static_cast<std::int64_t>(age->get_uint64());
    } else if (age->is_double() &&
               age->get_double() ==
                   static_cast<double>(static_cast<std::int64_t>(age->get_double()))) {
      years = static_cast<std::int64_t>(age->get_double());
    } else {
      return Fail(ErrorCode::kInvalidArgument, "answers.age must be a whole number of years",
                  "answers.age");
    }
    if (years < 0 || years > 120)
      return Fail(ErrorCode::kInvalidArgument, "answers.age must be between 0 and 120",
                  "answers.age");
    a.age = static_cast<int>(years);
  }
  if (auto r = ReadText(obj, "sex", "answers.sex", limits.max_label_chars, a.sex); !r)
    return Fail(r.error());
  if (!a.sex.empty()) {
    for (char& c : a.sex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (a.sex == "f" || a.sex == "mujer" || a.sex == "femenino") a.sex = "female";
    if (a.sex == "m" || a.sex == "hombre" || a.sex == "masculino") a.sex = "male";
    if (a.sex == "otro") a.sex = "other";
    if (a.sex != "female" && a.sex != "male" && a.sex != "other")
      return Fail(ErrorCode::kInvalidArgument,
                  "answers.sex must be \"female\", \"male\" or \"other\"", "answers.sex");
  }
  if (auto r = ReadBool(obj, "pregnant", "answers.pregnant", a.pregnant); !r)
    return Fail(r.error());
  if (auto r = ReadBool(obj, "lactating", "answers.lactating", a.lactating); !r)
    return Fail(r.error());
  if (auto r = ReadBool(obj, "breastfeeding", "answers.breastfeeding", a.lactating); !r)
    return Fail(r.error());
  if (auto r = ReadList(obj, "goals", "answers.goals", limits, a.goals); !r) return Fail(r.error());
  if (auto r = ReadList(obj, "conditions", "answers.conditions", limits, a.conditions); !r)
    return Fail(r.error());
  if (auto r = ReadList(obj, "medications", "answers.medications", limits, a.medications); !r)
    return Fail(r.error());
  if (auto r = ReadText(obj, "diet", "answers.diet", limits.max_label_chars, a.diet); !r)
    return Fail(r.error());
  for (char& c : a.diet) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return a;
}

}  // namespace

Result<RecommendRequest> ParseRecommendRequest(const json::value& body,
                                               const RequestLimits& limits) {
  if (!body.is_object())
    return Fail(ErrorCode::kInvalidArgument, "the body must be a JSON object", "");
  const json::object& obj = body.get_object();
  RecommendRequest req;
  if (auto r = ReadText(obj, "query", "query", limits.max_query_chars, req.query); !r)
    return Fail(r.error());
  if (auto r = ReadText(obj, "quiz_id", "quiz_id", limits.max_label_chars, req.quiz_id); !r)
    return Fail(r.error());
  if (auto r = ReadText(obj, "category", "category", limits.max_label_chars, req.category); !r)
    return Fail(r.error());
  std::string locale;
  if (auto r = ReadText(obj, "locale", "locale", limits.max_label_chars, locale); !r)
    return Fail(r.error());
  if (!locale.empty()) {
    for (char& c : locale) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string lang = locale.substr(0, locale.find_first_of("-_"));
    if (lang != "es" && lang != "en")
      return Fail(ErrorCode::kInvalidArgument, "locale must be \"es\" or \"en\"", "locale");
    req.locale = lang;
  }
  if (const json::value* answers = obj.if_contains("answers");
      answers != nullptr && !answers->is_null()) {
    auto a = ReadAnswers(*answers, limits);
    if (!a) return Fail(a.error());
    req.answers = std::move(*a);
  }
  if (req.query.empty() && !req.answers)
    return Fail(ErrorCode::kInvalidArgument, "query or answers is required", "query");
  return req;
}

Result<RecommendRequest> ParseRecommendRequestText(std::string_view text,
                                                   const RequestLimits& limits) {
  json::parse_options options;
  options.max_depth = kMaxDepth;
  boost::system::error_code ec;
  unsigned char buffer[kTreeBufferBytes];
  json::monotonic_resource tree_memory(buffer, sizeof buffer);
  json::value body = json::parse(text, ec, &tree_memory, options);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument, "the body is not valid JSON: " + ec.message(), "");
  }
  return ParseRecommendRequest(body, limits);
}

std::string ToCanonicalJson(const RecommendRequest& request) {
  unsigned char buffer[kTreeBufferBytes];
  json::monotonic_resource tree_memory(buffer, sizeof buffer);
  json::object obj(&tree_memory);
  obj.reserve(5);
  if (!request.query.empty()) obj["query"] = request.query;
  if (!request.quiz_id.empty()) obj["quiz_id"] = request.quiz_id;
  if (!request.category.empty()) obj["category"] = request.category;
  obj["locale"] = request.locale;
  if (request.answers) {
    const QuizAnswers& a = *request.answers;
    json::object ans(&tree_memory);
    ans.reserve(8);
    if (a.age) ans["age"] = *a.age;
    if (!a.sex.empty()) ans["sex"] = a.sex;
    ans["pregnant"] = a.pregnant;
    ans["lactating"] = a.lactating;
    const auto list = [&tree_memory](const std::vector<std::string>& items) {
      json::array out(&tree_memory);
      out.reserve(items.size());
      for (const auto& s : items) out.emplace_back(s);
      return out;
    };
    ans["goals"] = list(a.goals);
    ans["conditions"] = list(a.conditions);
    ans["medications"] = list(a.medications);
    if (!a.diet.empty()) ans["diet"] = a.diet;
    obj["answers"] = std::move(ans);
  }
  return json::serialize(obj);
}

}  // namespace vitarec::recommend
