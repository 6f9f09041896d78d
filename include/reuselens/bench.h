// Running networks and measuring them: inference time, power, energy per
// inference, energy per pixel and MACs per joule, with confidence intervals,
// by the method of docs/bench.md (the paper's, improved).
//
// Networks run through an executor plugin (executor_plugin.h) loaded at run
// time; the bench method itself knows only the Executor interface, so it is
// tested with a scripted executor and replayed power.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "reuselens/graph.h"
#include "reuselens/measure.h"
#include "reuselens/metrics.h"
#include "reuselens/model.h"
#include "reuselens/stats.h"

namespace reuselens {

class Executor {
 public:
  virtual ~Executor() = default;
  virtual std::string runtime() const = 0;      // "LibTorch 1.13.1 (CUDA: no)"
  virtual std::string description() const = 0;  // what runs where
  // Runs `iterations` inferences and returns when the device has finished
  // them. Throws Error(kIo) when the runtime fails.
  virtual void run(int64_t iterations) = 0;
  // Mean seconds per inference of each graph node over `iterations`
  // inferences, the device drained around every node. Throws Error(kIo);
  // executors that cannot time nodes throw Error(kUsage).
  virtual std::vector<double> profile(int64_t iterations);
};

// Loads the executor plugin and builds `graph` for `device` ("cpu",
// "cuda:0"). `plugin` is a path, or "" to search: $REUSELENS_TORCH_PLUGIN,
// next to the executable, ../lib/reuselens beside it, the install prefix.
// Throws Error(kIo) when no plugin loads or the device is missing, and
// Error(kInvalidModel) when the runtime cannot run the graph (the message
// names the node).
std::unique_ptr<Executor> open_executor(const Graph& graph, const std::string& device,
                                        const std::string& plugin = "");

struct BenchOptions {
  std::string device = "cpu";
  std::string plugin;                 // "" = search (open_executor)
  int64_t repeats = 3;                // R
  int64_t iterations = 0;             // N per repeat; 0 = enough for min_repeat_s
  double min_repeat_s = 2.0;          // with iterations == 0
  double idle_s = 2.0;                // idle baseline (no meter: skipped)
  double period_s = 0.01;             // sampling period
  double warmup_min_s = 1.0;          // warm-up runs at least this long ...
  double warmup_max_s = 60.0;         // ... and until stable, or this long (then flagged)
  double stability_tolerance = 0.05;  // power_stable(); iteration times without a meter
  double stability_window_s = 1.0;    // power is judged over this many seconds of samples
  double level = 0.95;                // of the confidence intervals
  AnalysisOptions analysis;           // convention of the Mc in MACs per joule
  // Per-layer times: inferences to profile after the repeats (0: none), and
  // optionally a roofline to hold them against (preset name or JSON file).
  int64_t layer_iterations = 0;
  std::string hardware;
};
// Throws Error(kUsage) naming the option when one is out of its range (NaN
// and infinity included): repeats 1..1000, iterations 0..1e9, period 1 ms to
// 60 s, idle, warm-up and repeat times 0..3600 s, tolerance (0, 1], level (0, 1).
void validate(const BenchOptions& options);

// One node's measured time beside its counts and, with a roofline, the
// lower bound on its time there.
struct LayerTiming {
  std::string name, op_type;
  bool counted = true;  // false: the registry does not count this op (FLOPs and bytes unknown)
  double seconds = 0;   // mean per inference
  double share = 0;     // of the sum over nodes
  int64_t flops = 0, bytes = 0;
  double achieved_flops_per_s = 0;  // flops / seconds
  std::string bound;                // "memory" / "compute" / "" (no roofline or no work)
  double roofline_s = 0;            // the roofline's lower bound (0 without one)
};

// One repeat: N inferences bracketed by the sampler.
struct BenchRepeat {
  int64_t iterations = 0;
  double wall_s = 0;
  std::optional<EnergySummary> energy;  // with a meter
  double sampler_cpu_s = 0;
};

struct BenchResult {
  std::string model;  // display name
  std::string spec;   // zoo:NAME or path
  int64_t batch = 1;
  std::string device;  // --device
  std::string runtime, executor;
  std::string meter;  // "" without one
  double period_s = 0;
  int64_t mc_per_image = 0;
  // "312/312 nodes counted", or which ops Mc leaves out (then MACs per joule
  // is a lower bound; the printers say so).
  std::string coverage;
  bool fully_counted = true;
  int64_t pixels_per_image = 0;  // H * W of one input
  std::string convention;        // name of the Mc convention

  // Warm-up: how long, and whether the criterion was met before warmup_max_s.
  int64_t warmup_iterations = 0;
  double warmup_s = 0;
  bool warmup_stable = false;
  std::string stability_criterion;  // "power" or "iteration time"

  std::optional<EnergySummary> idle;
  std::vector<BenchRepeat> repeats;

  // Over repeats, each with its t confidence interval.
  stats::MeanInterval inference_ms;                // I_t: one batch
  std::optional<stats::MeanInterval> avg_power_w;  // P_avg
  std::optional<stats::MeanInterval> energy_per_batch_j;
  std::optional<stats::MeanInterval> energy_above_idle_per_batch_j;
  std::optional<stats::MeanInterval> energy_per_pixel_j;  // Eq. 1
  std::optional<stats::MeanInterval> macs_per_joule;      // Eq. 2
  // With a counter: the integrated power samples' energy against it, in
  // percent of the counter's (positive: the samples say more).
  std::optional<double> integrated_vs_counter_pct;

  std::vector<LayerTiming> layers;  // with layer_iterations > 0
  int64_t layer_iterations = 0;
  std::string hardware;  // the roofline's name, when given

  std::map<std::string, std::string> conditions_start, conditions_end;
  std::string date;  // ISO 8601, UTC
  bool complete = false;
  std::string failure;
};

// Measures one network already built with its batch; `meter` may be null
// (time only). The result is marked failed (complete = false, failure set)
// when the executor or meter fails; nothing is averaged over a failed repeat.
// `stage` hears "idle", "warm-up", "repeat 1/3", ... as they begin.
BenchResult bench_graph(const Graph& graph, Executor& executor, Meter* meter,
                        const BenchOptions& options,
                        const std::function<void(const std::string&)>& stage = {});

// A run over many networks and batch sizes, rows appended to a CSV as each
// completes (the format `correlate` reads), resumable.
struct BenchRequest {
  std::vector<std::string> models;  // zoo:NAME, zoo:all, paths
  std::vector<int64_t> batches = {1};
  BenchOptions options;
  std::string meter;   // "" = automatic (nvml:N for cuda:N, rapl when readable, else none)
  std::string label;   // device column of the rows; "" = the executor's device
  std::string append;  // CSV path; "" = none
  bool resume = true;  // skip (model, device, batch) rows already in `append`
  LoadOptions load;
  // Run only the (model, batch) pairs of this slice, pairs numbered model by
  // model, batch by batch.
  int64_t shard_index = 0, shard_count = 1;
};

struct BenchProgress {
  int64_t done = 0, total = 0;
  std::string model;
  int64_t batch = 1;
  std::string stage;  // "building", "idle", "warm-up", "repeat 2/3", "done", "skipped", "failed"
};

struct BenchSuite {
  std::vector<BenchResult> results;  // measured now, in order (failed ones included)
  std::vector<std::string> skipped;  // "zoo:alexnet b1" already in the CSV
  std::string meter;                 // the meter used ("" = none)
  std::string convention;            // of Mc (MACs per joule) and the layers' FLOPs
  std::string label;
  // Batch-1 metrics of each model, for the Table 7 layout.
  std::map<std::string, Analysis> analyses;
};

// Throws Error(kUsage) for bad options before anything runs (e.g. --append
// without a meter: rows need power). Failed networks are in the results,
// marked; callers decide the exit status.
BenchSuite run_bench(const BenchRequest& request,
                     const std::function<void(const BenchProgress&)>& progress = {});

// The measurements-CSV row of a result (header and line, no newline).
std::string bench_csv_header();
std::string bench_csv_row(const BenchResult& result, const std::string& label);

// The meter `bench` uses by default for a device ("" when none is readable).
std::string default_meter_for(const std::string& device);

}  // namespace reuselens
