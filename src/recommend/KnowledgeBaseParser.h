// Reads the entries of one knowledge-base file into plain structs (Supplement.h, Terms.h). Checks
// each entry's shape only: required fields, types, ranges and enums. References between entries
// are checked afterwards by KnowledgeBaseBuilder, once every file is read.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "recommend/JsonReader.h"
#include "recommend/Supplement.h"
#include "recommend/Terms.h"

namespace vitarec::recommend {

// Each reads the object at `place` (a JSON path such as "supplements[3]"); failures go to
// `reader` and the returned value is then meaningless.
Supplement ParseSupplement(JsonReader& reader, const boost::json::object& obj,
                           std::string_view place);
Goal ParseGoal(JsonReader& reader, const boost::json::object& obj, std::string_view place);
Condition ParseCondition(JsonReader& reader, const boost::json::object& obj,
                         std::string_view place);
DrugClass ParseDrugClass(JsonReader& reader, const boost::json::object& obj,
                         std::string_view place);
Drug ParseDrug(JsonReader& reader, const boost::json::object& obj, std::string_view place);
Diet ParseDiet(JsonReader& reader, const boost::json::object& obj, std::string_view place);

// The stable data names of the enums ("ask_doctor", "twice_daily").
std::string_view SafetyActionName(SafetyAction action);
std::string_view FrequencyName(Frequency frequency);

}  // namespace vitarec::recommend
