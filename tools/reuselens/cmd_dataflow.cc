#include <memory>

#include "commands.h"
#include "common.h"

namespace reuselens::cli {

void setup_dataflow(CLI::App& app) {
  struct Options {
    std::string model;
    std::string layer;
    std::string buffer = "64KiB";
    int bits = 16;
    std::string mac = "fp";
    std::string energy = "horowitz45";
    bool simulate = false;
    bool lru = false;
    std::string sweep;
    std::string svg;
    std::vector<std::string> input;
    CommonOptions common;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand(
      "dataflow",
      "DRAM traffic bounds, dataflows and energy of conv/FC layers for a buffer of B bits");
  sub->add_option("model", o->model, "zoo:NAME, .prototxt or .onnx (or use --layer)");
  sub->add_option("--layer", o->layer,
                  "One layer in the slides' notation, e.g. \"p=384,q=256,n=15,r=3,s=1,pad=1\"");
  sub->add_option("--buffer", o->buffer, "Buffer size with unit: bits (b) or bytes (B), k/Ki/M/Mi")
      ->capture_default_str();
  sub->add_option("--bits", o->bits, "Bits per word b: 8, 16 or 32")->capture_default_str();
  sub->add_option("--mac", o->mac, "Multiply-add type for energy: fp or int")
      ->capture_default_str();
  sub->add_option("--energy", o->energy, "Energy table: horowitz45 or a JSON file")
      ->capture_default_str();
  sub->add_flag("--simulate", o->simulate,
                "Also execute every dataflow access by access and compare");
  sub->add_flag("--lru", o->lru, "Simulate an LRU cache of B words instead of the explicit tiles");
  sub->add_option("--sweep", o->sweep,
                  "Sweep one parameter of --layer: p=16:512:x2, n=8:64:+8, r, s, buffer");
  sub->add_option("--svg", o->svg, "Draw the sweep as an SVG chart");
  sub->add_option("--input", o->input, "Input shape of the model NxCxHxW or CxHxW");
  add_common_options(*sub, o->common);
  sub->callback([o] {
    if (o->model.empty() == o->layer.empty())
      throw_error(ErrorCode::kUsage, "give either a model or --layer");
    if (o->bits != 8 && o->bits != 16 && o->bits != 32) {
      throw_error(ErrorCode::kUsage, "--bits " + std::to_string(o->bits) + " is not 8, 16 or 32");
    }
    if (o->mac != "fp" && o->mac != "int")
      throw_error(ErrorCode::kUsage, "--mac must be fp or int");
    DataflowOptions d;
    d.buffer_bits = parse_buffer_bits(o->buffer);
    d.bits = o->bits;
    d.mac_kind = o->mac;
    d.energy_table = o->energy;
    d.simulate = o->simulate || o->lru;
    d.policy = o->lru ? BufferPolicy::kLru : BufferPolicy::kExplicit;
    const Format format = format_by_name(o->common.format);
    if (!o->sweep.empty()) {
      if (o->layer.empty()) throw_error(ErrorCode::kUsage, "--sweep needs --layer");
      const DataflowSweep sweep = sweep_dataflow(parse_problem(o->layer), o->sweep, d);
      emit(o->common, render_dataflow_sweep(sweep, format));
      if (!o->svg.empty()) emit(CommonOptions{.output = o->svg}, render_dataflow_sweep_svg(sweep));
      return;
    }
    NetworkDataflow result;
    if (!o->layer.empty()) {
      result.model = "layer " + o->layer;
      result.options = d;
      result.energy_table = load_energy_table(d.energy_table);
      LayerDataflow l =
          analyze_layer_dataflow("layer", parse_problem(o->layer), d, result.energy_table);
      result.macs = l.bounds.macs;
      result.lower_bound_words = l.bounds.lower_bound_words;
      result.compulsory = l.bounds.compulsory;
      result.best = l.dataflows[l.best].traffic;
      result.energy = l.energy;
      result.layers.push_back(std::move(l));
    } else {
      CountingOptions counting;
      counting.input = o->input;
      result = analyze_dataflow(load_model(o->model, to_load_options(counting)), d);
      if (o->model.rfind("zoo:", 0) == 0) result.model = zoo_entry(o->model.substr(4)).display_name;
    }
    emit(o->common, render_dataflow(result, format));
  });
}

}  // namespace reuselens::cli
