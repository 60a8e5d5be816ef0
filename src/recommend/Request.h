// What a visitor asks for: a free-text query, quiz answers, or both. Built from the HTTP body by
// ParseRecommendRequest (RequestParser.h), stored with the job in canonical JSON (ToJson), and
// read back by the worker that computes the recommendation.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace vitarec::recommend {

struct QuizAnswers {
  std::optional<int> age;  // years, 0..120
  std::string sex;         // "female", "male", "other" or empty
  bool pregnant = false;
  bool lactating = false;
  std::vector<std::string> goals;        // free text or goal ids ("sleep", "dormir mejor")
  std::vector<std::string> conditions;   // free text or ids ("kidney_disease", "embarazo")
  std::vector<std::string> medications;  // drug or class names in either language
  std::string diet;                      // "vegan", "vegetarian", "omnivore", ... or empty

  bool operator==(const QuizAnswers&) const = default;
};

struct RecommendRequest {
  std::string query;          // trimmed; empty when only answers were given
  std::string quiz_id;        // opaque to the engine; kept with the job
  std::string category;       // opaque hint ("minerales"); kept with the job
  std::string locale = "es";  // "es" or "en"
  std::optional<QuizAnswers> answers;

  bool operator==(const RecommendRequest&) const = default;
};

}  // namespace vitarec::recommend
