// The mapping executed: every iteration of the loops above each level, the
// level's tile as an explicit set of tensor coordinates, and a fill for each
// coordinate the previous tile did not hold. The counts follow the exact
// convention, so evaluate_mapping(..., kExact) must equal them on every
// mapping; parents' reads and updates then follow from the fills as in the
// closed form (multicast and reduction are a property of the network).
#include <vector>

#include "mapping/nest.h"
#include "reuselens/error.h"

namespace reuselens {

namespace {

using mapping::FlatMapping;

constexpr int N = 0, K = 1, C = 2, P = 3, Q = 4, R = 5, S = 6;

struct Loop {
  int dim;
  int64_t bound, step;
};

// The four coordinates a tensor has and its full extents.
std::array<int64_t, 4> full_extent(MapTensor t, const MapProblem& p) {
  const auto& s = p.size;
  switch (t) {
    case MapTensor::kWeights:
      return {s[K], s[C], s[R], s[S]};
    case MapTensor::kInputs:
      return {s[N], s[C], (s[P] - 1) * p.stride_h + (s[R] - 1) * p.dilation_h + 1,
              (s[Q] - 1) * p.stride_w + (s[S] - 1) * p.dilation_w + 1};
    case MapTensor::kOutputs:
      return {s[N], s[K], s[P], s[Q]};
  }
  return {};
}

// The tile's box: low corner and extent in tensor coordinates.
void tile_box(MapTensor t, const MapProblem& p, const std::array<int64_t, kMapDims>& o,
              const std::array<int64_t, kMapDims>& e, std::array<int64_t, 4>& low,
              std::array<int64_t, 4>& ext) {
  switch (t) {
    case MapTensor::kWeights:
      low = {o[K], o[C], o[R], o[S]};
      ext = {e[K], e[C], e[R], e[S]};
      return;
    case MapTensor::kInputs:
      low = {o[N], o[C], o[P] * p.stride_h + o[R] * p.dilation_h,
             o[Q] * p.stride_w + o[S] * p.dilation_w};
      ext = {e[N], e[C], (e[P] - 1) * p.stride_h + (e[R] - 1) * p.dilation_h + 1,
             (e[Q] - 1) * p.stride_w + (e[S] - 1) * p.dilation_w + 1};
      return;
    case MapTensor::kOutputs:
      low = {o[N], o[K], o[P], o[Q]};
      ext = {e[N], e[K], e[P], e[Q]};
      return;
  }
}

}  // namespace

MappingResult simulate_mapping(const Mapping& mapping, const Architecture& arch,
                               const MapProblem& problem, int64_t max_steps) {
  validate_mapping(mapping, arch, problem);
  const FlatMapping m = mapping::flatten(mapping);
  const int n = m.count;
  const mapping::LevelExtents below = mapping::tile_extents(m);
  std::array<LevelCounts, mapping::kMaxLevels> out;
  int64_t steps = 0;
  int64_t used = 1;
  for (int l = 0; l < n; ++l) {
    LevelCounts& lc = out[l];
    lc.name = arch.levels[l].name;
    lc.instances = arch.instances(l);
    lc.utilized_instances = used;
    for (int64_t s : m.levels[l].spatial) used *= s;
    // The loops above, outermost first, with each one's step in its dim.
    std::vector<Loop> loops;
    for (int a = 0; a < l; ++a) {
      const auto& fl = m.levels[a];
      std::array<int64_t, kMapDims> step = below[a + 1];
      for (int d = 0; d < kMapDims; ++d) step[d] *= fl.spatial[d];
      std::vector<Loop> level_loops;  // innermost first
      for (int i = 0; i < fl.loops; ++i) {
        level_loops.push_back({fl.dims[i], fl.bounds[i], step[fl.dims[i]]});
        step[fl.dims[i]] *= fl.bounds[i];
      }
      loops.insert(loops.end(), level_loops.rbegin(), level_loops.rend());
    }
    for (int t = 0; t < kMapTensors; ++t) {
      TensorCounts& tc = lc.tensors[t];
      tc = TensorCounts{};
      tc.kept = m.levels[l].keeps[t];
      if (!tc.kept) continue;
      const MapTensor tensor = static_cast<MapTensor>(t);
      const auto full = full_extent(tensor, problem);
      const int64_t space = full[0] * full[1] * full[2] * full[3];
      std::vector<uint8_t> previous(space, 0), seen(space, 0);
      std::vector<int64_t> held;  // coordinates of the previous tile
      std::vector<int64_t> index(loops.size(), 0);
      bool first = true;
      for (;;) {
        std::array<int64_t, kMapDims> offset{};
        for (size_t i = 0; i < loops.size(); ++i) offset[loops[i].dim] += index[i] * loops[i].step;
        std::array<int64_t, 4> low{}, ext{};
        tile_box(tensor, problem, offset, below[l], low, ext);
        std::vector<int64_t> tile;
        for (int64_t a = 0; a < ext[0]; ++a) {
          for (int64_t b = 0; b < ext[1]; ++b) {
            for (int64_t c = 0; c < ext[2]; ++c) {
              for (int64_t d = 0; d < ext[3]; ++d) {
                const int64_t coord =
                    (((low[0] + a) * full[1] + (low[1] + b)) * full[2] + (low[2] + c)) * full[3] +
                    low[3] + d;
                tile.push_back(coord);
              }
            }
          }
        }
        steps += static_cast<int64_t>(tile.size());
        if (steps > max_steps) {
          throw_error(ErrorCode::kUsage, "simulate: more than " + std::to_string(max_steps) +
                                             " tile words to execute; use a smaller layer");
        }
        if (first) tc.tile = static_cast<int64_t>(tile.size());
        for (int64_t coord : tile) {
          if (!previous[coord] && l > 0) ++tc.fills;
          if (!seen[coord]) ++tc.partition;
          seen[coord] = 1;
        }
        for (int64_t coord : held) previous[coord] = 0;
        for (int64_t coord : tile) previous[coord] = 1;
        held = std::move(tile);
        first = false;
        // Next iteration: the innermost loop fastest.
        int i = static_cast<int>(loops.size()) - 1;
        while (i >= 0 && ++index[i] == loops[i].bound) index[i--] = 0;
        if (i < 0) break;
      }
    }
  }
  mapping::aggregate_requests(m, arch, problem, out);
  MappingResult r;
  r.problem = problem;
  r.architecture = arch.name;
  r.levels.assign(out.begin(), out.begin() + n);
  r.utilized_macs = used;
  r.macs = problem.macs() * problem.groups;
  r.utilization = static_cast<double>(used) / static_cast<double>(arch.mac_instances());
  r.compute_cycles = static_cast<double>(problem.macs()) / static_cast<double>(used) *
                     static_cast<double>(problem.groups);
  mapping::finish_result(r, arch);
  return r;
}

}  // namespace reuselens
