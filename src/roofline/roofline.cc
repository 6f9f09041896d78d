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

NetworkPlacement place(const std::string& metric, double value, double macs_per_byte, double peak,
                       double bandwidth, double ridge) {
  NetworkPlacement p;
  p.metric = metric;
  p.value = value;
  p.macs_per_byte = macs_per_byte;
  p.flops_per_byte = 2 * p.macs_per_byte;
  p.bound = p.flops_per_byte < ridge ? Bound::kMemory : Bound::kCompute;
  p.attainable = std::min(peak, p.flops_per_byte * bandwidth);
  p.paper_bound = value < ridge ? Bound::kMemory : Bound::kCompute;
  return p;
}

double per_byte(int64_t num, int64_t bytes) {
  return bytes ? static_cast<double>(num) / static_cast<double>(bytes) : 0.0;
}

}  // namespace

namespace {

// Places every layer of `traffic` (bytes: what it moves) and the network of
// `r.analysis` on the roof whose peak and bandwidth `r` holds.
void place_layers(RooflineResult& r, const std::vector<LayerMetrics>& traffic) {
  double memory_time = 0;
  for (const LayerMetrics& l : traffic) {
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
    p.bytes = l.bytes;
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
  // Per byte: AI_c over W, A (and KV) at their widths; DI from the two reuses
  // per byte (equal to the per-element figures over the width when the types agree).
  const NetworkMetrics& t = r.analysis.total;
  r.by_ai_c = place("AI_c", t.ai_c, t.mc_per_byte, r.peak, r.bandwidth, r.ridge);
  const double di_per_byte =
      data_reuse_index(per_byte(t.mc, t.weight_bytes),
                       per_byte(t.mc, t.activation_bytes + t.kv_bytes), r.analysis.options.alpha);
  r.by_di = place("DI", t.di, di_per_byte, r.peak, r.bandwidth, r.ridge);
}

RooflineResult roof(const Hardware& hw, const RooflineOptions& options) {
  RooflineResult r;
  r.hardware = hw;
  r.dtype = options.dtype;
  r.level = options.level;
  r.peak = hw.peak(options.dtype).ops_per_s;
  r.bandwidth = hw.level(options.level).bytes_per_s;
  r.ridge = r.peak / r.bandwidth;
  return r;
}

}  // namespace

RooflineResult roofline(const Graph& graph, const Hardware& hw, const RooflineOptions& options) {
  RooflineResult r = roof(hw, options);
  AnalysisOptions counting = options.analysis;
  if (counting.use_tensor_types) {  // no types named: --dtype decides the element widths
    counting.weight_type = counting.act_type = number_type(options.dtype).name;
    counting.use_tensor_types = false;
  }
  r.analysis = analyze(graph, counting);
  // Traffic counts every stored parameter and each tensor once, whatever the
  // counting convention of AI_c and DI.
  AnalysisOptions traffic = counting;
  traffic.convention = convention_by_name("memory");
  place_layers(r, analyze(graph, traffic).layers);
  return r;
}

RooflineResult roofline(const Analysis& analysis, const Hardware& hw,
                        const RooflineOptions& options) {
  RooflineResult r = roof(hw, options);
  r.analysis = analysis;
  place_layers(r, analysis.layers);
  return r;
}

}  // namespace reuselens
