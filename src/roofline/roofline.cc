#include "reuselens/roofline.h"

#include <algorithm>

#include "reuselens/error.h"

namespace reuselens {

const char* bound_name(Bound bound) {
  switch (bound) {
    case Bound::kMemory:
      return "memory";
    case Bound::kCompute:
      return "compute";
    case Bound::kNone:
      return "-";
  }
  return "?";
}

namespace {

// Ops that are views at inference: no kernel runs, no bytes move.
bool is_view(const std::string& op_type) {
  return op_type == "Dropout" || op_type == "Identity" || op_type == "Flatten";
}

NetworkPlacement place(const std::string& metric, double value, int bits, double peak,
                       double bandwidth, double ridge) {
  NetworkPlacement p;
  p.metric = metric;
  p.value = value;
  p.macs_per_byte = value / (bits / 8.0);
  p.flops_per_byte = 2 * p.macs_per_byte;
  p.bound = p.flops_per_byte < ridge ? Bound::kMemory : Bound::kCompute;
  p.attainable = std::min(peak, p.flops_per_byte * bandwidth);
  p.paper_bound = value < ridge ? Bound::kMemory : Bound::kCompute;
  return p;
}

}  // namespace

RooflineResult roofline(const Graph& graph, const Hardware& hw, const RooflineOptions& options) {
  RooflineResult r;
  r.hardware = hw;
  r.dtype = options.dtype;
  r.level = options.level;
  const int bits = dtype_bits(options.dtype);
  r.peak = hw.peak(options.dtype).ops_per_s;
  r.bandwidth = hw.level(options.level).bytes_per_s;
  r.ridge = r.peak / r.bandwidth;

  AnalysisOptions counting = options.analysis;
  counting.weight_bits = counting.act_bits = std::min(bits, 32);
  counting.use_tensor_types = false;  // --dtype decides the element width
  r.analysis = analyze(graph, counting);
  // Traffic counts every stored parameter and each tensor once, whatever the
  // counting convention of AI_c and DI.
  AnalysisOptions traffic = counting;
  traffic.convention = convention_by_name("memory");
  const Analysis stored = analyze(graph, traffic);

  double memory_time = 0;
  for (const LayerMetrics& l : stored.layers) {
    LayerPlacement p;
    p.name = l.name;
    p.op_type = l.op_type;
    p.kind = l.kind;
    p.counted = l.status == NodeStatus::kCounted;
    if (!p.counted || is_view(l.op_type)) {
      r.layers.push_back(p);
      continue;
    }
    p.flops = l.flops;
    // Bytes at the data type's width (the analysis above counted at <= 32 bits).
    p.bytes = bits <= 32 ? l.bytes : 2 * l.bytes;
    p.intensity = p.bytes ? static_cast<double>(p.flops) / static_cast<double>(p.bytes) : 0;
    p.bound = p.intensity < r.ridge ? Bound::kMemory : Bound::kCompute;
    p.attainable = std::min(r.peak, p.intensity * r.bandwidth);
    p.time_s =
        std::max(static_cast<double>(p.flops) / r.peak, static_cast<double>(p.bytes) / r.bandwidth);
    r.total_time_s += p.time_s;
    if (p.bound == Bound::kMemory) {
      memory_time += p.time_s;
      ++r.memory_bound_layers;
    } else {
      ++r.compute_bound_layers;
    }
    r.layers.push_back(p);
  }
  r.memory_bound_time_share = r.total_time_s > 0 ? memory_time / r.total_time_s : 0;
  r.by_ai_c = place("AI_c", r.analysis.total.ai_c, bits, r.peak, r.bandwidth, r.ridge);
  r.by_di = place("DI", r.analysis.total.di, bits, r.peak, r.bandwidth, r.ridge);
  return r;
}

}  // namespace reuselens
