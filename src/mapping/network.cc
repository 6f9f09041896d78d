// A network's conv/FC layers, each searched once per distinct shape, in
// parallel over the machine's cores.
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>

#include "reuselens/error.h"
#include "reuselens/graph.h"
#include "reuselens/mapping.h"
#include "reuselens/ops.h"

namespace reuselens {

namespace {

using ShapeKey = std::tuple<std::array<int64_t, kMapDims>, int64_t, int64_t, int64_t, int64_t>;

ShapeKey key_of(const MapProblem& p) {
  return {p.size, p.stride_h, p.stride_w, p.dilation_h * 1000 + p.dilation_w, p.groups};
}

}  // namespace

NetworkMapping map_network(
    const Graph& graph, const Architecture& arch, const SearchOptions& options, int threads,
    const std::function<void(int64_t, int64_t, const std::string&)>& progress) {
  const auto start = std::chrono::steady_clock::now();
  NetworkMapping n;
  n.model = graph.name;
  n.architecture = arch.name;
  std::map<ShapeKey, size_t> first_of_shape;  // -> index into n.layers
  std::vector<size_t> to_search;
  for (const Node& node : graph.nodes()) {
    const OpSchema* schema = builtin_ops().find(node.domain, node.op_type, graph.opset);
    if (!schema || !is_mac_layer(schema->kind)) continue;
    const OpCost cost = cost_node(*schema, graph, node);
    if (!cost.loop_nest) {
      n.skipped.push_back({node.name, "no loop nest (" + node.op_type + ")"});
      continue;
    }
    LayerMapping l;
    l.layer = node.name;
    l.op_type = node.op_type;
    l.problem = map_problem_from_loop_nest(*cost.loop_nest, node.name);
    // A loop body's layer runs `repeats` times: independent passes, as groups.
    l.problem.groups *= node.repeats;
    auto [it, fresh] = first_of_shape.try_emplace(key_of(l.problem), n.layers.size());
    l.shared = !fresh;
    if (fresh) to_search.push_back(n.layers.size());
    n.layers.push_back(std::move(l));
  }
  if (n.layers.empty()) {
    throw_error(ErrorCode::kUsage, graph.name + " has no conv or FC layer to map");
  }
  // Search the distinct shapes on a pool of threads.
  const int workers = std::max(
      1,
      std::min<int>(threads > 0 ? threads : static_cast<int>(std::thread::hardware_concurrency()),
                    static_cast<int>(to_search.size())));
  std::atomic<size_t> next{0};
  std::atomic<int64_t> finished{0};
  std::mutex failure_mutex, progress_mutex;
  std::string failure;
  ErrorCode failure_code = ErrorCode::kInvalidModel;
  std::vector<std::thread> pool;
  for (int w = 0; w < workers; ++w) {
    pool.emplace_back([&] {
      for (size_t i; (i = next++) < to_search.size();) {
        LayerMapping& l = n.layers[to_search[i]];
        try {
          l.search = search_mappings(arch, l.problem, options);
          if (progress) {
            std::lock_guard<std::mutex> lock(progress_mutex);
            progress(++finished, static_cast<int64_t>(to_search.size()), l.layer);
          }
        } catch (const Error& e) {
          std::lock_guard<std::mutex> lock(failure_mutex);
          if (failure.empty()) {
            failure = "layer '" + l.layer + "': " + e.message();
            failure_code = e.code();
          }
        }
      }
    });
  }
  for (std::thread& t : pool) t.join();
  if (!failure.empty()) throw_error(failure_code, failure);
  for (LayerMapping& l : n.layers) {
    if (l.shared) {
      const LayerMapping& first = n.layers[first_of_shape.at(key_of(l.problem))];
      const std::string name = l.layer;
      SearchResult copy = first.search;
      for (auto& [m, r] : copy.best) r.problem.name = name;
      l.search = std::move(copy);
    } else {
      n.evaluated += l.search.evaluated;
      ++n.searches;
      n.exhaustive = n.exhaustive && l.search.exhaustive;
    }
    const MappingResult& best = l.search.best.front().second;
    n.macs += best.macs;
    n.energy += best.energy;
    n.cycles += best.cycles;
    n.dram_words += best.dram_words();
    n.compulsory_dram_words += l.search.compulsory_dram_words;
    n.lower_bound_dram_words += l.search.lower_bound_dram_words;
  }
  n.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return n;
}

}  // namespace reuselens
