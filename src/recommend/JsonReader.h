// Reads the fields of a knowledge-base JSON file while remembering where it is, so that the first
// problem is reported as "<file>: <place>: <reason>", e.g.
// "supplements/minerals.json: supplements[3].dose.amount: must be a whole number > 0".
//
// Errors are sticky: after the first failure every accessor returns an empty or zero value and
// ok() stays false, so parsing code reads straight through and checks once at the end.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/Error.h"
#include "recommend/LocalizedText.h"

namespace vitarec::recommend {

class JsonReader {
 public:
  explicit JsonReader(std::string file) : file_(std::move(file)) {}

  bool ok() const { return !error_.has_value(); }
  // The first failure (kInvalidArgument, `field` = "<file>:<place>"). Only valid when !ok().
  const core::Error& error() const { return *error_; }

  // Records a failure at `place` unless one is already recorded.
  void Fail(std::string_view place, std::string_view reason);

  // Each of these reads obj[key], at `place` + "." + key. A missing key is a failure when the
  // field is required and gives the empty/zero value otherwise.
  std::string String(const boost::json::object& obj, std::string_view key, std::string_view place,
                     bool required = true);
  int Int(const boost::json::object& obj, std::string_view key, std::string_view place,
          int min_value, int max_value, std::optional<int> default_value = std::nullopt);
  // true or false; a missing key reads as false.
  bool Bool(const boost::json::object& obj, std::string_view key, std::string_view place);
  // A whole or decimal number in [min_value, max_value].
  double Number(const boost::json::object& obj, std::string_view key, std::string_view place,
                double min_value, double max_value);
  LocalizedText Text(const boost::json::object& obj, std::string_view key, std::string_view place,
                     bool required = true);
  std::vector<std::string> Strings(const boost::json::object& obj, std::string_view key,
                                   std::string_view place, bool required = true);
  // An array of objects; nullptr entries are never returned (a non-object entry is a failure).
  std::vector<const boost::json::object*> Objects(const boost::json::object& obj,
                                                  std::string_view key, std::string_view place,
                                                  bool required = true);
  const boost::json::object* Object(const boost::json::object& obj, std::string_view key,
                                    std::string_view place, bool required = true);
  // Fails on any key of `obj` not in `known` (catches misspelt field names).
  void OnlyKeys(const boost::json::object& obj, std::initializer_list<std::string_view> known,
                std::string_view place);

  static std::string Join(std::string_view place, std::string_view key);
  static std::string Index(std::string_view place, std::size_t i);

 private:
  const boost::json::value* Find(const boost::json::object& obj, std::string_view key,
                                 std::string_view place, bool required);

  std::string file_;
  std::optional<core::Error> error_;
};

}  // namespace vitarec::recommend
