// Mapping a layer onto a memory hierarchy with PE arrays: exact per-level
// access counts for a given mapping, and a mapper that searches for the best.
//
// An Architecture is an ordered list of storage levels, outermost (DRAM)
// first, each with a capacity, the tensors it keeps, per-access energies and
// a bandwidth, and a spatial fan-out (X x Y child instances) towards the next
// level; the innermost level feeds the MACs. A Mapping gives, per level, the
// temporal loop factors of the seven convolution dims (N, K, C, P, Q, R, S)
// in an order, the spatial factors over the fan-out, and which tensors the
// level keeps or bypasses. evaluate_mapping() counts, per level and tensor,
// reads (by the level's children), fills (from its parent), updates (partial
// sums written back), with the conventions Timeloop defines (docs/mapping.md):
//   - a level holds one tile per tensor; a step of a loop above it refetches
//     what the new tile lacks; inputs reuse the overlap of sliding windows;
//   - the innermost keeper of a tensor is read once per MAC; outputs are
//     updated once per MAC and read back except at the first update of each
//     element the level sees (reads = updates - partition size);
//   - children that need the same data are served by one read (multicast over
//     spatial loops irrelevant to the tensor); partial sums of the same output
//     are added on the way up (spatial reduction).
// The mapper (search_mappings) enumerates factorisations, spatial assignments
// and loop orders under the capacities.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "reuselens/ops.h"

namespace reuselens {

// The seven dims of a convolution layer (Timeloop's CNN problem shape).
enum class MapDim { kN, kK, kC, kP, kQ, kR, kS };
constexpr int kMapDims = 7;
const char* map_dim_name(MapDim d);  // "N", "K", ...

// The three tensors; names as Timeloop prints them.
enum class MapTensor { kWeights, kInputs, kOutputs };
constexpr int kMapTensors = 3;
const char* map_tensor_name(MapTensor t);  // "Weights", "Inputs", "Outputs"

// One layer: the loop nest's extents per dim, strides and dilations. Groups
// are independent problems: counts are per group, and totals multiply.
struct MapProblem {
  std::string name;
  std::array<int64_t, kMapDims> size{1, 1, 1, 1, 1, 1, 1};
  int64_t stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  int64_t groups = 1;
  int64_t macs() const;                    // per group
  int64_t tensor_size(MapTensor t) const;  // elements per group (inputs: the windows' span)
};
// Limits of a problem (validate): dims and groups 1..2^31, strides and
// dilations 1..2^16, and MACs x (stride_h + dilation_h) x (stride_w +
// dilation_w) at most 2^60, which bounds every count of every mapping.
constexpr int64_t kMaxMapDim = int64_t{1} << 31;
constexpr int64_t kMaxMapStride = int64_t{1} << 16;
constexpr int64_t kMaxMapWork = int64_t{1} << 60;
// Throws Error(kInvalidModel) naming the dim or field out of range.
void validate(const MapProblem& problem);
MapProblem map_problem_from_loop_nest(const LoopNest& nest, const std::string& name = "");
// "K=64,C=3,P=55,Q=55,R=11,S=11,stride=4": K, C, P, Q, R, S required; N
// (default 1), groups, stride, stride_h, stride_w, dilation, dilation_h,
// dilation_w optional; `dims_default_to_one` lets the others default to 1 (as
// Timeloop's problem files do). Errors: kUsage, naming the missing dims.
MapProblem parse_map_problem(const std::string& spec, bool dims_default_to_one = false);

struct StorageLevel {
  std::string name;
  // Words this level holds per instance: 0 for unbounded (DRAM); shared by
  // the tensors it keeps, or split per tensor (a PE's separate scratchpads).
  int64_t capacity = 0;
  std::array<int64_t, kMapTensors> tensor_capacity{0, 0, 0};  // all 0: shared
  std::array<bool, kMapTensors> keeps{true, true, true};
  double read_energy = 0, write_energy = 0;  // per word access, in the energy unit
  double bandwidth = 0;                      // words per cycle per instance; 0: unlimited
  // Child instances per instance of this level (X x Y), the dims each axis
  // may take, and whether the network multicasts and reduces.
  int64_t fanout_x = 1, fanout_y = 1;
  std::vector<MapDim> dims_x, dims_y;  // empty: any dim
  bool multicast = true;
  bool spatial_reduction = true;
};

struct Architecture {
  std::string name;
  std::string description;
  std::string source;  // where its figures come from
  std::string energy_unit = "pJ";
  int word_bits = 16;
  std::vector<StorageLevel> levels;  // outermost (DRAM) first
  double mac_energy = 0;
  int64_t instances(size_t level) const;  // instances of a level: fan-outs above it multiplied
  int64_t mac_instances() const;
};

std::vector<std::string> architecture_presets();
// A preset name or a JSON file (format: data/arch/README.md). Errors name
// the file and field: kIo, kParse, kInvalidModel, kUsage (unknown preset).
Architecture load_architecture(const std::string& preset_or_path);
Architecture parse_architecture_json(const std::string& text, const std::string& origin);

struct MapLoop {
  MapDim dim = MapDim::kN;
  int64_t bound = 1;
};

struct LevelMapping {
  std::vector<MapLoop> temporal;  // innermost first (Timeloop's permutation order)
  std::vector<MapLoop> spatial_x, spatial_y;
  std::array<bool, kMapTensors> keeps{true, true, true};
};

struct Mapping {
  std::vector<LevelMapping> levels;  // one per architecture level, outermost first
};

// Timeloop's mapping structure as JSON: a list of {"target", "type":
// "temporal"|"spatial"|"bypass", "factors": "K=4 C=2" or {"K": 4},
// "permutation": "CK" (innermost first), "split" (spatial: dims from this
// index of the permutation go to Y), "keep"/"bypass": [tensors]}. Dims and
// levels left out have factor 1. Errors: kParse, kInvalidModel naming the field.
Mapping parse_mapping_json(const std::string& text, const std::string& origin,
                           const Architecture& arch);
// The same from a file (kIo when it cannot be read).
Mapping load_mapping(const std::string& path, const Architecture& arch);
// The mapping as that JSON.
std::string mapping_to_json(const Mapping& mapping, const Architecture& arch);

// Throws Error(kInvalidModel) when the factors of a dim do not multiply to
// its size, a spatial assignment exceeds a fan-out or uses a dim the axis
// does not allow, or a tile exceeds a level's capacity.
void validate_mapping(const Mapping& mapping, const Architecture& arch, const MapProblem& problem);

// Which of Timeloop's conventions a count follows where the hardware could
// do otherwise: "timeloop" (a tile whose stride changes is refetched whole,
// strides taken from the first two iterations of each loop, as Timeloop's
// nest analysis) or "exact" (a tile reuses whatever it shares with the
// previous one, as an access-by-access execution does).
enum class ReuseConvention { kTimeloop, kExact };

struct TensorCounts {
  int64_t tile = 0;                           // words resident per instance ("utilized capacity")
  int64_t partition = 0;                      // distinct words one instance sees over the layer
  int64_t reads = 0, fills = 0, updates = 0;  // per instance
  bool kept = false;
};

struct LevelCounts {
  std::string name;
  int64_t instances = 1;
  int64_t utilized_instances = 1;
  std::array<TensorCounts, kMapTensors> tensors;
  // Toward the children: words sent per parent instance after multicast,
  // multicast factor, and partial sums added in the network (spatial reduction).
  std::array<int64_t, kMapTensors> multicast{1, 1, 1};
  int64_t spatial_reductions = 0;
  double energy = 0;  // every instance, every tensor
  double cycles = 0;  // accesses per instance over bandwidth
};

struct MappingResult {
  MapProblem problem;
  std::string architecture;
  std::vector<LevelCounts> levels;  // outermost first; every count is per group
  int64_t macs = 0;                 // all groups
  int64_t utilized_macs = 0;        // MAC instances the mapping uses
  double utilization = 0;           // of the architecture's MAC instances
  double mac_energy = 0;
  double energy = 0;  // total, all groups
  double compute_cycles = 0;
  double cycles = 0;           // max of compute and every level's bandwidth bound
  std::string bound_by;        // "compute" or a level's name
  int64_t dram_words() const;  // the outermost level's reads + updates, all groups
};

MappingResult evaluate_mapping(const Mapping& mapping, const Architecture& arch,
                               const MapProblem& problem,
                               ReuseConvention convention = ReuseConvention::kTimeloop);

// Executes the loop nest point by point, every level holding its tile as a
// set of coordinates, and counts the same quantities under the exact
// convention: the check on evaluate_mapping. Throws kUsage beyond `max_steps`
// loop iterations.
MappingResult simulate_mapping(const Mapping& mapping, const Architecture& arch,
                               const MapProblem& problem, int64_t max_steps = 20'000'000);

enum class MapObjective { kEnergy, kDelay, kEdp, kDram };
MapObjective map_objective_by_name(const std::string& name);  // energy, delay, edp, dram

struct SearchOptions {
  MapObjective objective = MapObjective::kEnergy;
  int keep_best = 5;
  int64_t max_evaluations = 50'000'000;  // a budget; the search reports whether it was hit
  ReuseConvention convention = ReuseConvention::kTimeloop;
};

struct SearchResult {
  std::vector<std::pair<Mapping, MappingResult>> best;  // best first
  int64_t evaluated = 0;                                // complete mappings evaluated
  int64_t pruned = 0;                                   // partial mappings cut by capacity
  bool exhaustive = true;                               // false when the budget cut the enumeration
  std::string method;                  // what was enumerated and what was heuristic
  int64_t compulsory_dram_words = 0;   // every tensor once
  int64_t lower_bound_dram_words = 0;  // Šíma et al.'s lower bound for the level below DRAM
  double seconds = 0;
};

SearchResult search_mappings(const Architecture& arch, const MapProblem& problem,
                             const SearchOptions& options = {});

// Every conv/FC layer of a network, each with its best mapping (layers of
// one shape searched once), on `threads` threads (0: the machine's cores).
struct LayerMapping {
  std::string layer, op_type;
  MapProblem problem;
  SearchResult search;  // best first; search.best.front() is the layer's
  bool shared = false;  // an earlier layer of the same shape was searched
};

struct NetworkMapping {
  std::string model;
  std::string architecture;
  std::vector<LayerMapping> layers;
  std::vector<std::pair<std::string, std::string>> skipped;  // layer, why (no MACs, no loop nest)
  int64_t macs = 0;
  double energy = 0, cycles = 0;
  int64_t dram_words = 0, compulsory_dram_words = 0, lower_bound_dram_words = 0;
  int64_t evaluated = 0;
  int searches = 0;  // distinct shapes searched
  bool exhaustive = true;
  double seconds = 0;
};

// `progress` (optional, called from the searching threads one at a time)
// hears (shapes searched, shapes in all, the layer).
NetworkMapping map_network(
    const Graph& graph, const Architecture& arch, const SearchOptions& options, int threads = 0,
    const std::function<void(int64_t, int64_t, const std::string&)>& progress = {});

}  // namespace reuselens
