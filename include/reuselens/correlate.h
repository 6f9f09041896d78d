// Measured energy against predicted reuse: do AI_c and DI predict energy
// efficiency (Jha & Mittal §3, §5, §6)? Joins measurement rows with model
// metrics and hands plain vectors to stats.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reuselens/metrics.h"
#include "reuselens/model.h"
#include "reuselens/stats.h"

namespace reuselens {

// One measured (model, device, batch) run. The CSV format, its required and
// optional columns and its units are in docs/statistics.md.
struct Measurement {
  std::string model;   // zoo:NAME, a .prototxt path, or a zoo display name ("ResNet-50")
  std::string device;  // free text, groups rows ("P100", "H100 SXM")
  int64_t batch = 1;
  double inference_ms = 0;                   // I_t: wall time of one batch, milliseconds
  double avg_power_w = 0;                    // P_avg while inferring, watts
  std::optional<double> idle_power_w;        // the device's idle power, watts
  std::optional<double> energy_j;            // measured energy of one batch, joules
  std::string origin;                        // the file, for messages
  int line = 0;                              // line in the file, for messages
  std::map<std::string, std::string> extra;  // other columns (provenance), kept verbatim
};

// Parses the CSV; errors name the file, line and column ("m.csv:7: column
// 'avg_power_w': -3 is not in [1e-09, 1e+07]"). Ranges: batch 1..1e9 (whole),
// inference_ms [1e-9, 1e9], avg_power_w [1e-9, 1e7], idle_power_w [0, 1e7],
// energy_j [1e-15, 1e12].
std::vector<Measurement> parse_measurements(const std::string& text, const std::string& origin);
// "paper" is the dataset shipped with reuselens (data/jha2020/measurements.csv);
// anything else is a path.
std::vector<Measurement> load_measurements(const std::string& spec);
// The shipped dataset's CSV text.
const std::string& paper_measurements_csv();

// The model spec a row refers to (zoo:NAME or a path); throws kUnknownModel.
std::string measurement_model_spec(const Measurement& row);
// Keeps the rows whose model is among `specs` ("zoo:all" expands); all rows
// when `specs` is empty. Throws when nothing is left.
std::vector<Measurement> filter_measurements(const std::vector<Measurement>& rows,
                                             const std::vector<std::string>& specs);

struct CorrelateOptions {
  AnalysisOptions analysis;  // convention and alpha of AI_c and DI
  bool above_idle = false;   // use P_avg - P_idle in Eq. 1 and 2
  std::vector<double> levels = {0.95, 0.99};
  double critical_95 = 0, critical_99 = 0;  // 0: exact normal quantiles
  // Round Mc to this many significant digits before Eq. 2 (0: exact), as the
  // paper's counting tool displayed it ("723M"); see docs/statistics.md.
  int mc_significant_digits = 0;
};

// One measurement joined with its model's metrics (batch-1 metrics, as the paper).
struct EnergyPoint {
  std::string model;  // display name
  std::string spec;   // zoo:NAME or path
  double mc = 0;      // MACs of one image, possibly rounded
  double ai_c = 0, di = 0, mc_over_w = 0, mc_over_a = 0;
  int64_t pixels = 0;   // H*W of one input image
  double energy_j = 0;  // of one batch
  double energy_per_image_j = 0;
  double energy_per_pixel_j = 0;  // Eq. 1 over every pixel of the batch
  double efficiency = 0;          // Eq. 2: batch * Mc / energy, MACs per joule
};

struct MetricCorrelation {
  std::string metric;  // "AI_c" or "DI"
  double pearson = 0;
  double spearman = 0;
  std::vector<stats::CorrelationInterval> intervals;  // of pearson, one per level
};

struct GroupCorrelation {
  std::string device;
  int64_t batch = 1;
  std::vector<EnergyPoint> points;
  std::vector<MetricCorrelation> metrics;  // AI_c, DI
};

struct CorrelationReport {
  CorrelateOptions options;
  std::vector<GroupCorrelation> groups;  // one per (device, batch), in file order
  int64_t min_sample_size = 0;           // Eq. 6 at 95 %
  // Rows and groups left out, each with why: a row with no energy above idle
  // (--above-idle), a (device, batch) group with fewer than 3 points.
  std::vector<std::string> notes;
};

// Throws Error(kUsage) when no (device, batch) group keeps 3 points.

CorrelationReport correlate(const std::vector<Measurement>& rows, const CorrelateOptions& options);

// The alpha sweep of the paper's Figures 4 and 6, per (device, batch).
// Alpha from `from` to `to` (0 <= from <= to <= 1) in steps of `step`
// (0 < step <= 1), at most kMaxAlphaSweepPoints points; each alpha is on the
// grid exactly (rounded to 12 decimals, never past `to`).
struct SweepOptions {
  CorrelateOptions correlate;
  double from = 0.0, to = 1.0, step = 0.05;
};
constexpr int kMaxAlphaSweepPoints = 10001;
// The number of steps the options make; throws Error(kUsage) naming the
// option that is out of range (NaN included) or makes too many points.
int alpha_sweep_steps(const SweepOptions& options);
struct SweepPoint {
  double alpha = 0, pearson = 0, spearman = 0;
};
struct GroupSweep {
  std::string device;
  int64_t batch = 1;
  int64_t n = 0;
  std::vector<SweepPoint> points;
  double best_alpha_pearson = 0, best_alpha_spearman = 0;
  // Leave-one-out: the Pearson-maximising alpha with each model left out.
  std::vector<double> loo_best_alpha;
  double loo_min = 0, loo_max = 0, loo_mean = 0;
};
struct AlphaSweep {
  std::vector<GroupSweep> groups;
  std::vector<std::string> notes;  // as CorrelationReport's
};
AlphaSweep sweep_alpha(const std::vector<Measurement>& rows, const SweepOptions& options);

// The paper's AutoML objective (Eq. 7): Mc * (1/DI)^k, lower is better.
struct RankRow {
  std::string model;
  std::string spec;
  std::string input;  // the input shapes as analysed ("data 1x3x224x224")
  int64_t batch = 1;
  int64_t mc = 0;
  double di = 0;
  double objective = 0;
};
std::vector<RankRow> rank_models(const std::vector<std::string>& specs, const LoadOptions& load,
                                 const AnalysisOptions& options, double k);
// The same over analyses made already (graphs built in code, a NAS loop).
std::vector<RankRow> rank_analyses(const std::vector<Analysis>& analyses, double k);

}  // namespace reuselens
