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

// Per level l, the per-dim extent of its tile: its own loops and fan-outs and
// every deeper level's (entry m.count is all ones). Shared by the closed form
// and the access-by-access simulation, which must agree on it.
using LevelExtents = std::array<std::array<int64_t, kMapDims>, kMaxLevels + 1>;
inline LevelExtents tile_extents(const FlatMapping& m) {
  LevelExtents below{};
  below[m.count].fill(1);
  for (int l = m.count - 1; l >= 0; --l) {
    below[l] = below[l + 1];
    for (int d = 0; d < kMapDims; ++d) below[l][d] *= m.levels[l].spatial[d];
    for (int i = 0; i < m.levels[l].loops; ++i)
      below[l][m.levels[l].dims[i]] *= m.levels[l].bounds[i];
  }
  return below;
}

// Whether dim d (in MapDim order: N K C P Q R S) indexes tensor t. Inline:
// the closed form asks it for every loop of every mapping evaluated.
constexpr bool relevant(MapTensor t, int d) {
  switch (t) {
    case MapTensor::kWeights:
      return d == 1 || d == 2 || d == 5 || d == 6;  // K, C, R, S
    case MapTensor::kInputs:
      return d != 1;  // all but K
    case MapTensor::kOutputs:
      return d == 0 || d == 1 || d == 3 || d == 4;  // N, K, P, Q
  }
  return false;
}

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
