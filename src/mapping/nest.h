// Internal: a mapping flattened for evaluation (fixed arrays, no
// allocation), and the closed-form counts over it. The search builds these
// directly; evaluate_mapping() converts a Mapping first.
#pragma once

#include <array>
#include <cstdint>

#include "reuselens/mapping.h"

namespace reuselens::mapping {

constexpr int kMaxLevels = 8;
constexpr int kMaxLoops = 16;  // temporal loops per level

struct FlatLevel {
  std::array<uint8_t, kMaxLoops> dims{};
  std::array<int64_t, kMaxLoops> bounds{};
  int loops = 0;                                               // temporal, innermost first
  std::array<int64_t, kMapDims> spatial{1, 1, 1, 1, 1, 1, 1};  // X x Y factor per dim
  std::array<bool, kMapTensors> keeps{true, true, true};
};

struct FlatMapping {
  std::array<FlatLevel, kMaxLevels> levels{};
  int count = 0;
};

FlatMapping flatten(const Mapping& mapping);

// Whether dim d indexes tensor t.
bool relevant(MapTensor t, int d);

// Words of tensor t in a tile with these dim extents (inputs: the windows' span).
int64_t tile_words(const MapProblem& p, MapTensor t, const std::array<int64_t, kMapDims>& extent);

// Per-instance counts of every level and tensor, per group; no energy.
// `tiles_out` receives each level's tile extents (for capacity checks).
void count_accesses(const FlatMapping& m, const Architecture& arch, const MapProblem& p,
                    ReuseConvention convention, std::array<LevelCounts, kMaxLevels>& out,
                    int64_t* utilized_macs);

// Reads and updates of every keeper from the fills of the keeper below it
// (or the MACs), with multicast and spatial reduction; `out` holds the fills,
// tiles and partitions.
void aggregate_requests(const FlatMapping& m, const Architecture& arch, const MapProblem& p,
                        std::array<LevelCounts, kMaxLevels>& out);

// Adds energy, cycles and totals to a result whose levels hold the counts.
void finish_result(MappingResult& r, const Architecture& arch);

}  // namespace reuselens::mapping
