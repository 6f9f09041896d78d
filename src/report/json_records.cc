#include "report/json_records.h"

#include "reuselens/version.h"

namespace reuselens::report {

using nlohmann::json;

json document_header() { return {{"tool", "reuselens"}, {"version", REUSELENS_VERSION}}; }

json convention_json(const AnalysisOptions& options) {
  const Convention& c = options.convention;
  return {{"name", c.name},
          {"description", c.description},
          {"mc_elementwise", c.mc_elementwise},
          {"w_affine", c.w_affine},
          {"w_statistics", c.w_statistics},
          {"w_hyper", c.w_hyper},
          {"a_in_place", c.a_in_place},
          {"a_input", c.a_input},
          {"layer_a_inputs", c.layer_a_inputs},
          {"alpha", options.alpha},
          {"weight_type", options.weight_type},
          {"act_type", options.act_type},
          {"weight_bits", options.weight_bits()},
          {"act_bits", options.act_bits()},
          {"units",
           {{"mc", "multiply-accumulates"},
            {"w", "parameter elements"},
            {"a", "activation elements"},
            {"ai_c", "MACs per element"},
            {"flops_per_byte", "FLOP per byte"},
            {"bytes", "bytes"}}}};
}

json totals_json(const NetworkMetrics& t) {
  return {{"mc", t.mc},
          {"flops", t.flops},
          {"w", t.w},
          {"a", t.a},
          {"a_over_w", t.a_over_w},
          {"mc_over_w", t.mc_over_w},
          {"mc_over_a", t.mc_over_a},
          {"ai_c", t.ai_c},
          {"di", t.di},
          {"d_f", t.d_f},
          {"median_layer_ai", t.median_layer_ai},
          {"variance_layer_ai", t.variance_layer_ai},
          {"peak_live_activations", t.peak_live_activations},
          {"weight_bytes", t.weight_bytes},
          {"activation_bytes", t.activation_bytes},
          {"kv", t.kv},
          {"kv_bytes", t.kv_bytes},
          {"mc_per_byte", t.mc_per_byte},
          {"flops_per_byte", t.flops_per_byte}};
}

json layer_json(const LayerMetrics& l) {
  return {{"name", l.name},
          {"op", l.op_type},
          {"kind", l.kind},
          {"status", l.status == NodeStatus::kCounted ? "counted" : "unsupported"},
          {"output_shape", l.output_shape},
          {"in_place", l.in_place},
          {"repeats", l.repeats},
          {"macs", l.macs},
          {"flops", l.flops},
          {"weights", l.weights},
          {"input_activations", l.input_activations},
          {"output_activations", l.output_activations},
          {"arithmetic_intensity", l.arithmetic_intensity},
          {"weight_reuse", l.weight_reuse},
          {"activation_reuse", l.activation_reuse},
          {"kv_read", l.kv_read},
          {"kv_written", l.kv_written},
          {"bytes", l.bytes},
          {"flops_per_byte", l.flops_per_byte}};
}

json kinds_json(const Analysis& a) {
  json list = json::array();
  for (const KindTotals& k : a.by_kind) {
    list.push_back({{"kind", k.kind},
                    {"layers", k.layers},
                    {"weights", k.weights},
                    {"macs", k.macs},
                    {"flops", k.flops},
                    {"weight_share", k.weight_share},
                    {"mac_share", k.mac_share}});
  }
  return list;
}

json analysis_json(const Analysis& a, bool with_layers) {
  json unsupported = json::object();
  for (const auto& [op, n] : a.coverage.unsupported) unsupported[op] = n;
  json inputs = json::array();
  for (const auto& in : a.inputs) inputs.push_back({{"name", in.name}, {"shape", in.shape}});
  json out = {{"model", a.model},
              {"source", a.source},
              {"input_shape", a.input_shape},
              {"inputs", inputs},
              {"batch", a.batch},
              {"bytes_from_tensor_types", a.bytes_from_tensor_types},
              {"notes", a.notes},
              {"coverage",
               {{"counted", a.coverage.counted},
                {"total", a.coverage.total},
                {"unsupported", unsupported},
                {"summary", a.coverage.summary()}}},
              {"total", totals_json(a.total)},
              {"by_kind", kinds_json(a)}};
  if (with_layers) {
    json layers = json::array();
    for (const auto& l : a.layers) layers.push_back(layer_json(l));
    out["layers"] = std::move(layers);
  }
  return out;
}

}  // namespace reuselens::report
