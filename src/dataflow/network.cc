// Dataflow analysis of every conv/FC layer of a network, and parameter sweeps.
#include <cmath>
#include <map>
#include <sstream>

#include "dataflow/tiles.h"
#include "ir/sweep_range.h"
#include "reuselens/dataflow.h"
#include "reuselens/error.h"
#include "reuselens/metrics.h"
#include "reuselens/model.h"
#include "reuselens/zoo.h"

namespace reuselens {

namespace {

void add(Traffic& into, const Traffic& t) {
  into.input_reads += t.input_reads;
  into.weight_reads += t.weight_reads;
  into.output_reads += t.output_reads;
  into.output_writes += t.output_writes;
}

void add(EnergyBreakdown& into, const EnergyBreakdown& e) {
  into.dram_input_pj += e.dram_input_pj;
  into.dram_weight_pj += e.dram_weight_pj;
  into.dram_output_pj += e.dram_output_pj;
  into.buffer_pj += e.buffer_pj;
  into.compute_pj += e.compute_pj;
}

DataflowChoice exact(const ConvProblem& x, const char* name, const Tiling& t,
                     int64_t buffer_words) {
  DataflowChoice d;
  d.name = name;
  d.tiling = t;
  d.traffic = tiling_traffic(x, t);
  d.buffer_words = tiling_buffer_words(x, t);
  d.fits = d.buffer_words <= buffer_words;
  return d;
}

}  // namespace

LayerDataflow analyze_layer_dataflow(const std::string& name, const ConvProblem& x,
                                     const DataflowOptions& o, const EnergyTable& table) {
  LayerDataflow l;
  l.name = name;
  l.problem = x;
  l.bounds = layer_bounds(x, o.buffer_bits, o.bits);
  const int64_t words = o.buffer_bits / o.bits;
  l.dataflows.push_back(exact(x, "write-once-outputs", write_once_outputs(x), words));
  l.dataflows.push_back(exact(x, "read-once-inputs", read_once_inputs(x), words));
  for (Stationary s : {Stationary::kOutput, Stationary::kWeight, Stationary::kInput}) {
    l.dataflows.push_back(best_tiling(x, s, words));
  }
  bool any = false;
  for (size_t i = 0; i < l.dataflows.size(); ++i) {
    const DataflowChoice& d = l.dataflows[i];
    if (!d.fits) continue;
    if (!any || d.traffic.total() < l.dataflows[l.best].traffic.total()) l.best = i;
    any = true;
  }
  if (!any) {  // nothing fits: the least-buffer choice, still flagged
    for (size_t i = 0; i < l.dataflows.size(); ++i) {
      if (l.dataflows[i].buffer_words < l.dataflows[l.best].buffer_words) l.best = i;
    }
  }
  if (o.simulate) {
    for (const DataflowChoice& d : l.dataflows) {
      l.simulated.push_back(simulate(x, d.tiling, o.policy, words));
    }
  }
  l.energy = layer_energy(table, l.dataflows[l.best].traffic, l.bounds.macs, o.bits, o.buffer_bits,
                          o.mac_kind);
  return l;
}

NetworkDataflow analyze_dataflow(const Graph& graph, const DataflowOptions& o) {
  NetworkDataflow n;
  n.model = graph.name;
  n.options = o;
  n.energy_table = load_energy_table(o.energy_table);
  n.energy_table.mac_pj(o.mac_kind, o.bits);  // fail early on a missing width
  for (const Node& node : graph.nodes()) {
    const OpSchema* schema = builtin_ops().find(node.domain, node.op_type);
    if (!schema || !is_mac_layer(schema->kind)) {
      ++n.skipped_layers;
      continue;
    }
    const OpCost cost = cost_node(*schema, graph, node);
    if (!cost.loop_nest) {
      n.unmodelled.push_back({node.name, node.op_type, "no loop nest (not a conv/FC layer)"});
      continue;
    }
    if (cost.loop_nest->n != 1 && node.op_type == "MatMul") {
      n.unmodelled.push_back({node.name, node.op_type,
                              "a matrix product of " + std::to_string(cost.loop_nest->n) +
                                  " rows (the dataflow model analyses one image)"});
      continue;
    }
    if (cost.loop_nest->n != 1) {
      throw_error(ErrorCode::kUsage,
                  "node '" + node.name + "': the dataflow model analyses one " +
                      "image; the input has N = " + std::to_string(cost.loop_nest->n));
    }
    ConvProblem problem;
    try {
      problem = problem_from_loop_nest(*cost.loop_nest);
    } catch (const Error& e) {
      n.unmodelled.push_back({node.name, node.op_type, e.message()});
      continue;
    }
    try {
      LayerDataflow l = analyze_layer_dataflow(node.name, problem, o, n.energy_table);
      l.op_type = node.op_type;
      n.macs += l.bounds.macs;
      n.lower_bound_words += l.bounds.lower_bound_words;
      add(n.compulsory, l.bounds.compulsory);
      add(n.best, l.dataflows[l.best].traffic);
      add(n.energy, l.energy);
      n.layers.push_back(std::move(l));
    } catch (const Error& e) {
      throw e.with_context("node '" + node.name + "' (" + node.op_type + ")");
    }
  }
  return n;
}

NetworkDataflow analyze_model_dataflow(const std::string& spec, const LoadOptions& load,
                                       const DataflowOptions& options) {
  const std::string canonical = canonical_model_spec(spec);
  NetworkDataflow result = analyze_dataflow(load_model(canonical, load), options);
  result.model = model_display_name(canonical, result.model);
  return result;
}

NetworkDataflow analyze_single_layer_dataflow(const std::string& layer,
                                              const DataflowOptions& options) {
  NetworkDataflow result;
  result.model = "layer " + layer;
  result.options = options;
  result.energy_table = load_energy_table(options.energy_table);
  result.energy_table.mac_pj(options.mac_kind, options.bits);  // fail early on a missing width
  LayerDataflow l =
      analyze_layer_dataflow("layer", parse_problem(layer), options, result.energy_table);
  result.macs = l.bounds.macs;
  result.lower_bound_words = l.bounds.lower_bound_words;
  result.compulsory = l.bounds.compulsory;
  result.best = l.dataflows[l.best].traffic;
  result.energy = l.energy;
  result.layers.push_back(std::move(l));
  return result;
}

namespace {

SweepRange parse_sweep(const std::string& text) {
  SweepRange s = parse_sweep_range(
      text, {"p", "q", "n", "r", "s", "buffer"}, [&text](const std::string& v) -> int64_t {
        if (text.rfind("buffer=", 0) == 0) return parse_buffer_bits(v);
        try {
          return std::stoll(v);
        } catch (const std::exception&) {
          throw_error(ErrorCode::kUsage, "--sweep: '" + v + "' is not a number");
        }
      });
  if (s.values.size() < 3) throw_error(ErrorCode::kUsage, "--sweep: fewer than 3 points to fit");
  return s;
}

void fit(const std::vector<double>& x, const std::vector<double>& y, double* slope,
         double* intercept, double* r2) {
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (size_t i = 0; i < x.size(); ++i) mx += x[i] / n, my += y[i] / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  *slope = sxx > 0 ? sxy / sxx : 0;
  *intercept = my - *slope * mx;
  *r2 = (sxx > 0 && syy > 0) ? sxy * sxy / (sxx * syy) : 1.0;
}

}  // namespace

DataflowSweep sweep_dataflow(const ConvProblem& base, const std::string& text,
                             const DataflowOptions& o) {
  const SweepRange range = parse_sweep(text);
  const EnergyTable table = load_energy_table(o.energy_table);
  DataflowSweep sweep;
  sweep.parameter = range.parameter;
  static const std::map<std::string, std::string> orders = {
      {"p", "O(p)"},   {"q", "O(q)"},    {"n", "O(n^2)"},
      {"r", "O(r^2)"}, {"s", "O(s^-2)"}, {"buffer", "O(B^-1/2)"}};
  sweep.order = orders.at(range.parameter);
  std::vector<double> xs, woo, best;
  for (int64_t v : range.values) {
    ConvProblem x = base;
    DataflowOptions opt = o;
    opt.simulate = false;
    double transformed = static_cast<double>(v);
    if (range.parameter == "p") x.k = v;
    if (range.parameter == "q") x.c = v;
    if (range.parameter == "n") x.h = x.w = v, transformed = static_cast<double>(v) * v;
    if (range.parameter == "r") {  // keeps "same" padding as the kernel grows
      x.r = x.s = v;
      x.pad_h = x.pad_w = (v - 1) / 2;
      transformed = static_cast<double>(v) * v;
    }
    if (range.parameter == "s")
      x.stride_h = x.stride_w = v, transformed = 1.0 / (static_cast<double>(v) * v);
    if (range.parameter == "buffer")
      opt.buffer_bits = v, transformed = 1.0 / std::sqrt(static_cast<double>(v / o.bits));
    try {
      validate_problem(x);
    } catch (const Error& e) {
      throw e.with_context("--sweep at " + range.parameter + "=" + std::to_string(v));
    }
    const std::string na = closed_forms_not_applicable(x);
    if (!na.empty()) {
      throw_error(ErrorCode::kUsage, "--sweep at " + range.parameter + "=" + std::to_string(v) +
                                         ": the write-once model it fits does not apply (" + na +
                                         ")");
    }
    const int64_t span_h = x.h + 2 * x.pad_h - x.r, span_w = x.w + 2 * x.pad_w - x.s;
    if (span_h < 0 || span_w < 0) {
      throw_error(ErrorCode::kUsage, "--sweep: at " + range.parameter + "=" + std::to_string(v) +
                                         " the kernel is larger than the padded input");
    }
    x.p = span_h / x.stride_h + 1;
    x.q = span_w / x.stride_w + 1;
    const LayerDataflow l = analyze_layer_dataflow("sweep", x, opt, table);
    DataflowSweepPoint pt;
    pt.value = v;
    pt.x = transformed;
    pt.woo_model = l.bounds.woo_model.total();
    pt.best = l.dataflows[l.best].traffic.total();
    pt.compulsory = l.bounds.compulsory.total();
    pt.lower_bound = l.bounds.lower_bound_words;
    sweep.points.push_back(pt);
    xs.push_back(transformed);
    woo.push_back(static_cast<double>(pt.woo_model));
    best.push_back(static_cast<double>(pt.best));
  }
  double slope = 0, intercept = 0;
  fit(xs, range.parameter == "buffer" ? best : woo, &sweep.slope, &sweep.intercept, &sweep.r2);
  fit(xs, best, &slope, &intercept, &sweep.best_r2);
  return sweep;
}

}  // namespace reuselens
