#include <memory>

#include "commands.h"
#include "common.h"
#include "output.h"
#include "progress.h"

namespace reuselens::cli {

namespace {

struct MapOptions {
  std::string model;
  std::string layer;  // --layer K=..,C=..
  std::string only;   // one layer of the model
  std::string arch = "eyeriss-like";
  std::string mapping;
  bool search = false;
  std::string objective = "energy";
  int top = 5;
  int64_t budget = 0;  // 0: the default for a layer or a network
  int threads = 0;
  std::string reuse = "timeloop";
  bool simulate = false;
  std::string svg;
  bool quiet = false;
  InputOptions inputs;
  CommonOptions common;
};

// The one layer the options name: --layer, or --only NAME of the model.
MapProblem one_layer(const MapOptions& o) {
  if (!o.layer.empty()) return parse_map_problem(o.layer);
  const Graph g = load_model(o.model, to_load_options(o.inputs));
  for (const Node& node : g.nodes()) {
    if (node.name != o.only) continue;
    const OpSchema* schema = builtin_ops().find(node.domain, node.op_type, g.opset);
    const OpCost cost = schema ? cost_node(*schema, g, node) : OpCost{};
    if (!cost.loop_nest) {
      throw_error(ErrorCode::kUsage, "layer '" + o.only + "' (" + node.op_type +
                                         ") is not a conv or FC layer: nothing to map");
    }
    return map_problem_from_loop_nest(*cost.loop_nest, node.name);
  }
  throw_error(ErrorCode::kUsage, "--only: " + o.model + " has no layer '" + o.only + "'");
}

void run_map(const MapOptions& o) {
  if (o.model.empty() == o.layer.empty()) {
    throw_error(ErrorCode::kUsage,
                "give a model (zoo:NAME, a file) or --layer K=..,C=.., not both");
  }
  if (!o.only.empty() && o.model.empty()) {
    throw_error(ErrorCode::kUsage, "--only picks a layer of a model; --layer gives one directly");
  }
  if (o.mapping.empty() == !o.search) {
    throw_error(ErrorCode::kUsage, "give --mapping FILE (count one mapping) or --search");
  }
  if (o.simulate && o.mapping.empty()) {
    throw_error(ErrorCode::kUsage, "--simulate executes a given --mapping");
  }
  if (!o.search && (o.budget || o.top != 5 || o.objective != "energy")) {
    throw_error(ErrorCode::kUsage, "--objective, --top and --budget steer --search");
  }
  const Architecture arch = load_architecture(o.arch);
  const Format format = format_by_name(o.common.format);
  const ReuseConvention convention =
      o.reuse == "exact" ? ReuseConvention::kExact : ReuseConvention::kTimeloop;
  const bool network = !o.model.empty() && o.only.empty();
  if (!o.mapping.empty()) {
    if (network) {
      throw_error(ErrorCode::kUsage, "a --mapping is for one layer: give --only NAME or --layer");
    }
    const MapProblem problem = one_layer(o);
    const Mapping m = load_mapping(o.mapping, arch);
    const MappingResult r = o.simulate ? simulate_mapping(m, arch, problem)
                                       : evaluate_mapping(m, arch, problem, convention);
    emit(o.common, render_mapping(r, m, arch, format));
    if (!o.svg.empty()) {
      emit_file(o.svg, render_mapping_energy_svg({r}, arch, problem.name + " on " + arch.name));
    }
    return;
  }
  SearchOptions s;
  s.objective = map_objective_by_name(o.objective);
  s.keep_best = o.top;
  s.convention = convention;
  if (o.budget) s.max_evaluations = o.budget;
  if (network) {
    if (!o.budget) s.max_evaluations = 200'000;
    Progress bar(o.quiet);
    const NetworkMapping n =
        map_network(load_model(o.model, to_load_options(o.inputs)), arch, s, o.threads,
                    [&bar](int64_t done, int64_t total, const std::string& layer) {
                      bar.update(done, total, layer);
                    });
    bar.finish();
    emit(o.common, render_network_mapping(n, arch, format));
    if (!o.svg.empty()) {
      std::vector<MappingResult> best;
      for (const LayerMapping& l : n.layers) best.push_back(l.search.best.front().second);
      emit_file(o.svg, render_mapping_energy_svg(best, arch, n.model + " on " + arch.name));
    }
    return;
  }
  const MapProblem problem = one_layer(o);
  const SearchResult r = search_mappings(arch, problem, s);
  emit(o.common, render_search(r, arch, format));
  if (!o.svg.empty()) {
    emit_file(o.svg, render_mapping_energy_svg({r.best.front().second}, arch,
                                               problem.name + " on " + arch.name));
  }
}

}  // namespace

void setup_map(CLI::App& app) {
  auto o = std::make_shared<MapOptions>();
  CLI::App* sub = app.add_subcommand(
      "map",
      "Per-level access counts of a layer mapped onto a memory hierarchy with PE arrays, or the "
      "best mappings a search finds (a layer, or every layer of a network)");
  sub->add_option("model", o->model, "zoo:NAME, .prototxt or .onnx (or give --layer)");
  sub->add_option(
      "--layer", o->layer,
      "One layer: K=64,C=3,P=55,Q=55,R=11,S=11,stride=4 (N, dilation, groups optional)");
  sub->add_option("--only", o->only, "The layer of the model to map, by name");
  std::string presets;
  for (const auto& n : architecture_presets()) presets += (presets.empty() ? "" : ", ") + n;
  sub->add_option("--arch", o->arch, "Architecture preset (" + presets + ") or a JSON file")
      ->capture_default_str();
  sub->add_option("--mapping", o->mapping,
                  "A mapping (JSON, Timeloop's structure) to count: docs/mapping.md");
  sub->add_flag("--search", o->search, "Search for the best mappings");
  sub->add_option("--objective", o->objective, "What --search minimises: energy, delay, edp, dram")
      ->check(CLI::IsMember({"energy", "delay", "edp", "dram"}))
      ->capture_default_str();
  sub->add_option("--top", o->top, "How many of the best mappings --search prints")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  sub->add_option("--budget", o->budget,
                  "Mappings --search may evaluate per layer (default 50,000,000 for a layer, "
                  "200,000 per layer of a network)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--threads", o->threads, "Threads for a network's layers (default: every core)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--reuse-convention", o->reuse,
                  "timeloop (a tile whose stride changes is refetched whole, as Timeloop) or "
                  "exact (what execution reuses)")
      ->check(CLI::IsMember({"timeloop", "exact"}))
      ->capture_default_str();
  sub->add_flag("--simulate", o->simulate,
                "Execute the --mapping access by access instead (exact convention)");
  sub->add_option("--svg", o->svg, "Draw energy per level and tensor")->check(writable_path());
  sub->add_flag("--quiet", o->quiet, "No progress bar on standard error (network searches)");
  add_input_options(*sub, o->inputs);
  add_common_options(*sub, o->common);
  sub->callback([o] { run_map(*o); });
}

}  // namespace reuselens::cli
