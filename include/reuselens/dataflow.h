// DRAM traffic and energy of convolution (and FC) layers between DRAM and a
// buffer of B bits: the energy complexity model of Šíma, Vidnerová and Mrázek
// and the reuse dataflows of the lecture, derived from the cost registry's
// loop nest (ops.h). Derivations and assumptions: docs/dataflow.md.
//
// Notation: the slides' p (output maps), q (input maps), n (input size),
// m (output size), r (receptive field), s (stride); side by side with the
// loop nest's K, C, H/W, P/Q, R/S. Sizes are per group and per image; a
// grouped layer is `groups` independent problems. Counts are in words of
// b bits; B is given in bits and used in words, B_w = floor(B / b).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "reuselens/graph.h"
#include "reuselens/model.h"
#include "reuselens/ops.h"

namespace reuselens {

struct ConvProblem {
  int64_t k = 1, c = 1;  // p, q: output and input maps per group
  int64_t groups = 1;
  int64_t h = 1, w = 1;  // n: input extent
  int64_t p = 1, q = 1;  // m: output extent (the loop nest's P, Q)
  int64_t r = 1, s = 1;  // receptive field (the loop nest's R, S)
  int64_t stride_h = 1, stride_w = 1;
  int64_t pad_h = 0, pad_w = 0;  // before the first row / column

  int64_t macs() const;  // groups * K*C*P*Q*R*S
  // Input positions of one map that some output reads (padding excluded):
  // n^2 whenever the windows cover the map.
  int64_t touched_rows() const;
  int64_t touched_cols() const;
};

// From a conv/FC loop nest (batch 1 is analysed; the nest's N must be 1).
ConvProblem problem_from_loop_nest(const LoopNest& nest);
// "p=384,q=256,n=15,r=3,s=1,pad=1" (m is derived; n_h/n_w etc. optional).
// Throws Error(kUsage) naming the bad field.
ConvProblem parse_problem(const std::string& spec);

// DRAM words moved, per data type.
struct Traffic {
  int64_t input_reads = 0;
  int64_t weight_reads = 0;
  int64_t output_reads = 0;  // partial sums read back
  int64_t output_writes = 0;
  int64_t total() const { return input_reads + weight_reads + output_reads + output_writes; }
};

// A tiled loop nest over (K, C, P, Q) with one tensor held stationary:
//   output-stationary: for K, P, Q tiles { for C tiles { load W, I } write O }
//   weight-stationary: for K, C tiles { load W; for P, Q tiles { load I, O-partial; store O } }
//   input-stationary:  for C, P, Q tiles { load I; for K tiles { load W, O-partial; store O } }
enum class Stationary { kOutput, kWeight, kInput };
const char* stationary_name(Stationary s);

struct Tiling {
  Stationary stationary = Stationary::kOutput;
  int64_t kt = 1, ct = 1, pt = 1, qt = 1;  // tile extents (full R x S kernels)
};

// Exact traffic of a tiling (closed form, per group, times groups), and the
// buffer words it needs (the three tiles resident at once).
Traffic tiling_traffic(const ConvProblem& problem, const Tiling& tiling);
int64_t tiling_buffer_words(const ConvProblem& problem, const Tiling& tiling);

struct DataflowChoice {
  std::string name;
  Tiling tiling;
  Traffic traffic;
  int64_t buffer_words = 0;  // needed by the tiling
  bool fits = true;          // buffer_words <= the buffer; else the smallest tiling, flagged
};

// The least-traffic tiling of each stationary kind that fits `buffer_words`
// (tile extents from powers of two and the full extent).
DataflowChoice best_tiling(const ConvProblem& problem, Stationary stationary, int64_t buffer_words);

// The slides' dataflows, expressed as tilings: write-once outputs (one output
// map resident, one input map at a time) and its read-once-inputs dual.
Tiling write_once_outputs(const ConvProblem& problem);
Tiling read_once_inputs(const ConvProblem& problem);

// Why the slides' closed forms (write-once outputs, read-once inputs) do not
// describe a layer, or "" when they do: they assume windows that overlap or
// abut (stride <= kernel) and a padding smaller than the kernel. The lower
// bound, the compulsory traffic and the exact tiled dataflows hold for any
// layer.
std::string closed_forms_not_applicable(const ConvProblem& problem);

struct LayerBounds {
  int64_t macs = 0;
  double lower_bound_words = 0;  // Mc / ((B_w - 1) / 2)^2, any layer
  Traffic compulsory;            // each touched input, weight and output once
  // Non-empty: the closed forms below do not apply (and are zero), and why.
  std::string closed_forms_na;
  Traffic woo_model;            // slides: inputs p q n^2, outputs p m^2, weights p (q r^2 + 1)
  int64_t woo_buffer_bits = 0;  // slides: b (2 m^2 + 1)
  Traffic roi_model;  // the dual: inputs q n^2, weights p (q r^2 + 1), outputs p m^2 (2q - 1)
  int64_t roi_buffer_bits = 0;  // b (n^2 + m^2 + 1)
};
LayerBounds layer_bounds(const ConvProblem& problem, int64_t buffer_bits, int bits);

// The lecture's partial-sum example: a dot product of `length` on a MAC unit
// `width` wide with a one-word buffer produces length/width partial sums per
// output; output-stationary keeps them in the accumulator (0 DRAM accesses),
// weight-stationary sends each to DRAM and back.
int64_t partial_sums_per_output(int64_t length, int64_t width);
int64_t dram_partial_sum_accesses(Stationary stationary, int64_t length, int64_t width);

// Parses "64KiB", "48kB", "512B", "4096b", "1MiB" into bits (B = bytes,
// b = bits; k = 1000, Ki = 1024). Throws Error(kUsage) for unknown units.
int64_t parse_buffer_bits(const std::string& text);

// Energy per access and per operation (data/energy/*.json).
struct EnergyTable {
  std::string name, source;
  double dram_pj_per_bit = 0;
  // SRAM access energy for a 64-bit word by array size; interpolated in log(size).
  std::vector<std::pair<int64_t, double>> sram_pj_per_64bit;  // (bytes, pJ)
  struct Op {
    std::string kind;  // "int" or "fp"
    int bits = 32;
    double add_pj = 0, mult_pj = 0;
  };
  std::vector<Op> ops;
  double sram_pj_per_bit(int64_t buffer_bytes) const;
  double mac_pj(const std::string& kind, int bits) const;  // mult + add; throws if absent
};
EnergyTable load_energy_table(const std::string& preset_or_path);  // "horowitz45" default
EnergyTable parse_energy_json(const std::string& text, const std::string& origin);

struct EnergyBreakdown {
  double dram_input_pj = 0, dram_weight_pj = 0, dram_output_pj = 0;
  double buffer_pj = 0;   // three buffer accesses per MAC
  double compute_pj = 0;  // MACs
  double total_pj() const {
    return dram_input_pj + dram_weight_pj + dram_output_pj + buffer_pj + compute_pj;
  }
};
EnergyBreakdown layer_energy(const EnergyTable& table, const Traffic& traffic, int64_t macs,
                             int bits, int64_t buffer_bits, const std::string& mac_kind);

// Exact simulation of a tiling, access by access: every MAC reads its input,
// weight and partial sum from the buffer, which either follows the tiling's
// explicit loads and evictions or is a plain LRU cache of `lru_words`.
enum class BufferPolicy { kExplicit, kLru };
struct SimulationResult {
  Traffic traffic;
  int64_t mac_steps = 0;
  int64_t peak_resident_words = 0;  // explicit: the most words resident at once
};
SimulationResult simulate(const ConvProblem& problem, const Tiling& tiling, BufferPolicy policy,
                          int64_t lru_words = 0);

}  // namespace reuselens

namespace reuselens {

struct DataflowOptions {
  int64_t buffer_bits = int64_t{64} * 1024 * 8;  // B
  int bits = 16;                                 // b, bits per word
  std::string mac_kind = "fp";                   // "fp" or "int" multiply-adds
  std::string energy_table = "horowitz45";
  bool simulate = false;  // also run the simulator on each dataflow
  BufferPolicy policy = BufferPolicy::kExplicit;
};

struct LayerDataflow {
  std::string name;
  std::string op_type;
  ConvProblem problem;
  LayerBounds bounds;
  // write-once-outputs and read-once-inputs (the slides' dataflows, exact),
  // then the best output-, weight- and input-stationary tilings.
  std::vector<DataflowChoice> dataflows;
  std::vector<SimulationResult> simulated;  // parallel to dataflows when simulated
  size_t best = 0;                          // least traffic among those that fit
  EnergyBreakdown energy;                   // of the best dataflow
};

struct UnmodelledLayer {
  std::string name, op_type, reason;
};

struct NetworkDataflow {
  std::string model;
  DataflowOptions options;
  EnergyTable energy_table;
  std::vector<LayerDataflow> layers;
  int64_t skipped_layers = 0;  // layers that are not conv/FC (no loop nest)
  // conv/FC layers outside the model (dilated convolutions), each with why;
  // their MACs are not in the totals.
  std::vector<UnmodelledLayer> unmodelled;
  int64_t macs = 0;
  double lower_bound_words = 0;
  Traffic compulsory, best;
  EnergyBreakdown energy;
};

LayerDataflow analyze_layer_dataflow(const std::string& name, const ConvProblem& problem,
                                     const DataflowOptions& options, const EnergyTable& table);
NetworkDataflow analyze_dataflow(const Graph& graph, const DataflowOptions& options);
// One call for the CLI: a model (zoo:NAME, .prototxt, .onnx), named as the
// zoo names it; or one layer in the slides' notation ("p=..,q=..,n=..,r=..").
NetworkDataflow analyze_model_dataflow(const std::string& spec, const LoadOptions& load,
                                       const DataflowOptions& options);
NetworkDataflow analyze_single_layer_dataflow(const std::string& layer,
                                              const DataflowOptions& options);

// Sweeps one parameter of a layer ("p=16:512:x2", "n=8:64:+8", "r=1:7:+2",
// "s=1:4:+1", "buffer=4KiB:1MiB:x2") and fits the model's asymptotics.
struct DataflowSweepPoint {
  int64_t value = 0;
  double x = 0;  // the value transformed to the model's order: p, n^2, r^2, s^-2, B^-1/2
  int64_t woo_model = 0, best = 0, compulsory = 0;
  double lower_bound = 0;
};
struct DataflowSweep {
  std::string parameter;
  std::string order;  // "O(p)", "O(n^2)", ...
  std::vector<DataflowSweepPoint> points;
  double slope = 0, intercept = 0, r2 = 0;  // least squares of woo_model (best, for buffer) on x
  double best_r2 = 0;                       // the same fit of the best exact dataflow
};
DataflowSweep sweep_dataflow(const ConvProblem& base, const std::string& sweep,
                             const DataflowOptions& options);

}  // namespace reuselens
