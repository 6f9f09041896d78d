// Statistics over plain vectors: correlation, Fisher-z confidence intervals.
// This module knows nothing of networks; joining measurements with model
// metrics happens one level up (correlate.h).
//
// Implemented here rather than taken from GSL: the few functions needed are
// short, tested against textbook values below, and spare every user a
// dependency (docs/statistics.md).
#pragma once

#include <cstdint>
#include <vector>

namespace reuselens::stats {

// Pearson product-moment correlation. Throws Error(kUsage) when the vectors
// differ in length, have fewer than 3 points, or either is constant (the
// coefficient is undefined there; never returned as NaN).
double pearson(const std::vector<double>& x, const std::vector<double>& y);

// Spearman rank correlation: Pearson over average ranks (ties share the mean
// of the ranks they span). Same errors as pearson().
double spearman(const std::vector<double>& x, const std::vector<double>& y);

// 1-based ranks with ties averaged: {10, 20, 20, 30} -> {1, 2.5, 2.5, 4}.
std::vector<double> average_ranks(const std::vector<double>& values);

// Fisher's transform z = atanh(r) = 0.5 ln((1 + r)/(1 - r)) and its inverse.
double fisher_z(double r);  // throws for |r| >= 1
double inverse_fisher_z(double z);

// Two-sided standard normal quantile for a confidence level, e.g. 0.95 -> 1.95996.
double normal_critical_value(double level);

// Confidence interval for a population correlation from a sample r of n
// points (the method of Jha & Mittal §6.1): z = atanh(r), standard error
// 1/sqrt(n - 3), limits z -+ c*se mapped back through tanh.
struct CorrelationInterval {
  double level = 0.95;
  double critical_value = 0;  // c
  int64_t n = 0;
  double z_lower = 0, z_upper = 0;                // in Fisher-z space; width 2*c/sqrt(n - 3)
  double lower = 0, upper = 0;                    // L and U in correlation space
  double width() const { return upper - lower; }  // Delta
};
// `critical_value` <= 0 means the exact normal quantile for `level`; the
// paper rounds to 1.96 (95 %) and 2.58 (99 %). Throws for n < 4.
CorrelationInterval correlation_interval(double r, int64_t n, double level,
                                         double critical_value = 0);

// Smallest n whose Fisher-z interval is at most `max_z_width` wide at `level`
// (Eq. 6: 2 * 1.96 / sqrt(n - 3) <= 1 gives n >= 18.37, so 19).
int64_t min_sample_size(double max_z_width, double level);

}  // namespace reuselens::stats

namespace reuselens::stats {

// Two-sided Student t quantile: P(|T| <= c) = level with `dof` degrees of
// freedom, e.g. (0.95, 2) -> 4.3027. Three repeats of a measurement have two
// degrees of freedom, where the normal 1.96 would understate the interval
// more than twofold.
double student_t_critical_value(double level, int64_t dof);

// Mean of repeated measurements and its t confidence interval.
struct MeanInterval {
  int64_t n = 0;
  double mean = 0;
  double stddev = 0;      // sample standard deviation (n - 1)
  double half_width = 0;  // t * stddev / sqrt(n); 0 when n == 1
  double level = 0.95;
  double lower() const { return mean - half_width; }
  double upper() const { return mean + half_width; }
};
// Throws Error(kUsage) for an empty vector.
MeanInterval mean_interval(const std::vector<double>& values, double level = 0.95);

}  // namespace reuselens::stats
