// Student t quantiles from the regularized incomplete beta function:
// P(|T| <= c) = 1 - I_x(dof / 2, 1 / 2) with x = dof / (dof + c^2).
#include <cmath>
#include <numeric>

#include "reuselens/error.h"
#include "reuselens/stats.h"

namespace reuselens::stats {

namespace {

// Continued fraction of I_x(a, b), evaluated with the modified Lentz method;
// converges quickly for x < (a + 1) / (a + b + 2).
double beta_continued_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  double c = 1.0;
  double d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::abs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 500; ++m) {
    const double m2 = 2.0 * m;
    // Even step.
    double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    d = 1.0 + num * d;
    c = 1.0 + num / c;
    if (std::abs(d) < kTiny) d = kTiny;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    // Odd step.
    num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    d = 1.0 + num * d;
    c = 1.0 + num / c;
    if (std::abs(d) < kTiny) d = kTiny;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double step = d * c;
    h *= step;
    if (std::abs(step - 1.0) < 1e-15) break;
  }
  return h;
}

double regularized_incomplete_beta(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  if (x < (a + 1.0) / (a + b + 2.0)) {
    return std::exp(log_front) * beta_continued_fraction(a, b, x) / a;
  }
  // The symmetry I_x(a, b) = 1 - I_{1-x}(b, a) keeps the fraction convergent.
  return 1.0 - std::exp(log_front) * beta_continued_fraction(b, a, 1.0 - x) / b;
}

double two_sided_t_probability(double c, double dof) {
  const double x = dof / (dof + c * c);
  return 1.0 - regularized_incomplete_beta(dof / 2.0, 0.5, x);
}

}  // namespace

double student_t_critical_value(double level, int64_t dof) {
  if (!(level > 0.0 && level < 1.0)) {
    throw_error(ErrorCode::kUsage,
                "confidence level must be in (0, 1), got " + std::to_string(level));
  }
  if (dof < 1) {
    throw_error(ErrorCode::kUsage,
                "Student t needs at least one degree of freedom, got " + std::to_string(dof));
  }
  // Bisection on a monotone probability; the upper end covers level 0.9999
  // at one degree of freedom (c = 6366).
  double lo = 0.0, hi = 1e5;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    (two_sided_t_probability(mid, static_cast<double>(dof)) < level ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

MeanInterval mean_interval(const std::vector<double>& values, double level) {
  if (values.empty()) throw_error(ErrorCode::kUsage, "mean of no values");
  MeanInterval m;
  m.level = level;
  m.n = static_cast<int64_t>(values.size());
  m.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(m.n);
  if (m.n < 2) return m;
  double ss = 0;
  for (double v : values) ss += (v - m.mean) * (v - m.mean);
  m.stddev = std::sqrt(ss / static_cast<double>(m.n - 1));
  m.half_width =
      student_t_critical_value(level, m.n - 1) * m.stddev / std::sqrt(static_cast<double>(m.n));
  return m;
}

}  // namespace reuselens::stats
