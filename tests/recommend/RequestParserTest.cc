// Requests as the job store keeps them: ToCanonicalJson and ParseRecommendRequestText round-trip,
// also for the largest request the limits allow, whose trees outgrow the parser's stack buffer.
#include <gtest/gtest.h>

#include <string>

#include "recommend/RequestParser.h"

namespace vitarec::recommend {
namespace {

RecommendRequest Largest(const RequestLimits& limits) {
  RecommendRequest request;
  request.query = std::string(limits.max_query_chars, 'q');
  request.quiz_id = std::string(limits.max_label_chars, 'z');
  request.category = std::string(limits.max_label_chars, 'c');
  request.locale = "en";
  QuizAnswers answers;
  answers.age = 120;
  answers.sex = "other";
  answers.pregnant = true;
  answers.lactating = true;
  for (std::size_t i = 0; i < limits.max_list_items; ++i) {
    const std::string suffix = std::to_string(i);
    answers.goals.push_back(std::string(limits.max_item_chars - suffix.size(), 'g') + suffix);
    answers.conditions.push_back(std::string(limits.max_item_chars - suffix.size(), 'k') + suffix);
    answers.medications.push_back(std::string(limits.max_item_chars - suffix.size(), 'm') + suffix);
  }
  answers.diet = "vegan";
  request.answers = answers;
  return request;
}

TEST(RequestParserTest, ASmallRequestRoundTrips) {
  RecommendRequest request;
  request.query = "magnesio";
  const std::string text = ToCanonicalJson(request);
  EXPECT_EQ(text, R"({"query":"magnesio","locale":"es"})");
  auto parsed = ParseRecommendRequestText(text);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, request);
}

TEST(RequestParserTest, TheLargestRequestTheLimitsAllowRoundTrips) {
  const RequestLimits limits;
  const RecommendRequest request = Largest(limits);
  const std::string text = ToCanonicalJson(request);
  EXPECT_GT(text.size(), 4096u);  // beyond the stack buffer of both directions
  auto parsed = ParseRecommendRequestText(text, limits);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, request);
}

TEST(RequestParserTest, MalformedJsonIsAnInvalidArgument) {
  auto parsed = ParseRecommendRequestText(R"({"query": "magnesio")");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(parsed.error().message.find("not valid JSON"), std::string::npos);
}

}  // namespace
}  // namespace vitarec::recommend
