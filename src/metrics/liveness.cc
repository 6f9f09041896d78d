// Peak live activations: the concurrent activations of Jha & Mittal §2.3.
#include <vector>

#include "ir/checked.h"
#include "reuselens/metrics.h"

namespace reuselens {

namespace {
int storage_of(const Graph& graph, int tensor) {
  while (graph.tensor(tensor).aliases >= 0) tensor = graph.tensor(tensor).aliases;
  return tensor;
}
}  // namespace

int64_t peak_live_activations(const Graph& graph) {
  const int node_count = static_cast<int>(graph.nodes().size());
  const size_t tensor_count = graph.tensors().size();
  // Last node index that touches each storage; outputs live to the end.
  std::vector<int> last_use(tensor_count, -1);
  for (int i = 0; i < node_count; ++i) {
    const Node& node = graph.node(i);
    for (int t : node.inputs) last_use[storage_of(graph, t)] = i;
    for (int t : node.outputs) last_use[storage_of(graph, t)] = i;
  }
  for (int t : graph.outputs) last_use[storage_of(graph, t)] = node_count;

  std::vector<int64_t> size(tensor_count, 0);
  int64_t live = 0;
  for (int t : graph.inputs) {
    size[t] = element_count(graph.tensor(t).shape);
    live = checked_add(live, size[t], "live activations");
  }
  int64_t peak = live;
  std::vector<std::vector<int>> frees(node_count + 1);
  for (size_t t = 0; t < tensor_count; ++t) {
    if (last_use[t] >= 0) frees[last_use[t]].push_back(static_cast<int>(t));
  }
  for (int i = 0; i < node_count; ++i) {
    for (int t : graph.node(i).outputs) {
      if (graph.tensor(t).aliases >= 0) continue;  // writes over its input
      size[t] = element_count(graph.tensor(t).shape);
      live = checked_add(live, size[t], "live activations");
    }
    if (live > peak) peak = live;
    for (int t : frees[i]) live -= size[t];
  }
  return peak;
}

}  // namespace reuselens
