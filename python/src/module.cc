// reuselens._core: the library's entry points for Python. Every result is
// the JSON document the CLI prints for the same inputs, as Python objects
// (dicts, lists, numbers), so that field names and values agree with it;
// reuselens/__init__.py wraps them. Errors become reuselens.Error subclasses
// named after the CLI's categories, carrying its exit code.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <nlohmann/json.hpp>
#include <unordered_map>

#include "report/json_records.h"
#include "reuselens/builder.h"
#include "reuselens/correlate.h"
#include "reuselens/reuselens.h"
#include "reuselens/version.h"

namespace py = pybind11;
using nlohmann::json;

namespace reuselens::python {

namespace {

// Field names repeat in every layer record: made once, interned, reused.
py::handle key_object(const std::string& key) {
  static std::unordered_map<std::string, py::object> keys;
  auto it = keys.find(key);
  if (it == keys.end()) {
    PyObject* s = PyUnicode_FromStringAndSize(key.data(), static_cast<Py_ssize_t>(key.size()));
    PyUnicode_InternInPlace(&s);
    it = keys.emplace(key, py::reinterpret_steal<py::object>(s)).first;
  }
  return it->second;
}

py::object to_python(const json& j) {
  switch (j.type()) {
    case json::value_t::object: {
      py::dict d;
      for (auto it = j.begin(); it != j.end(); ++it) {
        py::object value = to_python(it.value());
        PyDict_SetItem(d.ptr(), key_object(it.key()).ptr(), value.ptr());
      }
      return std::move(d);
    }
    case json::value_t::array: {
      py::list l(j.size());
      for (size_t i = 0; i < j.size(); ++i) l[i] = to_python(j[i]);
      return std::move(l);
    }
    case json::value_t::string:
      return py::str(j.get_ref<const std::string&>());
    case json::value_t::boolean:
      return py::bool_(j.get<bool>());
    case json::value_t::number_integer:
      return py::int_(j.get<int64_t>());
    case json::value_t::number_unsigned:
      return py::int_(j.get<uint64_t>());
    case json::value_t::number_float:
      return py::float_(j.get<double>());
    default:
      return py::none();
  }
}

py::object from_json_text(const std::string& text) { return to_python(json::parse(text)); }

std::vector<std::string> strings(const py::dict& o, const char* key) {
  if (!o.contains(key) || o[key].is_none()) return {};
  return o[key].cast<std::vector<std::string>>();
}

std::string text(const py::dict& o, const char* key, const std::string& fallback = "") {
  if (!o.contains(key) || o[key].is_none()) return fallback;
  return o[key].cast<std::string>();
}

template <typename T>
T number(const py::dict& o, const char* key, T fallback) {
  if (!o.contains(key) || o[key].is_none()) return fallback;
  return o[key].cast<T>();
}

// The Python keyword arguments, already in the CLI's text forms (the
// package turns dicts and tuples into "NAME=SHAPE" strings).
LoadOptions load_options(const py::dict& o) {
  InputRequest r;
  r.batch = number<int64_t>(o, "batch", 0);
  r.inputs = strings(o, "inputs");
  r.dims = strings(o, "dims");
  r.values = strings(o, "values");
  r.trip_counts = strings(o, "trip_counts");
  return load_options_from(r);
}

AnalysisOptions analysis_options(const py::dict& o) {
  AnalysisOptions a;
  a.convention = convention_by_name(text(o, "convention", "paper"));
  a.alpha = number<double>(o, "alpha", 0.8);
  apply_types({text(o, "dtype"), text(o, "weight_type"), text(o, "act_type"),
               number<int>(o, "weight_bits", 0), number<int>(o, "act_bits", 0)},
              a);
  LlmStepOptions& step = a.llm;
  step.phase = text(o, "phase");
  step.prompt = number<int64_t>(o, "prompt", 0);
  step.context = number<int64_t>(o, "context", 0);
  step.attention = text(o, "attention");
  step.logits = text(o, "logits");
  step.kv_type = text(o, "kv_type").empty() ? "" : number_type(text(o, "kv_type")).name;
  step.group_size = number<int64_t>(o, "group_size", -1);
  validate(a);
  return a;
}

// render_analysis's JSON document, without the text in between.
py::object analysis_document(const Analysis& a) {
  json doc = report::document_header();
  doc["convention"] = report::convention_json(a.options);
  doc["analysis"] = report::analysis_json(a, true);
  return to_python(doc);
}

py::object analyze_spec(const std::string& spec, const py::dict& load, const py::dict& options) {
  const LoadOptions l = load_options(load);
  const AnalysisOptions a = analysis_options(options);
  const std::string canonical = canonical_model_spec(spec);
  if (is_llm_spec(canonical)) {
    return from_json_text(render_llm_analysis(analyze_llm_model(canonical, l, a), Format::kJson));
  }
  return analysis_document(analyze_model(spec, l, a));
}

py::object analyze_onnx(const py::bytes& data, const std::string& origin, const py::dict& load,
                        const py::dict& options) {
  const Graph g = import_onnx_bytes(std::string(data), origin, load_options(load));
  return analysis_document(analyze(g, analysis_options(options)));
}

py::object analyze_graph(const Graph& g, const py::dict& options) {
  return analysis_document(analyze(g, analysis_options(options)));
}

py::object compare(const std::vector<std::string>& specs, const py::dict& load,
                   const py::dict& options, const std::string& sort) {
  return from_json_text(render_comparison(
      compare_models(specs, load_options(load), analysis_options(options), sort), Format::kJson));
}

py::object rank_specs(const std::vector<std::string>& specs, const py::dict& load,
                      const py::dict& options, double k) {
  const AnalysisOptions a = analysis_options(options);
  return from_json_text(
      render_ranking(rank_models(specs, load_options(load), a, k), k, a, Format::kJson));
}

py::object rank_graphs(const std::vector<const Graph*>& graphs, const py::dict& options, double k) {
  const AnalysisOptions a = analysis_options(options);
  std::vector<Analysis> analyses;
  for (const Graph* g : graphs) analyses.push_back(analyze(*g, a));
  return from_json_text(render_ranking(rank_analyses(analyses, k), k, a, Format::kJson));
}

// One model on a machine: (JSON document, layer chart SVG).
py::tuple roofline_spec(const std::string& spec, const std::string& hw_name,
                        const std::string& dtype, const std::string& level, const py::dict& load,
                        const py::dict& options) {
  const Hardware hw = load_hardware(hw_name);
  const AnalysisOptions a = analysis_options(options);
  const std::string canonical = canonical_model_spec(spec);
  if (is_llm_spec(canonical)) {
    const LlmAnalysis llm = analyze_llm_model(canonical, load_options(load), a);
    const LlmServing s = serve_llm(llm, hw, dtype, level);
    return py::make_tuple(from_json_text(render_llm_serving(llm, s, Format::kJson)),
                          render_layer_roofline_svg(s.roofline));
  }
  RooflineOptions r;
  r.analysis = a;
  r.dtype = dtype.empty() ? "fp32" : dtype;
  r.level = level;
  RooflineResult result = roofline(load_model(spec, load_options(load)), hw, r);
  result.analysis.model = model_display_name(spec, result.analysis.model);
  return py::make_tuple(from_json_text(render_roofline(result, Format::kJson)),
                        render_layer_roofline_svg(result));
}

py::object dataflow_spec(const std::string& spec, const std::string& layer, const py::dict& load,
                         const py::dict& o) {
  DataflowOptions d;
  if (o.contains("buffer") && !o["buffer"].is_none()) {
    d.buffer_bits = parse_buffer_bits(o["buffer"].cast<std::string>());
  }
  const std::string dtype = text(o, "dtype");
  if (!dtype.empty()) {
    d.bits = number_type(dtype).bits;
    d.mac_kind = number_type(dtype).integer ? "int" : "fp";
  }
  d.energy_table = text(o, "energy", d.energy_table);
  d.simulate = number<bool>(o, "simulate", false);
  const NetworkDataflow n = layer.empty() ? analyze_model_dataflow(spec, load_options(load), d)
                                          : analyze_single_layer_dataflow(layer, d);
  return from_json_text(render_dataflow({n}, Format::kJson));
}

py::tuple correlate_rows(const std::string& measurements, const std::vector<std::string>& models,
                         const py::dict& o) {
  CorrelateOptions c;
  c.analysis.convention = convention_by_name(text(o, "convention", "paper"));
  c.analysis.alpha = number<double>(o, "alpha", 0.8);
  validate(c.analysis);
  c.above_idle = number<bool>(o, "above_idle", false);
  c.mc_significant_digits = number<int>(o, "mc_digits", 0);
  const CorrelationReport report =
      correlate(filter_measurements(load_measurements(measurements), models), c);
  return py::make_tuple(from_json_text(render_correlation(report, Format::kJson, true)),
                        render_correlation_svg(report));
}

py::tuple llm_sweep(const std::string& spec, const std::string& range, const std::string& hw,
                    const std::string& dtype, const py::dict& load, const py::dict& options) {
  const AnalysisOptions a = analysis_options(options);
  const LoadOptions l = load_options(load);
  analyze_llm_model(spec, l, a);  // refuses what a config cannot take
  const LlmSweep s = sweep_llm(load_llm_config(spec), llm_workload(a.llm, l.batch), a, range,
                               load_hardware(hw), dtype);
  return py::make_tuple(from_json_text(render_llm_sweep(s, Format::kJson)),
                        render_llm_sweep_svg(s));
}

py::tuple map_search(const std::string& spec, const std::string& layer,
                     const std::string& arch_name, const py::dict& load, const py::dict& o) {
  const Architecture arch = load_architecture(arch_name);
  SearchOptions s;
  s.objective = map_objective_by_name(text(o, "objective", "energy"));
  s.keep_best = number<int>(o, "top", 5);
  if (number<int64_t>(o, "budget", 0) > 0) s.max_evaluations = number<int64_t>(o, "budget", 0);
  if (!layer.empty()) {
    const SearchResult r = search_mappings(arch, parse_map_problem(layer), s);
    return py::make_tuple(from_json_text(render_search(r, arch, Format::kJson)),
                          render_mapping_energy_svg({r.best.front().second}, arch, layer));
  }
  if (number<int64_t>(o, "budget", 0) <= 0) s.max_evaluations = 200'000;
  const NetworkMapping n =
      map_network(load_model(spec, load_options(load)), arch, s, number<int>(o, "threads", 0));
  std::vector<MappingResult> best;
  for (const LayerMapping& l : n.layers) best.push_back(l.search.best.front().second);
  return py::make_tuple(from_json_text(render_network_mapping(n, arch, Format::kJson)),
                        render_mapping_energy_svg(best, arch, n.model + " on " + arch.name));
}

ConvOptions conv_options(int64_t kernel, int64_t stride, int64_t pad, int64_t group,
                         int64_t dilation, bool bias, const std::string& name) {
  ConvOptions c;
  c.kernel = kernel;
  c.stride = stride;
  c.pad = pad;
  c.group = group;
  c.dilation = dilation;
  c.bias = bias;
  c.name = name;
  return c;
}

PoolOptions pool_options(int64_t kernel, int64_t stride, int64_t pad, bool ceil,
                         const std::string& name) {
  PoolOptions p;
  p.kernel = kernel;
  p.stride = stride;
  p.pad = pad;
  p.ceil = ceil;
  p.name = name;
  return p;
}

}  // namespace

}  // namespace reuselens::python

PYBIND11_MODULE(_core, m) {
  using namespace reuselens;
  using namespace reuselens::python;
  m.doc() = "reuselens's C++ core; use the reuselens package";

  // Error categories as exception classes, with the CLI's exit codes.
  static py::exception<Error> base(m, "Error");
  static std::map<int, py::object> classes;
  const std::vector<std::pair<ErrorCode, const char*>> categories = {
      {ErrorCode::kUsage, "UsageError"},
      {ErrorCode::kIo, "IoError"},
      {ErrorCode::kParse, "ParseError"},
      {ErrorCode::kInvalidModel, "ModelError"},
      {ErrorCode::kUnknownModel, "UnknownModelError"}};
  for (const auto& [code, name] : categories) {
    py::object cls = py::reinterpret_steal<py::object>(
        PyErr_NewException((std::string("reuselens._core.") + name).c_str(), base.ptr(), nullptr));
    cls.attr("exit_code") = static_cast<int>(code);
    m.attr(name) = cls;
    classes[static_cast<int>(code)] = cls;
  }
  base.attr("exit_code") = 1;
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      const auto it = classes.find(static_cast<int>(e.code()));
      PyErr_SetString(it != classes.end() ? it->second.ptr() : base.ptr(), e.message().c_str());
    }
  });

  py::class_<Graph>(m, "Graph")
      .def_readonly("name", &Graph::name)
      .def("__len__", [](const Graph& g) { return g.nodes().size(); })
      .def("layer_names", [](const Graph& g) {
        std::vector<std::string> names;
        for (const Node& n : g.nodes()) names.push_back(n.name);
        return names;
      });
  py::class_<Ref>(m, "Ref").def_readonly("index", &Ref::index);
  py::class_<GraphBuilder>(m, "GraphBuilder")
      .def(py::init<std::string, std::vector<int64_t>>(), py::arg("name"), py::arg("input_shape"))
      .def("input", &GraphBuilder::input)
      .def("shape", &GraphBuilder::shape)
      .def(
          "conv",
          [](GraphBuilder& b, Ref x, int64_t out, int64_t kernel, int64_t stride, int64_t pad,
             int64_t group, int64_t dilation, bool bias, const std::string& name) {
            return b.conv(x, out, conv_options(kernel, stride, pad, group, dilation, bias, name));
          },
          py::arg("x"), py::arg("out_channels"), py::arg("kernel") = 1, py::arg("stride") = 1,
          py::arg("pad") = 0, py::arg("group") = 1, py::arg("dilation") = 1, py::arg("bias") = true,
          py::arg("name") = "")
      .def("fc", &GraphBuilder::fc, py::arg("x"), py::arg("out_features"), py::arg("bias") = true,
           py::arg("name") = "")
      .def(
          "max_pool",
          [](GraphBuilder& b, Ref x, int64_t kernel, int64_t stride, int64_t pad, bool ceil,
             const std::string& name) {
            return b.max_pool(x, pool_options(kernel, stride, pad, ceil, name));
          },
          py::arg("x"), py::arg("kernel") = 2, py::arg("stride") = 2, py::arg("pad") = 0,
          py::arg("ceil") = true, py::arg("name") = "")
      .def(
          "avg_pool",
          [](GraphBuilder& b, Ref x, int64_t kernel, int64_t stride, int64_t pad, bool ceil,
             const std::string& name) {
            return b.avg_pool(x, pool_options(kernel, stride, pad, ceil, name));
          },
          py::arg("x"), py::arg("kernel") = 2, py::arg("stride") = 2, py::arg("pad") = 0,
          py::arg("ceil") = true, py::arg("name") = "")
      .def("global_avg_pool", &GraphBuilder::global_avg_pool, py::arg("x"), py::arg("name") = "")
      .def("relu", &GraphBuilder::relu, py::arg("x"), py::arg("name") = "",
           py::arg("in_place") = true)
      .def("batch_norm", &GraphBuilder::batch_norm, py::arg("x"), py::arg("name") = "",
           py::arg("in_place") = true)
      .def("scale", &GraphBuilder::scale, py::arg("x"), py::arg("bias") = true,
           py::arg("name") = "")
      .def("layer_norm", &GraphBuilder::layer_norm, py::arg("x"), py::arg("name") = "")
      .def("concat", &GraphBuilder::concat, py::arg("xs"), py::arg("name") = "")
      .def("add", &GraphBuilder::add, py::arg("xs"), py::arg("name") = "")
      .def("softmax", &GraphBuilder::softmax, py::arg("x"), py::arg("name") = "")
      .def("scope", &GraphBuilder::scope)
      .def("finish", &GraphBuilder::finish);

  m.def("analyze_spec", &analyze_spec);
  m.def("analyze_onnx", &analyze_onnx);
  m.def("analyze_graph", &analyze_graph);
  m.def("compare", &compare);
  m.def("rank_specs", &rank_specs);
  m.def("rank_graphs", &rank_graphs);
  m.def("roofline", &roofline_spec);
  m.def("dataflow", &dataflow_spec);
  m.def("correlate", &correlate_rows);
  m.def("llm_sweep", &llm_sweep);
  m.def("map_search", &map_search);
  m.def("zoo_names", [] {
    std::vector<std::string> names;
    for (const ZooEntry& e : zoo()) names.push_back(e.name);
    for (const LlmZooEntry& e : llm_zoo()) names.push_back(e.name);
    return names;
  });
  m.def("hardware_presets", &hardware_presets);
  m.def("architecture_presets", &architecture_presets);
  m.attr("__version__") = REUSELENS_VERSION;
}
