#include "reuselens/stats.h"

#include <gtest/gtest.h>

#include <cmath>

#include "reuselens/error.h"

namespace reuselens::stats {
namespace {

TEST(Pearson, PerfectZeroAndTextbook) {
  EXPECT_DOUBLE_EQ(pearson({1, 2, 3, 4}, {2, 4, 6, 8}), 1.0);
  EXPECT_DOUBLE_EQ(pearson({1, 2, 3, 4}, {8, 6, 4, 2}), -1.0);
  EXPECT_NEAR(pearson({1, 2, 3}, {1, 0, 1}), 0.0, 1e-15);  // n = 3, symmetric
  // sxy = 6, sxx = 10, syy = 6: r = 6 / sqrt(60).
  EXPECT_NEAR(pearson({1, 2, 3, 4, 5}, {2, 4, 5, 4, 5}), 6 / std::sqrt(60.0), 1e-12);
}

TEST(Pearson, UndefinedCasesAreErrorsNotNaN) {
  EXPECT_THROW(pearson({1, 1, 1}, {1, 2, 3}), Error);    // constant x
  EXPECT_THROW(pearson({1, 2, 3}, {5, 5, 5}), Error);    // constant y
  EXPECT_THROW(pearson({1, 2}, {1, 2}), Error);          // n < 3
  EXPECT_THROW(pearson({1, 2, 3}, {1, 2}), Error);       // lengths differ
  EXPECT_THROW(pearson({1, 2, NAN}, {1, 2, 3}), Error);  // not finite
}

TEST(Ranks, TiesShareTheirAverageRank) {
  EXPECT_EQ(average_ranks({10, 20, 20, 30}), (std::vector<double>{1, 2.5, 2.5, 4}));
  EXPECT_EQ(average_ranks({3, 1, 2}), (std::vector<double>{3, 1, 2}));
  EXPECT_EQ(average_ranks({7, 7, 7}), (std::vector<double>{2, 2, 2}));
}

TEST(Spearman, WithTiesByHand) {
  // Ranks {1, 2.5, 2.5, 4} and {1, 3, 2, 4}: sxy = 4.5, sxx = 4.5, syy = 5.
  EXPECT_NEAR(spearman({1, 2, 2, 3}, {1, 3, 2, 4}), 4.5 / std::sqrt(22.5), 1e-12);
  // Monotone but not linear: Spearman 1, Pearson below 1.
  EXPECT_DOUBLE_EQ(spearman({1, 2, 3, 4}, {1, 10, 100, 1000}), 1.0);
  EXPECT_LT(pearson({1, 2, 3, 4}, {1, 10, 100, 1000}), 0.95);
  EXPECT_THROW(spearman({2, 2, 2}, {1, 2, 3}), Error);
}

TEST(Fisher, TransformAndInverse) {
  EXPECT_NEAR(fisher_z(0.5), 0.5 * std::log(3.0), 1e-15);
  EXPECT_DOUBLE_EQ(fisher_z(0.0), 0.0);
  for (double r : {-0.9, -0.3, 0.0, 0.42, 0.99})
    EXPECT_NEAR(inverse_fisher_z(fisher_z(r)), r, 1e-12);
  EXPECT_THROW(fisher_z(1.0), Error);
  EXPECT_THROW(fisher_z(-1.5), Error);
}

TEST(Normal, CriticalValues) {
  EXPECT_NEAR(normal_critical_value(0.95), 1.959964, 1e-6);
  EXPECT_NEAR(normal_critical_value(0.99), 2.575829, 1e-6);
  EXPECT_THROW(normal_critical_value(1.0), Error);
}

// Eq. 6: 2 * 1.96 / sqrt(n - 3) <= 1 gives n >= 18.37, so 19; at n = 25 the
// Fisher-z window is 0.836.
TEST(Interval, MinimumSampleSizeAndWindow) {
  EXPECT_EQ(min_sample_size(1.0, 0.95), 19);
  const CorrelationInterval ci = correlation_interval(0.5, 25, 0.95, 1.96);
  EXPECT_NEAR(ci.z_upper - ci.z_lower, 0.836, 0.0005);
  EXPECT_THROW(correlation_interval(0.5, 3, 0.95), Error);
}

// Table 9 of Jha & Mittal, from their own r_p at B = 4 and n = 25: every L, U
// and Delta (U - L of the printed values) to two decimals, with the exact
// normal quantiles and with the paper's rounded 1.96 / 2.58.
TEST(Interval, ReproducesPaperTable9) {
  struct Row {
    double r;
    double l95, u95, d95, l99, u99, d99;
  };
  const Row rows[] = {{0.70, 0.42, 0.86, 0.44, 0.31, 0.89, 0.58},   // P4000 AI_c
                      {0.85, 0.68, 0.93, 0.25, 0.61, 0.95, 0.34},   // P4000 DI
                      {0.66, 0.36, 0.84, 0.48, 0.24, 0.87, 0.63},   // P100 AI_c
                      {0.86, 0.70, 0.94, 0.24, 0.63, 0.95, 0.32}};  // P100 DI
  const auto two = [](double v) { return std::round(v * 100) / 100; };
  for (double c95 : {0.0, 1.96}) {
    for (const Row& row : rows) {
      const auto a = correlation_interval(row.r, 25, 0.95, c95);
      const auto b = correlation_interval(row.r, 25, 0.99, c95 == 0 ? 0 : 2.58);
      EXPECT_DOUBLE_EQ(two(a.lower), row.l95) << row.r;
      EXPECT_DOUBLE_EQ(two(a.upper), row.u95) << row.r;
      EXPECT_NEAR(two(a.upper) - two(a.lower), row.d95, 1e-9) << row.r;
      EXPECT_DOUBLE_EQ(two(b.lower), row.l99) << row.r;
      EXPECT_DOUBLE_EQ(two(b.upper), row.u99) << row.r;
      EXPECT_NEAR(two(b.upper) - two(b.lower), row.d99, 1e-9) << row.r;
    }
  }
}

// Two-sided Student t quantiles from published tables (e.g. NIST/SEMATECH
// e-Handbook of Statistical Methods, Table 1.3.6.7.2).
TEST(StudentT, MatchesTables) {
  EXPECT_NEAR(student_t_critical_value(0.95, 1), 12.706205, 1e-5);
  EXPECT_NEAR(student_t_critical_value(0.95, 2), 4.302653, 1e-6);
  EXPECT_NEAR(student_t_critical_value(0.95, 4), 2.776445, 1e-6);
  EXPECT_NEAR(student_t_critical_value(0.95, 10), 2.228139, 1e-6);
  EXPECT_NEAR(student_t_critical_value(0.99, 2), 9.924843, 1e-5);
  EXPECT_NEAR(student_t_critical_value(0.99, 30), 2.749996, 1e-5);
  // Large samples approach the normal quantile.
  EXPECT_NEAR(student_t_critical_value(0.95, 100000), normal_critical_value(0.95), 1e-4);
  EXPECT_THROW(student_t_critical_value(0.95, 0), Error);
  EXPECT_THROW(student_t_critical_value(1.5, 3), Error);
}

TEST(StudentT, MeanIntervalOfThreeRepeats) {
  // Mean 2, sample sd 1, t(0.95, 2) = 4.302653: half width 4.302653 / sqrt(3).
  const MeanInterval m = mean_interval({1.0, 2.0, 3.0});
  EXPECT_EQ(m.n, 3);
  EXPECT_DOUBLE_EQ(m.mean, 2.0);
  EXPECT_DOUBLE_EQ(m.stddev, 1.0);
  EXPECT_NEAR(m.half_width, 2.484138, 1e-6);
  EXPECT_NEAR(m.lower(), 2.0 - 2.484138, 1e-6);
  const MeanInterval single = mean_interval({5.0});
  EXPECT_EQ(single.half_width, 0.0);
  EXPECT_THROW(mean_interval({}), Error);
}

}  // namespace
}  // namespace reuselens::stats
