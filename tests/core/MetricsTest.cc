#include <gtest/gtest.h>

#include "core/Metrics.h"

namespace vitarec::core {
namespace {

TEST(MetricsTest, AHistogramRendersCumulativeBucketsSumAndCount) {
  DurationHistogram h;
  h.Record(std::chrono::microseconds(300));  // <= 0.0005
  h.Record(std::chrono::milliseconds(3));    // <= 0.005
  h.Record(std::chrono::seconds(10));        // +Inf
  std::string out;
  h.Render(out, "x_seconds", "route=\"submit\"");
  EXPECT_NE(out.find("x_seconds_bucket{route=\"submit\",le=\"0.0005\"} 1\n"), std::string::npos)
      << out;
  EXPECT_NE(out.find("x_seconds_bucket{route=\"submit\",le=\"0.005\"} 2\n"), std::string::npos)
      << out;
  EXPECT_NE(out.find("x_seconds_bucket{route=\"submit\",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(out.find("x_seconds_count{route=\"submit\"} 3\n"), std::string::npos);
  EXPECT_NE(out.find("x_seconds_sum{route=\"submit\"} 10.003299999999999"), std::string::npos)
      << out;
}

TEST(MetricsTest, SamplesWithoutLabelsHaveNoBraces) {
  std::string out;
  RenderHeader(out, "up", "gauge", "whether it runs");
  RenderSample(out, "up", "", 1);
  EXPECT_EQ(out, "# HELP up whether it runs\n# TYPE up gauge\nup 1\n");
}

}  // namespace
}  // namespace vitarec::core
