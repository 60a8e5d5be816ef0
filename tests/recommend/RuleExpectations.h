// A shared check for the safety-rule tables (DrugClassRulesTest, MedicineCoverageTest,
// UpperLimitTest): what a rule with a given action must do to one supplement of a result.
#pragma once

#include <boost/json.hpp>
#include <string>

namespace vitarec::recommend::support {

// For action "avoid": the supplement is not among the items, is among the excluded, and the
// general warnings contain `mentions`; returns nullptr. For any other action: returns the item
// (nullptr, with a test failure, when it is missing), whose warnings contain `mentions`.
const boost::json::object* ExpectRuleApplied(const boost::json::object& out,
                                             const std::string& supplement,
                                             const std::string& action,
                                             const std::string& mentions);

}  // namespace vitarec::recommend::support
