// Statistics: percentiles by linear interpolation, MAD, CV, and errors on empty input.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "harness/core/statistics.h"

namespace tranche {
namespace {

TEST(Statistics, MedianOddAndEven) {
  EXPECT_DOUBLE_EQ(median(std::vector<double>{3, 1, 2}), 2.0);
  EXPECT_DOUBLE_EQ(median(std::vector<double>{4, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(median(std::vector<double>{7}), 7.0);
}

TEST(Statistics, PercentileInterpolatesLikeNumpyDefault) {
  const std::vector<double> v{10, 20, 30, 40, 50};
  EXPECT_DOUBLE_EQ(percentile(v, 0), 10);
  EXPECT_DOUBLE_EQ(percentile(v, 100), 50);
  EXPECT_DOUBLE_EQ(percentile(v, 25), 20);
  EXPECT_DOUBLE_EQ(percentile(v, 90), 46);  // rank 3.6 -> 40 + 0.6 * 10
}

TEST(Statistics, PercentileRejectsBadInput) {
  EXPECT_THROW(percentile(std::vector<double>{}, 50), std::invalid_argument);
  EXPECT_THROW(percentile(std::vector<double>{1}, 101), std::invalid_argument);
  EXPECT_THROW(percentile(std::vector<double>{1}, -1), std::invalid_argument);
}

TEST(Statistics, MadIsRobustToOneOutlier) {
  // median 3; deviations 2,1,0,1,97 -> median deviation 1.
  EXPECT_DOUBLE_EQ(mad(std::vector<double>{1, 2, 3, 4, 100}), 1.0);
}

TEST(Statistics, CvOfConstantIsZeroAndOfOneSampleIsUnset) {
  EXPECT_DOUBLE_EQ(cv(std::vector<double>{5, 5, 5}).value(), 0.0);
  EXPECT_FALSE(cv(std::vector<double>{5}).has_value());
  EXPECT_FALSE(cv(std::vector<double>{-1, 1}).has_value());  // zero mean
}

TEST(Statistics, StddevIsSampleStddev) {
  EXPECT_NEAR(stddev(std::vector<double>{2, 4, 4, 4, 5, 5, 7, 9}), 2.138089935, 1e-9);
}

TEST(Statistics, SummarizeSamples) {
  const auto s = summarize_samples(std::vector<double>{4, 2, 6});
  EXPECT_DOUBLE_EQ(s.median, 4);
  EXPECT_DOUBLE_EQ(s.min, 2);
  EXPECT_DOUBLE_EQ(s.max, 6);
  EXPECT_DOUBLE_EQ(s.mean, 4);
  EXPECT_EQ(s.n, 3);
  EXPECT_NEAR(*s.cv, 0.5, 1e-12);
}

}  // namespace
}  // namespace tranche
