// The mapper: spatial assignments x temporal factorisations x loop orders.
//
// What is exhaustive and what is not (printed with every search):
//  - spatial: every assignment of divisors of the dims each axis allows,
//    keeping those within a factor 2 of the best utilisation of that axis
//    (at most kMaxSpatial per fan-out level, best utilisation first);
//  - temporal: every factorisation of the remaining extents over the levels
//    below the outermost (the outermost takes the rest), pruned when a tile
//    cannot fit even with the dims not yet chosen at 1 (tiles only grow with
//    factors, so this cuts no fitting mapping);
//  - orders: per level, four canonical orders (weight-, input-, output-
//    stationary, and sliding windows innermost), chosen level by level by
//    coordinate descent from output-stationary: a heuristic;
//  - the enumeration stops at the evaluation budget, and says so.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>

#include "mapping/nest.h"
#include "reuselens/error.h"

namespace reuselens {

MapObjective map_objective_by_name(const std::string& name) {
  if (name == "energy") return MapObjective::kEnergy;
  if (name == "delay") return MapObjective::kDelay;
  if (name == "edp") return MapObjective::kEdp;
  if (name == "dram") return MapObjective::kDram;
  throw_error(ErrorCode::kUsage,
              "unknown objective '" + name + "' (known: energy, delay, edp, dram)");
}

namespace {

using mapping::FlatLevel;
using mapping::FlatMapping;
using mapping::kMaxLevels;

constexpr int kMaxSpatial = 24;

// Canonical orders, innermost first: output-, weight-, input-stationary,
// and sliding windows (P, Q innermost, so inputs reuse their overlap).
constexpr std::array<std::array<uint8_t, kMapDims>, 4> kOrders = {{
    {5, 6, 2, 4, 3, 0, 1},  // R S C Q P N K
    {4, 3, 0, 5, 6, 2, 1},  // Q P N R S C K
    {1, 4, 3, 0, 5, 6, 2},  // K Q P N R S C
    {4, 3, 6, 5, 2, 1, 0},  // Q P S R C K N
}};

std::vector<int64_t> divisors(int64_t n) {
  std::vector<int64_t> out;
  for (int64_t d = 1; d * d <= n; ++d) {
    if (n % d) continue;
    out.push_back(d);
    if (d * d != n) out.push_back(n / d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct SpatialChoice {
  // X, Y factor per dim.
  std::array<std::array<int64_t, kMapDims>, 2> axis{{{1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 1}}};
  int64_t used = 1;
};

// Assignments of one axis: factors of allowed dims, product <= fanout.
void axis_choices(const std::vector<MapDim>& allowed, int64_t fanout,
                  const std::array<int64_t, kMapDims>& rem,
                  std::vector<std::array<int64_t, kMapDims>>& out) {
  std::array<int64_t, kMapDims> f{1, 1, 1, 1, 1, 1, 1};
  std::vector<int> dims;
  for (int d = 0; d < kMapDims; ++d) {
    if (allowed.empty() ||
        std::find(allowed.begin(), allowed.end(), static_cast<MapDim>(d)) != allowed.end()) {
      dims.push_back(d);
    }
  }
  std::function<void(size_t, int64_t)> rec = [&](size_t i, int64_t used) {
    if (i == dims.size()) {
      out.push_back(f);
      return;
    }
    const int d = dims[i];
    for (int64_t v : divisors(rem[d])) {
      if (used * v > fanout) break;
      f[d] = v;
      rec(i + 1, used * v);
    }
    f[d] = 1;
  };
  rec(0, 1);
}

// Spatial assignments of one fan-out level near its best utilisation.
std::vector<SpatialChoice> spatial_choices(const StorageLevel& level,
                                           const std::array<int64_t, kMapDims>& rem) {
  std::vector<SpatialChoice> out;
  if (level.fanout_x * level.fanout_y == 1) return {SpatialChoice{}};
  std::vector<std::array<int64_t, kMapDims>> xs, ys;
  axis_choices(level.dims_x, level.fanout_x, rem, xs);
  for (const auto& x : xs) {
    std::array<int64_t, kMapDims> left = rem;
    for (int d = 0; d < kMapDims; ++d) left[d] /= x[d];
    ys.clear();
    axis_choices(level.dims_y, level.fanout_y, left, ys);
    for (const auto& y : ys) {
      SpatialChoice c;
      c.axis = {x, y};
      for (int d = 0; d < kMapDims; ++d) c.used *= x[d] * y[d];
      out.push_back(c);
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const SpatialChoice& a, const SpatialChoice& b) { return a.used > b.used; });
  const int64_t best = out.empty() ? 1 : out.front().used;
  std::vector<SpatialChoice> kept;
  for (const SpatialChoice& c : out) {
    if (c.used * 2 < best || static_cast<int>(kept.size()) == kMaxSpatial) break;
    kept.push_back(c);
  }
  return kept;
}

double score(MapObjective objective, double energy, double cycles, int64_t dram) {
  switch (objective) {
    case MapObjective::kEnergy:
      return energy;
    case MapObjective::kDelay:
      return cycles;
    case MapObjective::kEdp:
      return energy * cycles;
    case MapObjective::kDram:
      return static_cast<double>(dram);
  }
  return energy;
}

// Spatial factors per level and axis (X, Y), kept with a candidate so that
// the printed mapping says which axis each factor uses.
using Axes = std::array<std::array<std::array<int64_t, kMapDims>, 2>, kMaxLevels>;

struct Candidate {
  FlatMapping flat;
  Axes axes;
};

class Search {
 public:
  Search(const Architecture& arch, const MapProblem& p, const SearchOptions& o)
      : arch_(arch), p_(p), o_(o), n_(static_cast<int>(arch.levels.size())) {}

  SearchResult run() {
    const auto start = std::chrono::steady_clock::now();
    m_.count = n_;
    for (int l = 0; l < n_; ++l) m_.levels[l].keeps = arch_.levels[l].keeps;
    spatial_level(0, p_.size);
    SearchResult r;
    r.evaluated = evaluated_;
    r.pruned = pruned_;
    r.exhaustive = !budget_hit_;
    r.method =
        "spatial: divisor assignments within 2x of the best utilisation (up to 24 per fan-out); "
        "temporal: every factorisation, capacity-pruned; orders: 4 canonical per level by "
        "coordinate descent (heuristic)";
    if (budget_hit_) r.method += "; stopped at the budget of " + std::to_string(o_.max_evaluations);
    std::sort(best_.begin(), best_.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [s, candidate] : best_) {
      const Mapping m = unflatten(candidate);
      r.best.emplace_back(m, evaluate_mapping(m, arch_, p_, o_.convention));
    }
    for (int t = 0; t < kMapTensors; ++t) {
      r.compulsory_dram_words += p_.tensor_size(static_cast<MapTensor>(t));
    }
    r.compulsory_dram_words *= p_.groups;
    if (n_ > 1) {
      const StorageLevel& buffer = arch_.levels[1];
      int64_t words = buffer.capacity;
      for (int64_t c : buffer.tensor_capacity) words += c;
      words *= arch_.instances(1);
      if (words > 1) {  // Šíma et al.: Mc / ((B - 1) / 2)^2 for a buffer of B words
        const double half = (static_cast<double>(words) - 1) / 2;
        r.lower_bound_dram_words = static_cast<int64_t>(
            std::ceil(static_cast<double>(p_.macs() * p_.groups) / (half * half)));
      }
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
  }

 private:
  // Fan-out levels, outermost first; then the temporal factors.
  void spatial_level(int l, std::array<int64_t, kMapDims> rem) {
    if (budget_hit_) return;
    if (l == n_) {
      temporal_level(n_ - 1, rem);
      return;
    }
    for (const SpatialChoice& c : spatial_choices(arch_.levels[l], rem)) {
      FlatLevel& fl = m_.levels[l];
      std::array<int64_t, kMapDims> left = rem;
      for (int d = 0; d < kMapDims; ++d) {
        fl.spatial[d] = c.axis[0][d] * c.axis[1][d];
        left[d] /= fl.spatial[d];
      }
      axes_[l] = c.axis;
      spatial_level(l + 1, left);
      if (budget_hit_) return;
    }
  }

  // Tile extents of level l given factors of levels >= l.
  std::array<int64_t, kMapDims> extent_at(int l) const {
    std::array<int64_t, kMapDims> e{1, 1, 1, 1, 1, 1, 1};
    for (int a = n_ - 1; a >= l; --a) {
      for (int d = 0; d < kMapDims; ++d) e[d] *= m_.levels[a].spatial[d] * factors_[a][d];
    }
    return e;
  }

  bool fits(int l, const std::array<int64_t, kMapDims>& e) const {
    const StorageLevel& level = arch_.levels[l];
    int64_t shared = 0;
    for (int t = 0; t < kMapTensors; ++t) {
      if (!m_.levels[l].keeps[t]) continue;
      const int64_t words = mapping::tile_words(p_, static_cast<MapTensor>(t), e);
      if (level.tensor_capacity[t]) {
        if (words > level.tensor_capacity[t]) return false;
      } else {
        shared += words;
      }
    }
    return !level.capacity || shared <= level.capacity;
  }

  // Temporal factors of level l, dim by dim; the outermost takes the rest.
  void temporal_level(int l, std::array<int64_t, kMapDims> rem) {
    if (budget_hit_) return;
    if (l == 0) {
      factors_[0] = rem;
      if (!fits(0, extent_at(0))) {
        ++pruned_;
        return;
      }
      choose_orders();
      return;
    }
    temporal_dim(l, 0, rem);
  }

  void temporal_dim(int l, int d, std::array<int64_t, kMapDims>& rem) {
    if (budget_hit_) return;
    if (d == kMapDims) {
      if (!fits(l, extent_at(l))) {
        ++pruned_;
        return;
      }
      temporal_level(l - 1, rem);
      return;
    }
    const int64_t left = rem[d];
    const std::vector<int64_t> choices = divisors(left);
    // Largest tiles first: under a budget the good mappings come early.
    for (auto it = choices.rbegin(); it != choices.rend(); ++it) {
      const int64_t f = *it;
      factors_[l][d] = f;
      for (int e = d + 1; e < kMapDims; ++e) factors_[l][e] = 1;
      if (!fits(l, extent_at(l))) {  // no completion of this prefix fits
        ++pruned_;
        continue;
      }
      rem[d] = left / f;
      temporal_dim(l, d + 1, rem);
      rem[d] = left;
      if (budget_hit_) return;
    }
    factors_[l][d] = 1;
  }

  void set_order(int l, int order) {
    FlatLevel& fl = m_.levels[l];
    fl.loops = 0;
    for (uint8_t d : kOrders[order]) {
      if (factors_[l][d] <= 1) continue;
      fl.dims[fl.loops] = d;
      fl.bounds[fl.loops++] = factors_[l][d];
    }
  }

  double evaluate() {
    ++evaluated_;
    if (evaluated_ >= o_.max_evaluations) budget_hit_ = true;
    int64_t utilized = 1;
    mapping::count_accesses(m_, arch_, p_, o_.convention, counts_, &utilized);
    double energy = static_cast<double>(p_.macs()) * arch_.mac_energy;
    double cycles = static_cast<double>(p_.macs()) / static_cast<double>(utilized);
    for (int l = 0; l < n_; ++l) {
      const StorageLevel& level = arch_.levels[l];
      double accesses = 0, e = 0;
      for (const TensorCounts& t : counts_[l].tensors) {
        if (!t.kept) continue;
        e += static_cast<double>(t.reads) * level.read_energy +
             static_cast<double>(t.fills + t.updates) * level.write_energy;
        accesses += static_cast<double>(t.reads + t.fills + t.updates);
      }
      energy += e * static_cast<double>(counts_[l].utilized_instances);
      if (level.bandwidth > 0) cycles = std::max(cycles, accesses / level.bandwidth);
    }
    int64_t dram = 0;
    for (const TensorCounts& t : counts_[0].tensors) dram += t.reads + t.updates;
    return score(o_.objective, energy, cycles, dram);
  }

  // Coordinate descent over the canonical orders, outermost level first;
  // the innermost level's order changes no count.
  void choose_orders() {
    for (int l = 0; l < n_; ++l) set_order(l, 0);
    double best = evaluate();
    std::array<int, kMaxLevels> chosen{};
    for (int l = 0; l + 1 < n_ && !budget_hit_; ++l) {
      int distinct = 0;
      for (int d = 0; d < kMapDims; ++d) distinct += factors_[l][d] > 1;
      if (distinct < 2) continue;
      for (int order = 1; order < static_cast<int>(kOrders.size()) && !budget_hit_; ++order) {
        set_order(l, order);
        const double s = evaluate();
        if (s < best) {
          best = s;
          chosen[l] = order;
        }
      }
      set_order(l, chosen[l]);
    }
    keep(best);
  }

  void keep(double s) {
    if (static_cast<int>(best_.size()) == o_.keep_best && s >= best_.back().first) return;
    best_.emplace_back(s, Candidate{m_, axes_});
    std::sort(best_.begin(), best_.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    if (static_cast<int>(best_.size()) > o_.keep_best) best_.pop_back();
  }

  Mapping unflatten(const Candidate& c) const {
    Mapping m;
    m.levels.resize(n_);
    for (int l = 0; l < n_; ++l) {
      const FlatLevel& fl = c.flat.levels[l];
      LevelMapping& lm = m.levels[l];
      for (int i = 0; i < fl.loops; ++i) {
        lm.temporal.push_back({static_cast<MapDim>(fl.dims[i]), fl.bounds[i]});
      }
      for (int d = 0; d < kMapDims; ++d) {
        if (c.axes[l][0][d] > 1) lm.spatial_x.push_back({static_cast<MapDim>(d), c.axes[l][0][d]});
        if (c.axes[l][1][d] > 1) lm.spatial_y.push_back({static_cast<MapDim>(d), c.axes[l][1][d]});
      }
      lm.keeps = fl.keeps;
    }
    return m;
  }

  const Architecture& arch_;
  const MapProblem& p_;
  const SearchOptions& o_;
  int n_;
  FlatMapping m_{};
  std::array<std::array<int64_t, kMapDims>, kMaxLevels> factors_{};
  Axes axes_{};
  std::array<LevelCounts, kMaxLevels> counts_{};
  std::vector<std::pair<double, Candidate>> best_;
  int64_t evaluated_ = 0, pruned_ = 0;
  bool budget_hit_ = false;
};

}  // namespace

SearchResult search_mappings(const Architecture& arch, const MapProblem& problem,
                             const SearchOptions& options) {
  if (arch.levels.size() > static_cast<size_t>(kMaxLevels)) {
    throw_error(ErrorCode::kInvalidModel, arch.name + ": more than 8 levels");
  }
  validate(problem);
  if (options.keep_best < 1 || options.keep_best > 1000)
    throw_error(ErrorCode::kUsage,
                "--top " + std::to_string(options.keep_best) + " is not in [1, 1000]");
  if (options.max_evaluations < 1 || options.max_evaluations > int64_t{1} << 40)
    throw_error(ErrorCode::kUsage,
                "--budget " + std::to_string(options.max_evaluations) + " is not in [1, 2^40]");
  SearchResult r = Search(arch, problem, options).run();
  if (r.best.empty()) {
    throw_error(ErrorCode::kInvalidModel,
                problem.name + ": no mapping fits " + arch.name + "'s capacities");
  }
  return r;
}

}  // namespace reuselens
