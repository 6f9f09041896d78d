#include <cmath>

#include "reuselens/error.h"
#include "reuselens/stats.h"

namespace reuselens::stats {

double fisher_z(double r) {
  if (!(r > -1.0 && r < 1.0)) {
    throw_error(ErrorCode::kUsage, "Fisher transform needs |r| < 1, got " + std::to_string(r));
  }
  return std::atanh(r);
}

double inverse_fisher_z(double z) { return std::tanh(z); }

double normal_critical_value(double level) {
  if (!(level > 0.0 && level < 1.0)) {
    throw_error(ErrorCode::kUsage,
                "confidence level must be in (0, 1), got " + std::to_string(level));
  }
  // Solve P(|Z| <= c) = erf(c / sqrt 2) = level by bisection: erf is
  // monotone, and 200 halvings of [0, 40] reach double precision.
  double lo = 0.0, hi = 40.0;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    (std::erf(mid / std::sqrt(2.0)) < level ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

CorrelationInterval correlation_interval(double r, int64_t n, double level, double critical_value) {
  if (n < 4) {
    throw_error(ErrorCode::kUsage,
                "a confidence interval needs n >= 4 (standard error 1/sqrt(n - 3)), got " +
                    std::to_string(n));
  }
  CorrelationInterval ci;
  ci.level = level;
  ci.n = n;
  ci.critical_value = critical_value > 0 ? critical_value : normal_critical_value(level);
  const double z = fisher_z(r);
  const double se = 1.0 / std::sqrt(static_cast<double>(n - 3));
  ci.z_lower = z - ci.critical_value * se;
  ci.z_upper = z + ci.critical_value * se;
  ci.lower = inverse_fisher_z(ci.z_lower);
  ci.upper = inverse_fisher_z(ci.z_upper);
  return ci;
}

int64_t min_sample_size(double max_z_width, double level) {
  if (!(max_z_width > 0)) throw_error(ErrorCode::kUsage, "interval width must be positive");
  const double c = normal_critical_value(level);
  const double bound = std::pow(2.0 * c / max_z_width, 2.0) + 3.0;  // n - 3 >= (2c/width)^2
  return static_cast<int64_t>(std::ceil(bound));
}

}  // namespace reuselens::stats
