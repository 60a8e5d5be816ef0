#include <gtest/gtest.h>

#include "http/RequestOptions.h"

namespace vitarec::http {
namespace {

using std::chrono::seconds;

TEST(RequestOptionsTest, JsonMediaTypesAreRecognisedWithParametersAndAnyCase) {
  for (const char* ok : {"application/json", "application/json; charset=utf-8", "Application/JSON",
                         "application/problem+json"})
    EXPECT_TRUE(IsJsonContentType(ok)) << ok;
  for (const char* bad : {"", "text/plain", "application/x-www-form-urlencoded", "json"})
    EXPECT_FALSE(IsJsonContentType(bad)) << bad;
}

TEST(RequestOptionsTest, SecondsAreWholeNonNegativeNumbers) {
  EXPECT_EQ(ParseSeconds("0"), 0);
  EXPECT_EQ(ParseSeconds("25"), 25);
  for (const char* bad : {"", "-1", "1.5", "10s", " 3", "9999999999999999999999"})
    EXPECT_EQ(ParseSeconds(bad), std::nullopt) << bad;
}

TEST(RequestOptionsTest, TheSynchronousWaitComesFromModeOrPreferAndIsCapped) {
  const struct {
    std::string target;
    std::string prefer;
    std::optional<seconds> expected;
  } cases[] = {
      {"/portal/recommend", "", std::nullopt},
      {"/portal/recommend?mode=sync", "", seconds(25)},
      {"/portal/recommend?mode=async", "", std::nullopt},
      {"/portal/recommend", "wait=10", seconds(10)},
      {"/portal/recommend", "respond-async, wait=3", seconds(3)},
      {"/portal/recommend", "wait=600", seconds(25)},
      {"/portal/recommend", "wait=abc", seconds(25)},
      {"/portal/recommend", "handling=lenient", std::nullopt},
  };
  for (const auto& c : cases) {
    HttpRequest request;
    request.target = c.target;
    if (!c.prefer.empty()) request.headers.emplace_back("Prefer", c.prefer);
    EXPECT_EQ(RequestedSyncWait(request, seconds(25)), c.expected) << c.target << " " << c.prefer;
  }
}

TEST(RequestOptionsTest, IdempotencyKeysAreShortVisibleAscii) {
  EXPECT_TRUE(ValidIdempotencyKey("order-42"));
  EXPECT_TRUE(ValidIdempotencyKey(std::string(200, 'k')));
  EXPECT_FALSE(ValidIdempotencyKey(std::string(201, 'k')));
  EXPECT_FALSE(ValidIdempotencyKey("has space"));
  EXPECT_FALSE(ValidIdempotencyKey("ñ"));
}

}  // namespace
}  // namespace vitarec::http
