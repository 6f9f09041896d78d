// Language-model steps: the component table with parameters and the KV
// cache, serving bounds on a machine, and batch/length sweeps (table, SVG).
#include <fmt/format.h>

#include <cmath>

#include "report/csv.h"
#include "report/json_records.h"
#include "report/provenance.h"
#include "report/svg_chart.h"
#include "report/text_table.h"
#include "reuselens/report.h"

namespace reuselens {

using report::fixed;
using report::with_commas;

namespace {

std::string ratio_cell(double v) { return v == 0.0 ? "-" : fixed(v, 2); }

// Rates: whole numbers with separators from 100 up, else 4 significant digits.
std::string rate_text(double v) {
  return v >= 100 ? with_commas(std::llround(v)) : fmt::format("{:.4g}", v);
}

std::string bytes_text(int64_t bytes) {
  const double b = static_cast<double>(bytes);
  if (b >= 1073741824.0) return fmt::format("{:.2f} GiB", b / 1073741824.0);
  if (b >= 1048576.0) return fmt::format("{:.2f} MiB", b / 1048576.0);
  if (b >= 1024.0) return fmt::format("{:.2f} KiB", b / 1024.0);
  return fmt::format("{} B", bytes);
}

std::string architecture_line(const LlmConfig& c) {
  std::string out = fmt::format(
      "{} ({}): {} layers, hidden {}, intermediate {}, {} heads, {} KV heads of {}, vocabulary {}",
      c.architecture, c.family, c.layers, c.hidden, c.intermediate, c.heads, c.kv_heads, c.head_dim,
      c.vocab);
  if (c.experts) out += fmt::format(", {} experts (top {})", c.experts, c.experts_per_token);
  return out;
}

std::string header(const LlmAnalysis& a) {
  const Analysis& g = a.analysis;
  std::string out = fmt::format("model: {}\nsource: {}\narchitecture: {}\n", g.model, g.source,
                                architecture_line(a.config));
  out += fmt::format("input: {} (batch {})\n", report::inputs_text(g), g.batch);
  out += fmt::format("convention: {} - {}\n", g.options.convention.name,
                     g.options.convention.description);
  out += fmt::format("alpha: {}  bytes: {}\n", g.options.alpha, report::precision_text(g));
  for (const auto& n : g.notes) out += "note: " + n + "\n";
  return out;
}

std::string parameter_lines(const LlmAnalysis& a) {
  const LlmParameters& p = a.params;
  report::TextTable t({"parameters", "count", "note"});
  t.add_row({"total", with_commas(p.total), "every stored parameter, a tied table once"});
  t.add_row({"embeddings", with_commas(p.embeddings),
             "token (position, type) tables: a lookup reads one row per token"});
  t.add_row({"non-embedding", with_commas(p.non_embedding), ""});
  if (a.config.experts) {
    t.add_row({"active per token", with_commas(p.active_per_token),
               fmt::format("shared weights + {} of {} experts", a.config.experts_per_token,
                           a.config.experts)});
    t.add_row({"experts", with_commas(p.experts_total), "every expert of every layer"});
  }
  t.add_row({"stored", bytes_text(a.stored_weight_bytes), a.weight_storage});
  return t.render("lrl");
}

std::string component_table(const LlmAnalysis& a) {
  report::TextTable t({"component", "op", "x", "MACs", "FLOPs", "weights", "act in", "act out",
                       "KV read", "KV write", "bytes", "AI", "Mc/W", "FLOP/B"});
  for (const LayerMetrics& l : a.analysis.layers) {
    t.add_row({l.name, l.op_type, std::to_string(l.repeats), with_commas(l.macs),
               with_commas(l.flops), with_commas(l.weights), with_commas(l.input_activations),
               with_commas(l.output_activations), with_commas(l.kv_read), with_commas(l.kv_written),
               with_commas(l.bytes), ratio_cell(l.arithmetic_intensity), ratio_cell(l.weight_reuse),
               ratio_cell(l.flops_per_byte)});
  }
  return t.render("lll") +
         "(each row: all x instances of the step; AI = MACs/(weights + out act + KV), elements)\n";
}

std::string summary_table(const LlmAnalysis& a) {
  const NetworkMetrics& t = a.analysis.total;
  const double alpha = a.analysis.options.alpha;
  report::TextTable s({"metric", "value", "unit"});
  s.add_row({"Mc", with_commas(t.mc), "MACs"});
  s.add_row({"FLOPs", with_commas(t.flops), "FLOP"});
  s.add_row({"W", with_commas(t.w), "weights read (elements)"});
  s.add_row({"A", with_commas(t.a), "activations written, and the token ids (elements)"});
  s.add_row({"KV", with_commas(t.kv), "KV-cache entries the step touches (elements)"});
  s.add_row({"Mc/W", fixed(t.mc_over_w, 2), "weight reuse, MACs per weight"});
  s.add_row({"Mc/A", fixed(t.mc_over_a, 2), "activation reuse, MACs per activation"});
  s.add_row({"Mc/(A+KV)", fixed(t.kv + t.a ? static_cast<double>(t.mc) / (t.a + t.kv) : 0, 2),
             "data reuse, MACs per activation or KV element"});
  s.add_row({"AI_c", fixed(t.ai_c, 2), "Mc/(W+A+KV), MACs per element"});
  s.add_row(
      {"DI", fixed(t.di, 2), fmt::format("(alpha*Mc/(A+KV) + (1-alpha)*Mc/W)/4, alpha={}", alpha)});
  s.add_row({"d_f", fixed(t.d_f, 2), "100*(AI_c-DI)/AI_c, percent"});
  const auto per_byte = [](int64_t mc, int64_t bytes) {
    return bytes ? static_cast<double>(mc) / static_cast<double>(bytes) : 0.0;
  };
  s.add_row({"AI_c per byte", fixed(t.mc_per_byte, 3),
             "Mc/(W bytes + A bytes + KV bytes), each class at its type"});
  s.add_row({"DI per byte",
             fixed(data_reuse_index(per_byte(t.mc, t.weight_bytes),
                                    per_byte(t.mc, t.activation_bytes + t.kv_bytes), alpha),
                   3),
             "DI over bytes: Mc/W bytes and Mc/(A+KV) bytes"});
  s.add_row({"weight bytes", with_commas(t.weight_bytes), "weights read, with quantisation data"});
  s.add_row({"activation bytes", with_commas(t.activation_bytes), a.workload.act_type});
  s.add_row({"KV read", with_commas(a.kv_read_bytes), "bytes, " + a.workload.kv_type});
  s.add_row({"KV written", with_commas(a.kv_written_bytes), "bytes, " + a.workload.kv_type});
  s.add_row({"bytes moved", with_commas(a.step_bytes),
             "every component's weights, inputs, outputs and KV, each once"});
  s.add_row({"KV cache", with_commas(a.kv_cache_bytes),
             fmt::format("bytes held after the step ({}), batch x length x layers",
                         bytes_text(a.kv_cache_bytes))});
  s.add_row({"KV per token", with_commas(a.kv_bytes_per_token), "bytes, K and V of every layer"});
  s.add_row({"FLOPs/byte", fixed(a.step_bytes ? static_cast<double>(t.flops) / a.step_bytes : 0, 2),
             "FLOP per byte moved"});
  return s.render("lrl");
}

nlohmann::json config_json(const LlmConfig& c) {
  return {{"name", c.name},
          {"display_name", c.display_name},
          {"source", c.source},
          {"architecture", c.architecture},
          {"family", c.family},
          {"vocab", c.vocab},
          {"hidden", c.hidden},
          {"intermediate", c.intermediate},
          {"layers", c.layers},
          {"heads", c.heads},
          {"kv_heads", c.kv_heads},
          {"head_dim", c.head_dim},
          {"experts", c.experts},
          {"experts_per_token", c.experts_per_token},
          {"sliding_window", c.sliding_window},
          {"sliding_layers", c.sliding_layers},
          {"tied_embeddings", c.tied_embeddings},
          {"encoder", c.encoder},
          {"torch_dtype", c.torch_dtype}};
}

nlohmann::json llm_json(const LlmAnalysis& a) {
  const LlmWorkload& w = a.workload;
  nlohmann::json components = nlohmann::json::array();
  for (const LlmComponent& x : a.components) {
    components.push_back({{"name", x.name},
                          {"op", x.op},
                          {"kind", x.kind},
                          {"count", x.count},
                          {"macs", x.macs},
                          {"flops", x.flops},
                          {"weights", x.weights},
                          {"weight_bytes", x.weight_bytes},
                          {"act_in", x.act_in},
                          {"act_out", x.act_out},
                          {"kv_read", x.kv_read},
                          {"kv_written", x.kv_written},
                          {"bytes", x.bytes}});
  }
  return {{"config", config_json(a.config)},
          {"step",
           {{"phase", llm_phase_name(w.phase)},
            {"batch", w.batch},
            {"prompt", w.prompt},
            {"context", w.context},
            {"attention", w.attention},
            {"logits", w.logits},
            {"weight_type", w.weight_type},
            {"kv_type", w.kv_type},
            {"act_type", w.act_type},
            {"group_size", w.group_size},
            {"weight_storage", a.weight_storage}}},
          {"parameters",
           {{"total", a.params.total},
            {"embeddings", a.params.embeddings},
            {"non_embedding", a.params.non_embedding},
            {"active_per_token", a.params.active_per_token},
            {"experts", a.params.experts_total}}},
          {"tokens", a.tokens},
          {"attended", a.attended},
          {"experts_read", a.experts_read},
          {"stored_weight_bytes", a.stored_weight_bytes},
          {"kv_cache_bytes", a.kv_cache_bytes},
          {"kv_bytes_per_token", a.kv_bytes_per_token},
          {"kv_read_bytes", a.kv_read_bytes},
          {"kv_written_bytes", a.kv_written_bytes},
          {"step_bytes", a.step_bytes},
          {"components", components}};
}

std::vector<std::string> step_columns() {
  return {"phase",       "prompt",  "context",  "attention", "logits",
          "weight_type", "kv_type", "act_type", "group_size"};
}

void add_step(report::Csv& csv, const LlmAnalysis& a) {
  const LlmWorkload& w = a.workload;
  csv.add(llm_phase_name(w.phase)).add(w.prompt).add(w.context).add(w.attention).add(w.logits);
  csv.add(w.weight_type).add(w.kv_type).add(w.act_type).add(w.group_size);
}

std::string llm_csv(const LlmAnalysis& a) {
  std::vector<std::string> columns = {
      "scope",  "model",   "component", "op",         "kind",  "count", "macs", "flops", "weights",
      "act_in", "act_out", "kv_read",   "kv_written", "bytes", "ai_c",  "di",   "params"};
  for (const auto& c : step_columns()) columns.push_back(c);
  columns.push_back("convention");
  columns.push_back("alpha");
  columns.push_back("batch");
  report::Csv csv(columns);
  const Analysis& g = a.analysis;
  const auto tail = [&] {
    add_step(csv, a);
    csv.add(g.options.convention.name).add(g.options.alpha).add(g.batch);
    csv.end_row();
  };
  for (const LayerMetrics& l : g.layers) {
    csv.add("component").add(g.model).add(l.name).add(l.op_type).add(l.kind).add(l.repeats);
    csv.add(l.macs).add(l.flops).add(l.weights).add(l.input_activations);
    csv.add(l.output_activations).add(l.kv_read).add(l.kv_written).add(l.bytes);
    csv.add(l.arithmetic_intensity).add("").add("");
    tail();
  }
  const NetworkMetrics& t = g.total;
  csv.add("model").add(g.model).add("").add("").add("").add("");
  csv.add(t.mc).add(t.flops).add(t.w).add("").add(t.a).add(t.kv).add("").add(a.step_bytes);
  csv.add(t.ai_c).add(t.di).add(a.params.total);
  tail();
  return csv.str();
}

}  // namespace

std::string render_llm_analysis(const LlmAnalysis& a, Format format) {
  if (format == Format::kJson) {
    nlohmann::json doc = report::document_header();
    doc["convention"] = report::convention_json(a.analysis.options);
    doc["llm"] = llm_json(a);
    doc["analysis"] = report::analysis_json(a.analysis, true);
    return doc.dump(2) + "\n";
  }
  if (format == Format::kCsv) return llm_csv(a);
  return header(a) + "\n" + parameter_lines(a) + "\n" + component_table(a) + "\n" +
         summary_table(a);
}

std::string render_llm_serving(const LlmAnalysis& a, const LlmServing& s, Format format) {
  const RooflineResult& r = s.roofline;
  const bool prefill = a.workload.phase == LlmPhase::kPrefill;
  if (format == Format::kJson) {
    nlohmann::json doc = nlohmann::json::parse(render_roofline(r, Format::kJson));
    doc["llm"] = llm_json(a);
    doc["serving"] = {{"step_time_s", s.step_time_s},
                      {"tokens_per_s", s.tokens_per_s},
                      {"ttft_s", prefill ? nlohmann::json(s.ttft_s) : nlohmann::json(nullptr)},
                      {"footprint_bytes", s.footprint_bytes},
                      {"memory_bytes", s.memory_bytes},
                      {"fits", s.fits},
                      {"max_batch", s.max_batch},
                      {"bound_note",
                       "lower bounds on time (upper on tokens/s): each component at "
                       "max(FLOPs/peak, bytes/bandwidth), summed"}};
    return doc.dump(2) + "\n";
  }
  if (format == Format::kCsv) {
    std::vector<std::string> columns = {
        "model",           "hardware",     "dtype", "step_time_s", "tokens_per_s", "ttft_s",
        "footprint_bytes", "memory_bytes", "fits",  "max_batch",   "batch"};
    for (const auto& c : step_columns()) columns.push_back(c);
    report::Csv csv(columns);
    csv.add(a.analysis.model).add(r.hardware.name).add(r.dtype).add(s.step_time_s);
    csv.add(s.tokens_per_s).add(prefill ? fmt::format("{}", s.ttft_s) : std::string());
    csv.add(s.footprint_bytes).add(s.memory_bytes).add(s.fits).add(s.max_batch);
    csv.add(a.workload.batch);
    add_step(csv, a);
    csv.end_row();
    return csv.str();
  }
  std::string out;
  for (const auto& n : a.analysis.notes) out += "note: " + n + "\n";
  out += render_roofline(r, Format::kTable);
  report::TextTable t({"serving", "value", "note"});
  t.add_row({"step time", fmt::format("{:.4g} ms", s.step_time_s * 1e3),
             "lower bound: each component at max(FLOPs/peak, bytes/bandwidth), summed"});
  if (prefill) {
    t.add_row({"time to first token", fmt::format("{:.4g} ms", s.ttft_s * 1e3),
               fmt::format("lower bound, prefill of {} tokens x batch {}", a.workload.prompt,
                           a.workload.batch)});
    t.add_row({"prefill tokens/s", rate_text(s.tokens_per_s), "upper bound"});
  } else {
    t.add_row({"decode tokens/s", rate_text(s.tokens_per_s),
               fmt::format("upper bound: batch {} / step time", a.workload.batch)});
    t.add_row({"per sequence", rate_text(s.tokens_per_s / a.workload.batch) + " tokens/s",
               "upper bound"});
  }
  t.add_row({"footprint", bytes_text(s.footprint_bytes),
             fmt::format("weights {} + KV cache {} (activation workspace not counted)",
                         bytes_text(a.stored_weight_bytes), bytes_text(a.kv_cache_bytes))});
  if (s.memory_bytes) {
    t.add_row({"device memory", bytes_text(s.memory_bytes),
               s.fits ? "fits" : "does NOT fit: more devices or a narrower type needed"});
    t.add_row({"largest batch", with_commas(s.max_batch),
               fmt::format("whose weights + KV cache fit at length {}",
                           prefill ? a.workload.prompt : a.workload.context)});
  } else {
    t.add_row({"device memory", "-", "the hardware description states no memory_gib"});
  }
  return out + "\n" + t.render("lrl");
}

std::string render_llm_sweep(const LlmSweep& sweep, Format format) {
  const LlmAnalysis& base = sweep.base;
  if (format == Format::kJson) {
    nlohmann::json doc = report::document_header();
    doc["llm"] = llm_json(base);
    nlohmann::json points = nlohmann::json::array();
    for (const LlmSweepPoint& p : sweep.points) {
      points.push_back({{"batch", p.batch},
                        {"length", p.length},
                        {"macs", p.macs},
                        {"flops", p.flops},
                        {"step_bytes", p.step_bytes},
                        {"intensity", p.intensity},
                        {"bound", bound_name(p.bound)},
                        {"step_time_s", p.step_time_s},
                        {"tokens_per_s", p.tokens_per_s},
                        {"kv_cache_bytes", p.kv_cache_bytes},
                        {"footprint_bytes", p.footprint_bytes},
                        {"fits", p.fits}});
    }
    doc["sweep"] = {{"parameter", sweep.parameter},
                    {"hardware", sweep.hardware.name},
                    {"dtype", sweep.dtype},
                    {"peak", sweep.peak},
                    {"bandwidth", sweep.bandwidth},
                    {"ridge", sweep.ridge},
                    {"ridge_crossing", sweep.ridge_crossing},
                    {"memory_bytes", sweep.hardware.memory_bytes},
                    {"points", points}};
    return doc.dump(2) + "\n";
  }
  if (format == Format::kCsv) {
    report::Csv csv({"model", "hardware", "dtype", "phase", "batch", "length", "macs", "flops",
                     "step_bytes", "intensity", "ridge", "bound", "step_time_s", "tokens_per_s",
                     "kv_cache_bytes", "footprint_bytes", "fits"});
    for (const LlmSweepPoint& p : sweep.points) {
      csv.add(base.analysis.model).add(sweep.hardware.name).add(sweep.dtype);
      csv.add(llm_phase_name(base.workload.phase)).add(p.batch).add(p.length).add(p.macs);
      csv.add(p.flops).add(p.step_bytes).add(p.intensity).add(sweep.ridge).add(bound_name(p.bound));
      csv.add(p.step_time_s).add(p.tokens_per_s).add(p.kv_cache_bytes).add(p.footprint_bytes);
      csv.add(p.fits);
      csv.end_row();
    }
    return csv.str();
  }
  std::string out = header(base);
  out += fmt::format(
      "hardware: {} ({}), {} peak {:.4g} TFLOP/s, DRAM {:.4g} GB/s, ridge {:.1f} "
      "FLOP/B{}\n",
      sweep.hardware.name, sweep.hardware.description, sweep.dtype, sweep.peak / 1e12,
      sweep.bandwidth / 1e9, sweep.ridge,
      sweep.hardware.memory_bytes ? ", memory " + bytes_text(sweep.hardware.memory_bytes) : "");
  const bool prefill = base.workload.phase == LlmPhase::kPrefill;
  report::TextTable t({"batch", prefill ? "prompt" : "context", "FLOP/B", "bound", "step ms",
                       prefill ? "tokens/s" : "decode tok/s", "KV cache", "footprint", "fits"});
  for (const LlmSweepPoint& p : sweep.points) {
    t.add_row({std::to_string(p.batch), std::to_string(p.length), fixed(p.intensity, 2),
               bound_name(p.bound), fmt::format("{:.4g}", p.step_time_s * 1e3),
               rate_text(p.tokens_per_s), bytes_text(p.kv_cache_bytes),
               bytes_text(p.footprint_bytes), p.fits ? "yes" : "no"});
  }
  out += "\n" + t.render("rr");
  out += sweep.ridge_crossing
             ? fmt::format("the step reaches the ridge ({:.1f} FLOP/B) at {} = {}\n", sweep.ridge,
                           sweep.parameter, sweep.ridge_crossing)
             : fmt::format(
                   "the step stays below the ridge ({:.1f} FLOP/B): memory-bound at every "
                   "point\n",
                   sweep.ridge);
  return out;
}

std::string render_llm_sweep_svg(const LlmSweep& sweep) {
  report::ChartSpec chart;
  const LlmAnalysis& base = sweep.base;
  chart.title = fmt::format("{} {} on {} ({}): intensity against the ridge", base.analysis.model,
                            llm_phase_name(base.workload.phase), sweep.hardware.name, sweep.dtype);
  chart.x_label = sweep.parameter;
  chart.y_label = "FLOP per byte moved in the step";
  chart.log_x = chart.log_y = true;
  chart.width = 860;
  chart.height = 520;
  report::ChartSeries fits{"fits memory", report::palette_color(0), {}, true, true, false};
  report::ChartSeries over{"exceeds memory", report::palette_color(1), {}, false, true, false};
  double lo = sweep.ridge, hi = sweep.ridge;
  for (const LlmSweepPoint& p : sweep.points) {
    const double x = static_cast<double>(sweep.parameter == "batch" ? p.batch : p.length);
    report::ChartPoint point{x, p.intensity,
                             fmt::format("{} {}: {:.3g} FLOP/B, {}-bound, {:.4g} tokens/s{}",
                                         sweep.parameter, x, p.intensity, bound_name(p.bound),
                                         p.tokens_per_s, p.fits ? "" : ", does not fit")};
    (p.fits ? fits : over).points.push_back(point);
    lo = std::min(lo, p.intensity);
    hi = std::max(hi, p.intensity);
  }
  chart.y_min = std::pow(10, std::floor(std::log10(std::max(lo, 1e-3))));
  chart.y_max = std::pow(10, std::ceil(std::log10(hi * 1.01)));
  const double x0 = static_cast<double>(sweep.parameter == "batch" ? sweep.points.front().batch
                                                                   : sweep.points.front().length);
  const double x1 = static_cast<double>(sweep.parameter == "batch" ? sweep.points.back().batch
                                                                   : sweep.points.back().length);
  chart.x_min = x0;
  chart.x_max = std::max(x1 * 1.3, x0 * 2);
  report::ChartSeries ridge{fmt::format("ridge {:.0f} FLOP/B", sweep.ridge),
                            "#000",
                            {{x0, sweep.ridge, "ridge"}, {chart.x_max, sweep.ridge, "ridge"}},
                            true,
                            false,
                            true};
  chart.series.push_back(ridge);
  chart.series.push_back(fits);
  if (!over.points.empty()) chart.series.push_back(over);
  if (sweep.ridge_crossing) {
    chart.markers.push_back(
        {static_cast<double>(sweep.ridge_crossing),
         fmt::format("compute-bound from {} = {}", sweep.parameter, sweep.ridge_crossing)});
  }
  return report::render_svg_chart(chart);
}

}  // namespace reuselens
