// Measuring energy: meters behind one interface, a sampler, and the
// arithmetic that turns samples into energy, power and energy above idle.
//
// Meters (open_meter): "nvml:INDEX" (NVIDIA GPUs, libnvidia-ml loaded at run
// time), "rapl" / "rapl:dram" (Linux powercap), "replay:TRACE.csv" (a
// recorded trace, so everything can be tested without hardware).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace reuselens {

struct PowerSample {
  double t_s = 0;                   // seconds since the meter was opened
  double watts = 0;                 // instantaneous (or interval-average) power
  std::optional<double> counter_j;  // cumulative energy counter, where the device has one
};

class Meter {
 public:
  virtual ~Meter() = default;
  virtual std::string name() const = 0;
  // Where the counter wraps (joules), 0 when it does not.
  virtual double counter_wrap_j() const { return 0; }
  // One sample now. Throws Error(kIo) when the device stops answering.
  virtual PowerSample read() = 0;
  // Device name, driver, clocks, temperature ... as the device reports them.
  virtual std::map<std::string, std::string> conditions() { return {}; }
};

// Throws Error(kUsage) for an unknown meter, Error(kIo) when it is unavailable
// on this machine (the message says why: no driver, no powercap, no file).
std::unique_ptr<Meter> open_meter(const std::string& spec);

// Energy between the first and last sample: the counter's delta (wraps
// undone) when every sample has one, else the trapezoidal integral of power.
struct EnergySummary {
  double duration_s = 0;
  double energy_j = 0;
  bool from_counter = false;
  // The trapezoidal integral of the power samples, always: beside a counter
  // it shows how far coarse power sampling (the paper's method) is off.
  double integrated_j = 0;
  double avg_power_w = 0;  // energy / duration
  double peak_power_w = 0;
  int64_t samples = 0;
  double sample_rate_hz = 0;
};
EnergySummary summarize(const std::vector<PowerSample>& samples, double counter_wrap_j = 0);

// Steady power: over the last `window` samples the coefficient of variation
// is below `tolerance` and the least-squares drift across the window is
// below `tolerance` of the mean (docs/measurements/README.md).
bool power_stable(const std::vector<PowerSample>& samples, size_t window = 20,
                  double tolerance = 0.05);

// Ranges of the sampling options (measure and bench refuse values outside,
// NaN and infinity included): a period from 1 ms to 60 s, an idle baseline
// up to an hour.
constexpr double kMinSamplingPeriodS = 1e-3, kMaxSamplingPeriodS = 60, kMaxIdleS = 3600;

struct MeasureOptions {
  std::vector<std::string> command;  // run with execvp, no shell
  double period_s = 0.01;            // sampling period (100 Hz), in [1 ms, 60 s]
  double idle_s = 2.0;               // idle baseline before the run, in [0, 3600] s
};

struct MeasureResult {
  bool complete = false;  // false: the meter failed or the workload did not exit 0
  std::string failure;    // why, when not complete
  int exit_code = -1;     // the workload's
  int signal = 0;         // set when it was killed
  double wall_s = 0;
  EnergySummary run;               // samples while the workload ran
  EnergySummary idle;              // samples of the idle baseline
  double energy_above_idle_j = 0;  // run energy minus idle power x wall time
  double sampler_cpu_s = 0;        // CPU time the sampler thread used during the run
  std::map<std::string, std::string> conditions_start, conditions_end;
  std::string meter;
};

MeasureResult measure_command(Meter& meter, const MeasureOptions& options);

// A measured command as a row of the measurements CSV `correlate` reads:
// inference_ms = wall / iterations, energy per batch, and provenance.
struct MeasureRowInfo {
  std::string model;   // zoo:NAME or a path
  std::string device;  // the device column
  int64_t batch = 1;
  int64_t iterations = 1;  // batches the command ran
  double period_s = 0.01;
};
std::string measure_csv_header();
// Throws Error(kUsage) for a missing model/device or counts below 1, and
// Error(kInternal) for an incomplete result (never written).
std::string measure_csv_row(const MeasureResult& result, const MeasureRowInfo& info);

// Appends `row` to the CSV at `path`, writing `header` first into a new or
// empty file, in one write() in append mode followed by fsync, so an
// interrupted run leaves whole rows. A file whose first line is another
// header is refused (Error kUsage) rather than mixed.
void append_csv_row(const std::string& path, const std::string& header, const std::string& row);
// The same refusal, before anything is measured.
void check_csv_appendable(const std::string& path, const std::string& header);

}  // namespace reuselens
