// The measurement method for one network (docs/bench.md): idle baseline,
// warm-up until stable, R repeats of N synchronised inferences under the
// sampler, means with t intervals.
#include "reuselens/bench.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <map>
#include <numeric>
#include <thread>

#include "ir/checked.h"
#include "ir/timestamp.h"
#include "measure/sampler.h"
#include "reuselens/error.h"
#include "reuselens/roofline.h"

namespace reuselens {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

void validate(const BenchOptions& o) {
  if (o.repeats < 1 || o.repeats > 1000)
    throw_error(ErrorCode::kUsage,
                "--repeats " + std::to_string(o.repeats) + " is not in [1, 1000]");
  if (o.iterations < 0 || o.iterations > 1'000'000'000)
    throw_error(ErrorCode::kUsage, "--iterations " + std::to_string(o.iterations) +
                                       " is not in [0, 1e9] (0: automatic)");
  checked_range(o.period_s, kMinSamplingPeriodS, kMaxSamplingPeriodS, "--period");
  checked_range(o.idle_s, 0, kMaxIdleS, "--idle");
  checked_range(o.min_repeat_s, 0, 3600, "--min-repeat");
  checked_range(o.warmup_min_s, 0, 3600, "--warmup-min");
  checked_range(o.warmup_max_s, o.warmup_min_s, 3600, "--warmup-max (at least --warmup-min)");
  checked_range(o.stability_tolerance, 1e-6, 1, "--tolerance");
  checked_range(o.stability_window_s, 1e-3, 3600, "--stability-window");
  if (!(o.level > 0 && o.level < 1)) throw_error(ErrorCode::kUsage, "--level must be in (0, 1)");
  if (o.layer_iterations < 0 || o.layer_iterations > 1'000'000)
    throw_error(ErrorCode::kUsage,
                "--layers " + std::to_string(o.layer_iterations) + " is not in [0, 1e6]");
}

namespace {

// Without a meter, warm-up ends when the last five iteration times vary by
// less than the tolerance (coefficient of variation).
bool iteration_times_stable(const std::vector<double>& times, double tolerance) {
  constexpr size_t kWindow = 5;
  if (times.size() < kWindow) return false;
  const auto begin = times.end() - kWindow;
  const double mean = std::accumulate(begin, times.end(), 0.0) / kWindow;
  double var = 0;
  for (auto it = begin; it != times.end(); ++it) var += (*it - mean) * (*it - mean);
  return mean > 0 && std::sqrt(var / kWindow) / mean < tolerance;
}

// Power is judged over the last stability_window_s of samples (at least five).
size_t stability_window(const BenchOptions& o) {
  return std::max<size_t>(5, static_cast<size_t>(std::lround(o.stability_window_s / o.period_s)));
}

struct Failure {
  std::string why;
};

EnergySummary summarize_or_fail(const Sampler& sampler, const Meter& meter,
                                const std::string& stage) {
  if (!sampler.failure().empty())
    throw Failure{"meter failed during " + stage + ": " + sampler.failure()};
  try {
    return summarize(sampler.samples(), meter.counter_wrap_j());
  } catch (const Error& e) {
    throw Failure{stage + ": " + e.message()};
  }
}

void run_or_fail(Executor& executor, int64_t iterations, const std::string& stage) {
  try {
    executor.run(iterations);
  } catch (const Error& e) {
    throw Failure{stage + ": " + e.message()};
  } catch (const std::exception& e) {
    throw Failure{stage + ": " + e.what()};
  }
}

void warm_up(Executor& executor, Meter* meter, const BenchOptions& o, BenchResult& r,
             std::vector<double>& times) {
  std::optional<Sampler> sampler;
  if (meter) sampler.emplace(*meter, o.period_s);
  r.stability_criterion = meter ? "power" : "iteration time";
  const auto start = Clock::now();
  while (true) {
    const auto t0 = Clock::now();
    run_or_fail(executor, 1, "warm-up");
    times.push_back(seconds_since(t0));
    ++r.warmup_iterations;
    const double elapsed = seconds_since(start);
    if (elapsed >= o.warmup_min_s) {
      r.warmup_stable =
          meter ? power_stable(sampler->snapshot(), stability_window(o), o.stability_tolerance)
                : iteration_times_stable(times, o.stability_tolerance);
      if (r.warmup_stable || elapsed >= o.warmup_max_s) break;
    }
    if (sampler && !sampler->failure().empty()) break;
  }
  r.warmup_s = seconds_since(start);
  if (sampler) {
    sampler->stop();
    if (!sampler->failure().empty())
      throw Failure{"meter failed during warm-up: " + sampler->failure()};
  }
}

int64_t iterations_per_repeat(const BenchOptions& o, const std::vector<double>& times) {
  if (o.iterations > 0) return o.iterations;
  // The median of the last warm-up iterations, robust to a slow first one.
  const size_t keep = std::min<size_t>(times.size(), 10);
  std::vector<double> tail(times.end() - static_cast<std::ptrdiff_t>(keep), times.end());
  std::nth_element(tail.begin(), tail.begin() + tail.size() / 2, tail.end());
  const double per = std::max(tail[tail.size() / 2], 1e-6);
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(o.min_repeat_s / per)));
}

// Node times beside the analysis's counts and, with hardware, the roofline's
// lower bound for each layer (float32, as the executor runs).
std::vector<LayerTiming> layer_timings(const Graph& graph, const Analysis& analysis,
                                       const std::vector<double>& seconds,
                                       const std::optional<Hardware>& hw, const BenchOptions& o) {
  std::map<std::string, const LayerMetrics*> metrics;
  for (const LayerMetrics& m : analysis.layers) metrics[m.name] = &m;
  std::map<std::string, const LayerPlacement*> placements;
  std::optional<RooflineResult> roof;
  if (hw) {
    RooflineOptions ro;
    ro.analysis = o.analysis;
    ro.dtype = "fp32";
    roof = roofline(graph, *hw, ro);
    for (const LayerPlacement& p : roof->layers) placements[p.name] = &p;
  }
  const double total = std::accumulate(seconds.begin(), seconds.end(), 0.0);
  std::vector<LayerTiming> out;
  for (size_t k = 0; k < graph.nodes().size() && k < seconds.size(); ++k) {
    const Node& node = graph.nodes()[k];
    LayerTiming t;
    t.name = node.name;
    t.op_type = node.op_type;
    t.seconds = seconds[k];
    t.share = total > 0 ? seconds[k] / total : 0;
    const auto it = metrics.find(node.name);
    t.counted = it != metrics.end() && it->second->status == NodeStatus::kCounted;
    if (t.counted) {
      t.flops = it->second->flops;
      t.bytes = it->second->bytes;
    }
    t.achieved_flops_per_s = t.seconds > 0 ? static_cast<double>(t.flops) / t.seconds : 0;
    if (auto it = placements.find(node.name); it != placements.end()) {
      const LayerPlacement& p = *it->second;
      t.bound = p.bound == Bound::kNone ? "" : bound_name(p.bound);
      t.roofline_s = p.time_s;
    }
    out.push_back(std::move(t));
  }
  return out;
}

void aggregate(const BenchOptions& o, BenchResult& r) {
  std::vector<double> ms, power, energy, above, per_pixel, macs_per_j;
  double counter_j = 0, integrated_j = 0;
  bool all_counters = true;
  const double images = static_cast<double>(r.batch);
  for (const BenchRepeat& rep : r.repeats) {
    const double per_batch_s = rep.wall_s / static_cast<double>(rep.iterations);
    ms.push_back(1000 * per_batch_s);
    if (!rep.energy) continue;
    // Energy of one batch is P_avg x I_t, the paper's product, with P_avg
    // over exactly the span the sampler bracketed.
    const double e = rep.energy->avg_power_w * per_batch_s;
    power.push_back(rep.energy->avg_power_w);
    energy.push_back(e);
    if (r.idle) above.push_back((rep.energy->avg_power_w - r.idle->avg_power_w) * per_batch_s);
    per_pixel.push_back(e / (images * static_cast<double>(r.pixels_per_image)));
    macs_per_j.push_back(images * static_cast<double>(r.mc_per_image) / e);
    all_counters &= rep.energy->from_counter;
    counter_j += rep.energy->energy_j;
    integrated_j += rep.energy->integrated_j;
  }
  r.inference_ms = stats::mean_interval(ms, o.level);
  if (power.empty()) return;
  r.avg_power_w = stats::mean_interval(power, o.level);
  r.energy_per_batch_j = stats::mean_interval(energy, o.level);
  if (!above.empty()) r.energy_above_idle_per_batch_j = stats::mean_interval(above, o.level);
  r.energy_per_pixel_j = stats::mean_interval(per_pixel, o.level);
  r.macs_per_joule = stats::mean_interval(macs_per_j, o.level);
  if (all_counters && counter_j > 0)
    r.integrated_vs_counter_pct = 100.0 * (integrated_j - counter_j) / counter_j;
}

}  // namespace

BenchResult bench_graph(const Graph& graph, Executor& executor, Meter* meter, const BenchOptions& o,
                        const std::function<void(const std::string&)>& stage) {
  validate(o);
  BenchResult r;
  r.model = graph.name;
  r.device = o.device;
  r.runtime = executor.runtime();
  r.executor = executor.description();
  r.meter = meter ? meter->name() : "";
  r.period_s = o.period_s;
  r.convention = o.analysis.convention.name;
  r.date = utc_timestamp();
  if (graph.inputs.empty()) throw_error(ErrorCode::kInvalidModel, graph.name + ": no input");
  const std::vector<int64_t>& shape = graph.tensor(graph.inputs.front()).shape;
  r.batch = shape.empty() ? 1 : shape.front();
  r.pixels_per_image = shape.size() >= 3 ? shape[shape.size() - 1] * shape[shape.size() - 2] : 1;
  // The executor runs float32: layer bytes are counted at that width.
  AnalysisOptions counting = o.analysis;
  counting.weight_type = counting.act_type = "fp32";
  counting.use_tensor_types = false;
  const Analysis analysis = analyze(graph, counting);
  std::optional<Hardware> hardware;
  if (!o.hardware.empty()) {
    hardware = load_hardware(o.hardware);  // before anything runs: a bad name is a usage error
    r.hardware = hardware->name;
  }
  r.mc_per_image = analysis.total.mc / std::max<int64_t>(r.batch, 1);
  r.coverage = analysis.coverage.summary();
  r.fully_counted = analysis.coverage.counted == analysis.coverage.total;
  const auto report = [&stage](const std::string& s) {
    if (stage) stage(s);
  };
  try {
    if (meter) r.conditions_start = meter->conditions();
    if (meter && o.idle_s > 0) {
      report("idle");
      Sampler idle(*meter, o.period_s);
      std::this_thread::sleep_for(std::chrono::duration<double>(o.idle_s));
      idle.stop();
      r.idle = summarize_or_fail(idle, *meter, "the idle baseline");
    }
    report("warm-up");
    std::vector<double> times;
    warm_up(executor, meter, o, r, times);
    const int64_t n = iterations_per_repeat(o, times);
    for (int64_t k = 1; k <= o.repeats; ++k) {
      const std::string name = "repeat " + std::to_string(k) + "/" + std::to_string(o.repeats);
      report(name);
      std::optional<Sampler> sampler;
      if (meter) sampler.emplace(*meter, o.period_s);
      const auto t0 = Clock::now();
      run_or_fail(executor, n, name);
      BenchRepeat rep;
      rep.iterations = n;
      rep.wall_s = seconds_since(t0);
      if (sampler) {
        sampler->stop();
        rep.energy = summarize_or_fail(*sampler, *meter, name);
        rep.sampler_cpu_s = sampler->cpu_seconds();
      }
      r.repeats.push_back(rep);
    }
    if (o.layer_iterations > 0) {
      report("layers");
      std::vector<double> seconds;
      try {
        seconds = executor.profile(o.layer_iterations);
      } catch (const Error& e) {
        if (e.code() == ErrorCode::kUsage) throw;
        throw Failure{"layer profile: " + e.message()};
      }
      r.layers = layer_timings(graph, analysis, seconds, hardware, o);
      r.layer_iterations = o.layer_iterations;
    }
    if (meter) r.conditions_end = meter->conditions();
  } catch (const Failure& f) {
    r.failure = f.why;  // nothing is averaged over a failed run
    r.repeats.clear();
    return r;
  }
  aggregate(o, r);
  r.complete = true;
  return r;
}

}  // namespace reuselens
