// Closed forms of the tiled dataflows and the search for the best tiling.
#include <algorithm>
#include <cmath>
#include <limits>

#include "dataflow/tiles.h"
#include "ir/checked.h"
#include "reuselens/dataflow.h"
#include "reuselens/error.h"

namespace reuselens {

using dataflow::ceil_div;
using dataflow::touched;

const char* stationary_name(Stationary s) {
  switch (s) {
    case Stationary::kOutput:
      return "output-stationary";
    case Stationary::kWeight:
      return "weight-stationary";
    case Stationary::kInput:
      return "input-stationary";
  }
  return "?";
}

namespace {

// Sum over the tiles of one spatial axis of the input extent each tile reads,
// and the largest of them.
// Also the kernel rows the tiles use (summed over tiles, and over all outputs).
struct AxisTiles {
  int64_t tiles = 0, sum = 0, max = 0;
  int64_t kernel_sum = 0, kernel_all = 0;
};
AxisTiles axis_tiles(int64_t outputs, int64_t tile, int64_t stride, int64_t pad, int64_t kernel,
                     int64_t extent) {
  AxisTiles a;
  for (int64_t o0 = 0; o0 < outputs; o0 += tile) {
    const int64_t o1 = std::min(outputs, o0 + tile);
    const int64_t t = touched(o0, o1, stride, pad, kernel, extent);
    ++a.tiles;
    a.sum += t;
    a.max = std::max(a.max, t);
    a.kernel_sum += dataflow::kernel_used(o0, o1, stride, pad, kernel, extent);
  }
  a.kernel_all = dataflow::kernel_used(0, outputs, stride, pad, kernel, extent);
  return a;
}

Tiling clamp(const ConvProblem& x, Tiling t) {
  t.kt = std::clamp<int64_t>(t.kt, 1, x.k);
  t.ct = std::clamp<int64_t>(t.ct, 1, x.c);
  t.pt = std::clamp<int64_t>(t.pt, 1, x.p);
  t.qt = std::clamp<int64_t>(t.qt, 1, x.q);
  return t;
}

}  // namespace

Traffic tiling_traffic(const ConvProblem& x, const Tiling& tiling) {
  const Tiling t = clamp(x, tiling);
  const AxisTiles rows = axis_tiles(x.p, t.pt, x.stride_h, x.pad_h, x.r, x.h);
  const AxisTiles cols = axis_tiles(x.q, t.qt, x.stride_w, x.pad_w, x.s, x.w);
  const int64_t nk = ceil_div(x.k, t.kt), nc = ceil_div(x.c, t.ct), npq = rows.tiles * cols.tiles;
  // Weights a tile's MACs use: all of R x S except rows/columns that only
  // ever meet padding; `weights` when one tile stays resident throughout,
  // `weights_per_tile_sum` when it is reloaded for every spatial tile.
  const int64_t kc = checked_mul(x.k, x.c, "words");
  const int64_t weights = checked_mul(kc, rows.kernel_all * cols.kernel_all, "words");
  const int64_t weights_per_tile_sum = checked_mul(kc, rows.kernel_sum * cols.kernel_sum, "words");
  const int64_t outputs = checked_mul(x.k, x.p * x.q, "words");
  const int64_t inputs_once = checked_mul(x.c, checked_mul(rows.sum, cols.sum, "words"), "words");
  Traffic tr;
  // A tile equal to the one already resident is not reloaded: that is what
  // the conditions on single-tile loops below express.
  switch (t.stationary) {
    case Stationary::kOutput:
      tr.input_reads = (nc == 1 && npq == 1) ? inputs_once : checked_mul(nk, inputs_once, "words");
      tr.weight_reads = nc == 1 ? weights : weights_per_tile_sum;
      tr.output_writes = outputs;
      break;
    case Stationary::kWeight:
      tr.weight_reads = weights;
      tr.input_reads = (npq == 1 && nc == 1) ? inputs_once : checked_mul(nk, inputs_once, "words");
      tr.output_writes = npq == 1 ? outputs : checked_mul(nc, outputs, "words");
      tr.output_reads = npq == 1 ? 0 : checked_mul(nc - 1, outputs, "words");
      break;
    case Stationary::kInput:
      tr.input_reads = inputs_once;
      tr.weight_reads = nk == 1 ? weights : weights_per_tile_sum;
      tr.output_writes = (nk == 1 && npq == 1) ? outputs : checked_mul(nc, outputs, "words");
      tr.output_reads = (nk == 1 && npq == 1) ? 0 : checked_mul(nc - 1, outputs, "words");
      break;
  }
  for (int64_t* v : {&tr.input_reads, &tr.weight_reads, &tr.output_reads, &tr.output_writes}) {
    *v = checked_mul(*v, x.groups, "words");
  }
  return tr;
}

int64_t tiling_buffer_words(const ConvProblem& x, const Tiling& tiling) {
  const Tiling t = clamp(x, tiling);
  const AxisTiles rows = axis_tiles(x.p, t.pt, x.stride_h, x.pad_h, x.r, x.h);
  const AxisTiles cols = axis_tiles(x.q, t.qt, x.stride_w, x.pad_w, x.s, x.w);
  return t.kt * t.ct * x.r * x.s + t.ct * rows.max * cols.max + t.kt * t.pt * t.qt;
}

Tiling write_once_outputs(const ConvProblem& x) { return {Stationary::kOutput, 1, 1, x.p, x.q}; }
Tiling read_once_inputs(const ConvProblem& x) { return {Stationary::kInput, 1, 1, x.p, x.q}; }

namespace {
std::vector<int64_t> candidates(int64_t extent) {
  std::vector<int64_t> out;
  for (int64_t v = 1; v < extent; v *= 2) out.push_back(v);
  out.push_back(extent);
  return out;
}
}  // namespace

DataflowChoice best_tiling(const ConvProblem& x, Stationary stationary, int64_t buffer_words) {
  validate_problem(x);
  DataflowChoice best, smallest;
  best.name = smallest.name = stationary_name(stationary);
  int64_t best_total = std::numeric_limits<int64_t>::max(), smallest_need = best_total;
  bool found = false;
  for (int64_t kt : candidates(x.k)) {
    for (int64_t ct : candidates(x.c)) {
      for (int64_t pt : candidates(x.p)) {
        for (int64_t qt : candidates(x.q)) {
          const Tiling t{stationary, kt, ct, pt, qt};
          const int64_t need = tiling_buffer_words(x, t);
          if (need < smallest_need) {
            smallest_need = need;
            smallest.tiling = t;
            smallest.buffer_words = need;
          }
          if (need > buffer_words) continue;
          const Traffic tr = tiling_traffic(x, t);
          if (tr.total() < best_total || (tr.total() == best_total && need < best.buffer_words)) {
            best_total = tr.total();
            best.tiling = t;
            best.traffic = tr;
            best.buffer_words = need;
            found = true;
          }
        }
      }
    }
  }
  if (found) return best;
  smallest.traffic = tiling_traffic(x, smallest.tiling);
  smallest.fits = false;
  return smallest;
}

LayerBounds layer_bounds(const ConvProblem& x, int64_t buffer_bits, int bits) {
  validate_problem(x);
  if (bits <= 0) throw_error(ErrorCode::kUsage, "word width must be positive");
  const int64_t words = buffer_bits / bits;
  if (words < 3) {
    throw_error(ErrorCode::kUsage, "a buffer of " + std::to_string(buffer_bits) + " bits holds " +
                                       std::to_string(words) + " words of " + std::to_string(bits) +
                                       " bits; every MAC needs 3 operands in it");
  }
  LayerBounds b;
  b.macs = x.macs();
  const double half = (static_cast<double>(words) - 1.0) / 2.0;
  b.lower_bound_words = static_cast<double>(b.macs) / (half * half);
  const int64_t g = x.groups, n2 = x.h * x.w, m2 = x.p * x.q, r2 = x.r * x.s;
  b.compulsory.weight_reads = g * x.k * x.c *
                              dataflow::kernel_used(0, x.p, x.stride_h, x.pad_h, x.r, x.h) *
                              dataflow::kernel_used(0, x.q, x.stride_w, x.pad_w, x.s, x.w);
  b.compulsory.input_reads = g * x.c * x.touched_rows() * x.touched_cols();
  b.compulsory.output_writes = g * x.k * m2;
  b.closed_forms_na = closed_forms_not_applicable(x);
  if (!b.closed_forms_na.empty()) return b;
  b.woo_model.input_reads = g * x.k * x.c * n2;
  b.woo_model.output_writes = g * x.k * m2;
  b.woo_model.weight_reads = g * x.k * (x.c * r2 + 1);
  b.woo_buffer_bits = static_cast<int64_t>(bits) * (2 * m2 + 1);
  b.roi_model.input_reads = g * x.c * n2;
  b.roi_model.weight_reads = g * x.k * (x.c * r2 + 1);
  b.roi_model.output_writes = g * x.k * m2 * x.c;
  b.roi_model.output_reads = g * x.k * m2 * (x.c - 1);
  b.roi_buffer_bits = static_cast<int64_t>(bits) * (n2 + m2 + 1);
  return b;
}

int64_t partial_sums_per_output(int64_t length, int64_t width) {
  if (length <= 0 || width <= 0)
    throw_error(ErrorCode::kUsage, "dot product length and MAC width must be positive");
  return ceil_div(length, width);
}

int64_t dram_partial_sum_accesses(Stationary stationary, int64_t length, int64_t width) {
  // With a one-word buffer only the accumulator of the output being computed
  // stays on chip: output-stationary never spills it, the others spill every
  // partial sum (read and write counted as one access pair, as the lecture).
  return stationary == Stationary::kOutput ? 0 : partial_sums_per_output(length, width);
}

int64_t parse_buffer_bits(const std::string& text) {
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const std::string unit = used ? text.substr(used) : "";
  static const std::vector<std::pair<std::string, double>> units = {{"b", 1},
                                                                    {"bit", 1},
                                                                    {"bits", 1},
                                                                    {"B", 8},
                                                                    {"kb", 1e3},
                                                                    {"kB", 8e3},
                                                                    {"KB", 8e3},
                                                                    {"Kib", 1024},
                                                                    {"KiB", 8 * 1024.0},
                                                                    {"Mb", 1e6},
                                                                    {"MB", 8e6},
                                                                    {"Mib", 1048576.0},
                                                                    {"MiB", 8 * 1048576.0}};
  for (const auto& [name, factor] : units) {
    if (unit == name && used > 0 && value > 0) {
      const double bits = value * factor;
      if (bits > 9e18 || bits != std::floor(bits)) break;
      return static_cast<int64_t>(bits);
    }
  }
  throw_error(ErrorCode::kUsage,
              "buffer size '" + text +
                  "' is not a positive number with a unit: b or bits, B (bytes), kb/kB (1000), "
                  "Kib/KiB (1024), Mb/MB, Mib/MiB");
}

}  // namespace reuselens
