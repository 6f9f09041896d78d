// Samples to energy: counter deltas with wrap-around, or trapezoids.
#include <algorithm>
#include <cmath>

#include "reuselens/error.h"
#include "reuselens/measure.h"

namespace reuselens {

EnergySummary summarize(const std::vector<PowerSample>& samples, double wrap_j) {
  EnergySummary s;
  s.samples = static_cast<int64_t>(samples.size());
  if (samples.size() < 2) return s;
  s.duration_s = samples.back().t_s - samples.front().t_s;
  const bool counters = std::all_of(samples.begin(), samples.end(),
                                    [](const PowerSample& p) { return p.counter_j.has_value(); });
  for (size_t i = 1; i < samples.size(); ++i) {
    const PowerSample& a = samples[i - 1];
    const PowerSample& b = samples[i];
    if (counters) {
      double delta = *b.counter_j - *a.counter_j;
      if (delta < 0) {
        if (wrap_j <= 0) {
          throw_error(ErrorCode::kIo,
                      "energy counter went backwards at t = " + std::to_string(b.t_s) +
                          " s and the meter states no wrap-around range");
        }
        delta += wrap_j;  // the counter wrapped once between two samples
      }
      s.energy_j += delta;
    }
    s.integrated_j += 0.5 * (a.watts + b.watts) * (b.t_s - a.t_s);
  }
  if (!counters) s.energy_j = s.integrated_j;
  s.from_counter = counters;
  for (const PowerSample& p : samples) s.peak_power_w = std::max(s.peak_power_w, p.watts);
  if (counters) {  // interval powers from the counter, for the peak
    for (size_t i = 1; i < samples.size(); ++i) {
      const double dt = samples[i].t_s - samples[i - 1].t_s;
      double de = *samples[i].counter_j - *samples[i - 1].counter_j;
      if (de < 0) de += wrap_j;
      if (dt > 0) s.peak_power_w = std::max(s.peak_power_w, de / dt);
    }
  }
  s.avg_power_w = s.duration_s > 0 ? s.energy_j / s.duration_s : 0;
  s.sample_rate_hz = s.duration_s > 0 ? static_cast<double>(s.samples - 1) / s.duration_s : 0;
  return s;
}

bool power_stable(const std::vector<PowerSample>& samples, size_t window, double tolerance) {
  if (window < 3 || samples.size() < window) return false;
  const auto begin = samples.end() - static_cast<std::ptrdiff_t>(window);
  double mean_t = 0, mean_p = 0;
  for (auto it = begin; it != samples.end(); ++it) mean_t += it->t_s, mean_p += it->watts;
  mean_t /= static_cast<double>(window);
  mean_p /= static_cast<double>(window);
  if (mean_p <= 0) return false;
  double var = 0, stt = 0, stp = 0;
  for (auto it = begin; it != samples.end(); ++it) {
    var += (it->watts - mean_p) * (it->watts - mean_p);
    stt += (it->t_s - mean_t) * (it->t_s - mean_t);
    stp += (it->t_s - mean_t) * (it->watts - mean_p);
  }
  const double cv = std::sqrt(var / static_cast<double>(window)) / mean_p;
  const double slope = stt > 0 ? stp / stt : 0;
  const double drift = std::abs(slope) * (samples.back().t_s - begin->t_s);
  return cv < tolerance && drift < tolerance * mean_p;
}

}  // namespace reuselens
