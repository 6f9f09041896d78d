// Roofline placement of layers and networks on a described machine.
//
// A Hardware description holds peak rates per data type and bandwidths per
// memory level, each with its source. roofline() places every layer:
//   bytes      = weights + inputs + outputs, each once, at the data type's width
//                (the DRAM roofline's compulsory traffic)
//   intensity  = FLOPs / bytes                       [FLOP/B]
//   ridge      = peak / bandwidth                    [FLOP/B]
//   attainable = min(peak, intensity * bandwidth)    [FLOP/s]
//   time       = max(FLOPs / peak, bytes / bandwidth) [s], the lower bound
// and the network by AI_c and by DI, as the paper's Figure 5 does.
#pragma once

#include <string>
#include <vector>

#include "reuselens/graph.h"
#include "reuselens/metrics.h"

namespace reuselens {

struct PeakRate {
  std::string dtype;     // fp64, fp32, tf32, fp16, bf16, fp8, int8
  double ops_per_s = 0;  // FLOP/s (or OP/s for int8), dense
  std::string source;
};

struct MemoryLevel {
  std::string name;        // dram, l2, l1
  double bytes_per_s = 0;  // bytes per second
  std::string source;
};

struct Hardware {
  std::string name;
  std::string description;
  std::string origin;  // preset name or file path
  std::vector<PeakRate> peaks;
  std::vector<MemoryLevel> levels;  // dram first
  int64_t memory_bytes = 0;         // device memory capacity; 0 when not stated
  std::string memory_source;

  // Throw Error(kUsage) naming what is available.
  const PeakRate& peak(const std::string& dtype) const;
  const MemoryLevel& level(const std::string& name) const;
  // Ridge point of a data type against a memory level, FLOP/B.
  double ridge(const std::string& dtype, const std::string& level_name = "dram") const;
};

std::vector<std::string> hardware_presets();
// A preset name or a path to a JSON file (format: data/hardware/README.md).
// Errors name the file and the field: kIo, kParse, kInvalidModel.
Hardware load_hardware(const std::string& preset_or_path);
Hardware parse_hardware_json(const std::string& text, const std::string& origin);

// Bits of one element stored in a data type: fp32/tf32 32, fp16/bf16 16, fp8/int8 8.
int dtype_bits(const std::string& dtype);

struct RooflineOptions {
  AnalysisOptions analysis;  // counting convention for AI_c and DI; bit widths are
                             // replaced by the data type's
  std::string dtype = "fp32";
  std::string level = "dram";
};

enum class Bound { kMemory, kCompute, kNone };  // kNone: no FLOPs and no time (views)
const char* bound_name(Bound bound);

struct LayerPlacement {
  std::string name;
  std::string op_type;
  std::string kind;
  bool counted = true;  // false for ops the registry does not know
  int64_t flops = 0;
  int64_t bytes = 0;
  double intensity = 0;  // FLOP/B
  Bound bound = Bound::kNone;
  double attainable = 0;  // FLOP/s
  double time_s = 0;      // lower bound
};

// The network as one point. Two placements are given:
//  - unit-consistent: the metric (MACs per element) over the element width
//    gives MACs/B, times 2 FLOP/B, against the ridge in FLOP/B;
//  - as the paper's Figure 5 draws it: the metric's value itself against the
//    ridge in FLOP/B (one element taken as one byte, one MAC as one FLOP).
struct NetworkPlacement {
  std::string metric;  // "AI_c" or "DI"
  double value = 0;    // MACs per element
  double macs_per_byte = 0;
  double flops_per_byte = 0;
  Bound bound = Bound::kMemory;
  double attainable = 0;               // FLOP/s at flops_per_byte
  Bound paper_bound = Bound::kMemory;  // value against the ridge, as Figure 5
};

struct RooflineResult {
  Analysis analysis;
  Hardware hardware;
  std::string dtype, level;
  double peak = 0, bandwidth = 0, ridge = 0;
  std::vector<LayerPlacement> layers;
  double total_time_s = 0;             // sum of layer lower bounds
  double memory_bound_time_share = 0;  // of total_time_s, in memory-bound layers
  int64_t memory_bound_layers = 0, compute_bound_layers = 0;
  NetworkPlacement by_ai_c, by_di;
};

RooflineResult roofline(const Graph& graph, const Hardware& hw, const RooflineOptions& options);
// An analysis whose layer bytes already are each layer's traffic, at its
// types (a language-model step, llm.h): placed as it is.
RooflineResult roofline(const Analysis& analysis, const Hardware& hw,
                        const RooflineOptions& options);

}  // namespace reuselens
