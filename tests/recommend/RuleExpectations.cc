#include "RuleExpectations.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "TestSupport.h"

namespace vitarec::recommend::support {

const boost::json::object* ExpectRuleApplied(const boost::json::object& out,
                                             const std::string& supplement,
                                             const std::string& action,
                                             const std::string& mentions) {
  const boost::json::object* item = FindItem(out, supplement);
  if (action == "avoid") {
    EXPECT_EQ(item, nullptr) << supplement << " must not be recommended";
    const auto excluded = ExcludedIds(out);
    EXPECT_NE(std::find(excluded.begin(), excluded.end(), supplement), excluded.end())
        << supplement << " must be listed as excluded";
    EXPECT_TRUE(AnyContains(Strings(out, "warnings"), mentions)) << mentions;
    return nullptr;
  }
  EXPECT_NE(item, nullptr) << supplement << " must be recommended";
  if (item != nullptr) {
    EXPECT_TRUE(AnyContains(Strings(*item, "warnings"), mentions)) << mentions;
  }
  return item;
}

}  // namespace vitarec::recommend::support
