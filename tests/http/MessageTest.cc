#include <gtest/gtest.h>

#include "http/Message.h"

namespace vitarec::http {
namespace {

TEST(MessageTest, HeadersAreFoundWhateverTheirCase) {
  HttpRequest r;
  r.headers = {{"content-type", "application/json"}, {"Idempotency-Key", "k1"}};
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  EXPECT_EQ(r.Header("IDEMPOTENCY-KEY"), "k1");
  EXPECT_EQ(r.Header("Prefer"), "");
}

TEST(MessageTest, PathAndQueryParametersAreSplit) {
  HttpRequest r;
  r.target = "/portal/status/abc?wait=10&x=&mode=sync";
  EXPECT_EQ(r.Path(), "/portal/status/abc");
  std::string_view v;
  ASSERT_TRUE(r.QueryParam("wait", v));
  EXPECT_EQ(v, "10");
  ASSERT_TRUE(r.QueryParam("x", v));
  EXPECT_EQ(v, "");
  ASSERT_TRUE(r.QueryParam("mode", v));
  EXPECT_EQ(v, "sync");
  EXPECT_FALSE(r.QueryParam("wai", v));
}

}  // namespace
}  // namespace vitarec::http
