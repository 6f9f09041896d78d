// Closed-form access counts of a mapping (docs/mapping.md, "Counting").
//
// A keeper level L of tensor t holds one tile. The temporal loops above it
// (levels L-1 .. 0, innermost first, those with bound 1 left out) b_1 .. b_m
// step the tile; the fills are
//   V + sum_j (b_j - 1) * prod_{i>j} b_i * D_j
// where V is the tile's volume and D_j what a step of loop j brings in:
// the tile minus its overlap with the previous one, G(T_j), for the
// translation T_j the step makes. Under Timeloop's convention the
// translation is taken between the first two iterations of each loop,
// T_j = off_j - sum_{i<j} off_i, and a step whose translation differs from
// the innermost loop's refetches the whole tile (its nest analysis resets
// residuals on a stride change); under the exact convention
// T_j = off_j - sum_{i<j} (b_i - 1) off_i and D_j = G(T_j) always.
#include <algorithm>
#include <cstdlib>

#include "ir/checked.h"
#include "mapping/nest.h"
#include "reuselens/error.h"

namespace reuselens {

const char* map_dim_name(MapDim d) {
  static const char* names[] = {"N", "K", "C", "P", "Q", "R", "S"};
  return names[static_cast<int>(d)];
}

const char* map_tensor_name(MapTensor t) {
  static const char* names[] = {"Weights", "Inputs", "Outputs"};
  return names[static_cast<int>(t)];
}

int64_t MapProblem::macs() const {
  int64_t m = 1;
  for (int64_t s : size) m = checked_mul(m, s, "the layer's MACs");
  return m;
}

int64_t MapProblem::tensor_size(MapTensor t) const { return mapping::tile_words(*this, t, size); }

int64_t Architecture::instances(size_t level) const {
  int64_t n = 1;
  for (size_t l = 0; l < level && l < levels.size(); ++l)
    n *= levels[l].fanout_x * levels[l].fanout_y;
  return n;
}

int64_t Architecture::mac_instances() const { return instances(levels.size()); }

int64_t MappingResult::dram_words() const {
  if (levels.empty()) return 0;
  int64_t words = 0;
  for (const TensorCounts& t : levels.front().tensors) words += t.reads + t.updates;
  return checked_mul(words, problem.groups, "DRAM words");
}

namespace mapping {

namespace {

constexpr int N = 0, K = 1, C = 2, P = 3, Q = 4, R = 5, S = 6;

// A translation in a tensor's own coordinates (up to four dims).
struct Vec4 {
  std::array<int64_t, 4> v{0, 0, 0, 0};
  bool operator==(const Vec4& o) const { return v == o.v; }
};

Vec4 to_tensor(MapTensor t, const MapProblem& p, const std::array<int64_t, kMapDims>& d) {
  switch (t) {
    case MapTensor::kWeights:
      return {{d[K], d[C], d[R], d[S]}};
    case MapTensor::kInputs:
      return {{d[N], d[C], d[P] * p.stride_h + d[R] * p.dilation_h,
               d[Q] * p.stride_w + d[S] * p.dilation_w}};
    case MapTensor::kOutputs:
      return {{d[N], d[K], d[P], d[Q]}};
  }
  return {};
}

Vec4 tile_extent(MapTensor t, const MapProblem& p, const std::array<int64_t, kMapDims>& e) {
  switch (t) {
    case MapTensor::kWeights:
      return {{e[K], e[C], e[R], e[S]}};
    case MapTensor::kInputs:
      return {{e[N], e[C], (e[P] - 1) * p.stride_h + (e[R] - 1) * p.dilation_h + 1,
               (e[Q] - 1) * p.stride_w + (e[S] - 1) * p.dilation_w + 1}};
    case MapTensor::kOutputs:
      return {{e[N], e[K], e[P], e[Q]}};
  }
  return {};
}

int64_t volume(const Vec4& e) { return e.v[0] * e.v[1] * e.v[2] * e.v[3]; }

// What a tile of extent e lacks after moving by t: |tile \ (tile - t)|.
int64_t new_words(const Vec4& e, const Vec4& t) {
  int64_t overlap = 1;
  for (int i = 0; i < 4; ++i) {
    const int64_t o = e.v[i] - std::llabs(t.v[i]);
    if (o <= 0) return volume(e);
    overlap *= o;
  }
  return volume(e) - overlap;
}

}  // namespace

int64_t tile_words(const MapProblem& p, MapTensor t, const std::array<int64_t, kMapDims>& extent) {
  return volume(tile_extent(t, p, extent));
}

FlatMapping flatten(const Mapping& mapping) {
  FlatMapping f;
  if (mapping.levels.size() > static_cast<size_t>(kMaxLevels)) {
    throw_error(ErrorCode::kInvalidModel, "mapping has more than 8 levels");
  }
  f.count = static_cast<int>(mapping.levels.size());
  for (int l = 0; l < f.count; ++l) {
    const LevelMapping& lm = mapping.levels[l];
    FlatLevel& fl = f.levels[l];
    for (const MapLoop& loop : lm.temporal) {
      if (loop.bound <= 1) continue;
      if (fl.loops == kMaxLoops) throw_error(ErrorCode::kInvalidModel, "over 16 loops at a level");
      fl.dims[fl.loops] = static_cast<uint8_t>(loop.dim);
      fl.bounds[fl.loops++] = loop.bound;
    }
    for (const auto* axis : {&lm.spatial_x, &lm.spatial_y}) {
      for (const MapLoop& loop : *axis) fl.spatial[static_cast<int>(loop.dim)] *= loop.bound;
    }
    fl.keeps = lm.keeps;
  }
  return f;
}

void count_accesses(const FlatMapping& m, const Architecture& arch, const MapProblem& p,
                    ReuseConvention convention, std::array<LevelCounts, kMaxLevels>& out,
                    int64_t* utilized_macs) {
  const int n = m.count;
  const LevelExtents below = tile_extents(m);
  LevelExtents spatial_above{};
  spatial_above[0].fill(1);
  for (int l = 0; l < n; ++l) {
    spatial_above[l + 1] = spatial_above[l];
    for (int d = 0; d < kMapDims; ++d) spatial_above[l + 1][d] *= m.levels[l].spatial[d];
  }
  const auto used_instances = [&](int l) {
    int64_t u = 1;
    for (int64_t s : spatial_above[l]) u *= s;
    return u;
  };
  *utilized_macs = used_instances(n);
  const bool timeloop = convention == ReuseConvention::kTimeloop;

  for (int l = 0; l < n; ++l) {
    LevelCounts& lc = out[l];
    lc.utilized_instances = used_instances(l);
    lc.multicast = {1, 1, 1};
    lc.spatial_reductions = 0;
    lc.energy = lc.cycles = 0;
    for (int t = 0; t < kMapTensors; ++t) {
      TensorCounts& tc = lc.tensors[t];
      tc = TensorCounts{};
      tc.kept = m.levels[l].keeps[t];
      if (!tc.kept) continue;
      const MapTensor tensor = static_cast<MapTensor>(t);
      const Vec4 ext = tile_extent(tensor, p, below[l]);
      const int64_t v = volume(ext);
      tc.tile = v;
      std::array<int64_t, kMapDims> part{};
      for (int d = 0; d < kMapDims; ++d) part[d] = p.size[d] / spatial_above[l][d];
      tc.partition = tile_words(p, tensor, part);
      if (l == 0) continue;  // the root is never filled
      // The temporal loops above, innermost first, with each one's step.
      int64_t total_iterations = 1;
      for (int a = l - 1; a >= 0; --a) {
        for (int i = 0; i < m.levels[a].loops; ++i) total_iterations *= m.levels[a].bounds[i];
      }
      int64_t fills = v;
      int64_t outer = total_iterations;     // product of bounds of this loop and those outside it
      std::array<int64_t, kMapDims> acc{};  // sum of inner loops' offsets
      Vec4 first{};
      bool seen_first = false;
      for (int a = l - 1; a >= 0; --a) {
        const FlatLevel& fl = m.levels[a];
        std::array<int64_t, kMapDims> step = below[a + 1];
        for (int d = 0; d < kMapDims; ++d) step[d] *= fl.spatial[d];
        for (int i = 0; i < fl.loops; ++i) {
          const int d = fl.dims[i];
          const int64_t b = fl.bounds[i];
          outer /= b;
          std::array<int64_t, kMapDims> tr{};
          for (int e = 0; e < kMapDims; ++e) tr[e] = -acc[e];
          tr[d] += step[d];
          const Vec4 translation = to_tensor(tensor, p, tr);
          int64_t delta;
          if (!seen_first) {
            delta = new_words(ext, translation);
            first = translation;
            seen_first = true;
          } else if (timeloop) {
            delta = translation == first ? new_words(ext, translation) : v;
          } else {
            delta = new_words(ext, translation);
          }
          // validate(problem) bounds the sum; the check is a second guard.
          fills = checked_add(
              fills, checked_mul(checked_mul(b - 1, outer, "fills"), delta, "fills"), "fills");
          acc[d] += step[d] * (timeloop ? 1 : (b - 1));
          step[d] *= b;
        }
      }
      tc.fills = fills;
    }
  }
  aggregate_requests(m, arch, p, out);
}

void aggregate_requests(const FlatMapping& m, const Architecture& arch, const MapProblem& p,
                        std::array<LevelCounts, kMaxLevels>& out) {
  const int n = m.count;
  const int64_t macs = p.macs();
  const auto used_instances = [&](int l) {
    int64_t u = 1;
    for (int a = 0; a < l; ++a) {
      for (int64_t s : m.levels[a].spatial) u *= s;
    }
    return u;
  };
  // Reads and updates: each keeper serves the next keeper below it.
  for (int t = 0; t < kMapTensors; ++t) {
    const MapTensor tensor = static_cast<MapTensor>(t);
    const bool output = tensor == MapTensor::kOutputs;
    int child = -1;  // the keeper below the current one; -1: the MACs
    for (int l = n - 1; l >= 0; --l) {
      if (!m.levels[l].keeps[t]) continue;
      TensorCounts& tc = out[l].tensors[t];
      // The children this instance serves, and how many share each word.
      int64_t children = 1, shared = 1;
      const int last = child < 0 ? n : child;
      for (int a = l; a < last; ++a) {
        for (int d = 0; d < kMapDims; ++d) {
          const int64_t s = m.levels[a].spatial[d];
          children *= s;
          if (relevant(tensor, d)) continue;
          const StorageLevel& net = arch.levels[a];
          if (output ? net.spatial_reduction : net.multicast) shared *= s;
        }
      }
      const int64_t requests = child < 0
                                   ? macs / used_instances(l)
                                   : checked_mul(out[child].tensors[t].fills, children, "requests");
      if (output) {
        tc.updates = requests / shared;
        tc.reads = std::max<int64_t>(0, tc.updates - tc.partition);
        out[l].spatial_reductions += requests - tc.updates;
      } else {
        tc.reads = requests / shared;
      }
      out[l].multicast[t] = shared;
      child = l;
    }
  }
}

void finish_result(MappingResult& r, const Architecture& arch) {
  const int64_t groups = r.problem.groups;
  r.energy = 0;
  r.cycles = r.compute_cycles;
  r.bound_by = "compute";
  for (size_t l = 0; l < r.levels.size(); ++l) {
    LevelCounts& lc = r.levels[l];
    const StorageLevel& level = arch.levels[l];
    double accesses = 0, energy = 0;
    for (const TensorCounts& t : lc.tensors) {
      if (!t.kept) continue;
      energy += static_cast<double>(t.reads) * level.read_energy +
                static_cast<double>(t.fills + t.updates) * level.write_energy;
      accesses += static_cast<double>(t.reads + t.fills + t.updates);
    }
    lc.energy = energy * static_cast<double>(lc.utilized_instances * groups);
    lc.cycles = level.bandwidth > 0 ? accesses * static_cast<double>(groups) / level.bandwidth : 0;
    r.energy += lc.energy;
    if (lc.cycles > r.cycles) {
      r.cycles = lc.cycles;
      r.bound_by = lc.name;
    }
  }
  r.mac_energy = static_cast<double>(r.macs) * arch.mac_energy;
  r.energy += r.mac_energy;
}

}  // namespace mapping

MappingResult evaluate_mapping(const Mapping& mapping, const Architecture& arch,
                               const MapProblem& problem, ReuseConvention convention) {
  validate_mapping(mapping, arch, problem);
  const mapping::FlatMapping flat = mapping::flatten(mapping);
  std::array<LevelCounts, mapping::kMaxLevels> counts;
  MappingResult r;
  r.problem = problem;
  r.architecture = arch.name;
  mapping::count_accesses(flat, arch, problem, convention, counts, &r.utilized_macs);
  r.levels.assign(counts.begin(), counts.begin() + flat.count);
  for (size_t l = 0; l < r.levels.size(); ++l) {
    r.levels[l].name = arch.levels[l].name;
    r.levels[l].instances = arch.instances(l);
  }
  r.macs = problem.macs() * problem.groups;
  r.utilization = static_cast<double>(r.utilized_macs) / static_cast<double>(arch.mac_instances());
  r.compute_cycles = static_cast<double>(problem.macs()) / static_cast<double>(r.utilized_macs) *
                     static_cast<double>(problem.groups);
  mapping::finish_result(r, arch);
  return r;
}

}  // namespace reuselens
