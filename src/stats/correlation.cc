#include <algorithm>
#include <cmath>
#include <numeric>

#include "reuselens/error.h"
#include "reuselens/stats.h"

namespace reuselens::stats {

namespace {

void check_pair(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size()) {
    throw_error(ErrorCode::kUsage, "correlation of vectors of different lengths (" +
                                       std::to_string(x.size()) + " and " +
                                       std::to_string(y.size()) + ")");
  }
  if (x.size() < 3) {
    throw_error(ErrorCode::kUsage,
                "correlation needs at least 3 points, got " + std::to_string(x.size()));
  }
  for (size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) {
      throw_error(ErrorCode::kUsage, "correlation input " + std::to_string(i) + " is not finite");
    }
  }
}

}  // namespace

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  check_pair(x, y);
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx == 0 || syy == 0) {
    throw_error(ErrorCode::kUsage, std::string("correlation is undefined: the ") +
                                       (sxx == 0 ? "first" : "second") + " variable is constant");
  }
  return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

std::vector<double> average_ranks(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&values](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
    const double rank = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (size_t k = i; k <= j; ++k) ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  check_pair(x, y);
  return pearson(average_ranks(x), average_ranks(y));
}

}  // namespace reuselens::stats
