#include <memory>

#include "commands.h"
#include "common.h"
#include "output.h"
#include "progress.h"

namespace reuselens::cli {

namespace {

struct DataflowCliOptions {
  std::vector<std::string> models;
  std::string shard;
  bool quiet = false;
  std::string layer;
  std::string buffer = "64KiB";
  std::string dtype = "fp16";
  std::string bits;  // deprecated --bits
  std::string mac = "auto";
  std::string energy = "horowitz45";
  bool simulate = false;
  bool lru = false;
  std::string sweep;
  std::string svg;
  InputOptions inputs;
  CommonOptions common;
};

DataflowOptions to_dataflow_options(const DataflowCliOptions& o) {
  if (o.models.empty() == o.layer.empty())
    throw_error(ErrorCode::kUsage, "give either a model or --layer");
  if (o.lru && !o.simulate)
    throw_error(ErrorCode::kUsage, "--lru chooses the simulator's buffer: give --simulate too");
  if (!o.svg.empty() && o.sweep.empty())
    throw_error(ErrorCode::kUsage, "--svg draws a sweep: give --sweep (and --layer)");
  if (!o.layer.empty() && (!o.inputs.input.empty() || !o.inputs.dims.empty()))
    throw_error(ErrorCode::kUsage, "--input and --dim shape a model, not --layer");
  const NumberType& type =
      number_type(o.bits.empty() ? o.dtype : number_type_for_bits(std::stoi(o.bits)).name);
  if (type.bits > 32) throw_error(ErrorCode::kUsage, "dataflow words are 8 to 32 bits");
  DataflowOptions d;
  d.buffer_bits = parse_buffer_bits(o.buffer);
  d.bits = type.bits;
  // The multiply-add follows the data type unless --mac names one.
  d.mac_kind = o.mac == "auto" ? (type.integer ? "int" : "fp") : o.mac;
  d.energy_table = o.energy;
  d.simulate = o.simulate;
  d.policy = o.lru ? BufferPolicy::kLru : BufferPolicy::kExplicit;
  return d;
}

}  // namespace

void setup_dataflow(CLI::App& app) {
  auto o = std::make_shared<DataflowCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "dataflow",
      "DRAM traffic bounds, dataflows and energy of conv/FC layers for a buffer of B bits");
  sub->add_option("models", o->models,
                  "zoo:NAME, zoo:all, .prototxt or .onnx files (or use --layer)");
  sub->add_option("--layer", o->layer,
                  "One layer in the slides' notation, e.g. \"p=384,q=256,n=15,r=3,s=1,pad=1\"");
  sub->add_option("--buffer", o->buffer,
                  "Buffer size with unit: bits (b) or bytes (B); k = 1000, Ki = 1024")
      ->capture_default_str();
  sub->add_option("--dtype", o->dtype,
                  "Word type: its width b and, with --mac auto, the multiply-add (int8 -> int)")
      ->capture_default_str();
  sub->add_option_function<int>(
         "--bits",
         [o](int bits) {
           warn("--bits is deprecated; use --dtype " + number_type_for_bits(bits).name);
           o->bits = std::to_string(bits);
         },
         "Deprecated: bits per word; use --dtype")
      ->group("Deprecated");
  sub->add_option("--mac", o->mac, "Multiply-add for energy: auto (from --dtype), fp or int")
      ->check(CLI::IsMember({"auto", "fp", "int"}))
      ->capture_default_str();
  sub->add_option("--energy", o->energy, "Energy table: horowitz45 or a JSON file")
      ->capture_default_str();
  sub->add_flag("--simulate", o->simulate,
                "Also execute every dataflow access by access and compare");
  sub->add_flag("--lru", o->lru,
                "With --simulate: an LRU cache of B words instead of the explicit tiles");
  sub->add_option("--sweep", o->sweep,
                  "Sweep one parameter of --layer: p=16:512:x2, n=8:64:+8, r, s, buffer");
  sub->add_option("--svg", o->svg, "With --sweep: draw the sweep as an SVG chart")
      ->check(writable_path());
  // One image: no --batch (an --input with N > 1 is refused when analysed).
  sub->add_option("--input", o->inputs.input, "Input shape of the model (N = 1), or NAME=SHAPE");
  sub->add_option("--dim", o->inputs.dims, "NAME=VALUE: a named symbolic input dimension");
  add_shard_option(*sub, o->shard, "models");
  sub->add_flag("--quiet", o->quiet, "No progress bar on standard error");
  add_common_options(*sub, o->common);
  sub->callback([o] {
    const DataflowOptions d = to_dataflow_options(*o);
    if (!o->shard.empty() && o->models.empty()) {
      throw_error(ErrorCode::kUsage, "--shard slices the models; --layer is one layer");
    }
    const Format format = format_by_name(o->common.format);
    if (!o->sweep.empty()) {
      if (o->layer.empty()) throw_error(ErrorCode::kUsage, "--sweep needs --layer");
      const DataflowSweep sweep = sweep_dataflow(parse_problem(o->layer), o->sweep, d);
      emit(o->common, render_dataflow_sweep(sweep, format));
      if (!o->svg.empty()) emit_file(o->svg, render_dataflow_sweep_svg(sweep));
      return;
    }
    if (!o->layer.empty()) {
      emit(o->common, render_dataflow({analyze_single_layer_dataflow(o->layer, d)}, format));
      return;
    }
    const LoadOptions load = to_load_options(o->inputs);
    std::vector<NetworkDataflow> results;
    std::vector<std::string> models = expand_model_specs(o->models);
    if (!o->shard.empty()) models = shard_items(models, parse_shard(o->shard));
    Progress bar(o->quiet);
    for (const std::string& spec : models) {
      bar.update(static_cast<int64_t>(results.size()), static_cast<int64_t>(models.size()), spec);
      try {
        results.push_back(analyze_model_dataflow(spec, load, d));
      } catch (const Error& e) {
        throw e.with_context(spec);
      }
    }
    emit(o->common, render_dataflow(results, format));
  });
}

}  // namespace reuselens::cli
