#include "core/Id.h"

#include <gtest/gtest.h>

#include <set>

namespace vitarec::core {
namespace {

TEST(IdTest, NewIdsAreCanonicalVersion4Uuids) {
  const std::string id = NewId();
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '4');
  EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
  EXPECT_EQ(ParseId(id), id);
}

TEST(IdTest, NewIdsDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(seen.insert(NewId()).second);
}

TEST(IdTest, ParseAcceptsUpperCaseAndCanonicalises) {
  EXPECT_EQ(ParseId("3F2B8C1E-0000-4ABC-8DEF-0123456789AB"),
            "3f2b8c1e-0000-4abc-8def-0123456789ab");
}

TEST(IdTest, ParseRejectsMalformedText) {
  for (const char* bad : {"", "abc", "3f2b8c1e00004abc8def0123456789ab",
                          "{3f2b8c1e-0000-4abc-8def-0123456789ab}",
                          "3f2b8c1e-0000-4abc-8def-0123456789ag",
                          "3f2b8c1e-0000-4abc-8def-0123456789ab ", "../../etc/passwd"}) {
    EXPECT_EQ(ParseId(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace vitarec::core
