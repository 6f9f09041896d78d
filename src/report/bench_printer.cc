// Bench results: the paper's Table 7 layout (reuse metrics, then I_t and
// P_avg per batch size) with confidence intervals, or records.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "report/json_records.h"
#include "report/text_table.h"
#include "reuselens/bench.h"
#include "reuselens/report.h"

namespace reuselens {

namespace {

using report::fixed;

nlohmann::json interval_json(const stats::MeanInterval& m) {
  return {{"mean", m.mean}, {"ci_half_width", m.half_width}, {"stddev", m.stddev}, {"n", m.n}};
}

nlohmann::json result_json(const BenchResult& r) {
  nlohmann::json j = {{"model", r.model},
                      {"spec", r.spec},
                      {"batch", r.batch},
                      {"device", r.device},
                      {"complete", r.complete},
                      {"failure", r.failure},
                      {"runtime", r.runtime},
                      {"executor", r.executor},
                      {"meter", r.meter},
                      {"period_s", r.period_s},
                      {"mc_per_image", r.mc_per_image},
                      {"coverage", r.coverage},
                      {"convention", r.convention},
                      {"pixels_per_image", r.pixels_per_image},
                      {"warmup",
                       {{"iterations", r.warmup_iterations},
                        {"seconds", r.warmup_s},
                        {"stable", r.warmup_stable},
                        {"criterion", r.stability_criterion}}},
                      {"date", r.date},
                      {"conditions_start", r.conditions_start},
                      {"conditions_end", r.conditions_end}};
  if (!r.complete) return j;
  j["inference_ms"] = interval_json(r.inference_ms);
  nlohmann::json repeats = nlohmann::json::array();
  for (const BenchRepeat& rep : r.repeats) {
    nlohmann::json x = {{"iterations", rep.iterations}, {"wall_s", rep.wall_s}};
    if (rep.energy) {
      x["energy_j"] = rep.energy->energy_j;
      x["integrated_j"] = rep.energy->integrated_j;
      x["from_counter"] = rep.energy->from_counter;
      x["avg_power_w"] = rep.energy->avg_power_w;
      x["peak_power_w"] = rep.energy->peak_power_w;
      x["samples"] = rep.energy->samples;
      x["sampler_cpu_s"] = rep.sampler_cpu_s;
    }
    repeats.push_back(x);
  }
  j["repeats"] = repeats;
  if (r.idle) j["idle_power_w"] = r.idle->avg_power_w;
  const std::pair<const char*, const std::optional<stats::MeanInterval>*> optional[] = {
      {"avg_power_w", &r.avg_power_w},
      {"energy_per_batch_j", &r.energy_per_batch_j},
      {"energy_above_idle_per_batch_j", &r.energy_above_idle_per_batch_j},
      {"energy_per_pixel_j", &r.energy_per_pixel_j},
      {"macs_per_joule", &r.macs_per_joule}};
  for (const auto& [key, value] : optional) {
    if (*value) j[key] = interval_json(**value);
  }
  if (r.integrated_vs_counter_pct) j["integrated_vs_counter_pct"] = *r.integrated_vs_counter_pct;
  if (!r.layers.empty()) {
    j["layer_iterations"] = r.layer_iterations;
    j["hardware"] = r.hardware;
    nlohmann::json layers = nlohmann::json::array();
    for (const LayerTiming& t : r.layers) {
      layers.push_back({{"name", t.name},
                        {"op_type", t.op_type},
                        {"counted", t.counted},
                        {"seconds", t.seconds},
                        {"share", t.share},
                        {"flops", t.flops},
                        {"bytes", t.bytes},
                        {"achieved_flops_per_s", t.achieved_flops_per_s},
                        {"bound", t.bound},
                        {"roofline_s", t.roofline_s}});
    }
    j["layers"] = layers;
  }
  return j;
}

// One repeat has no interval: the mean alone, not a misleading "± 0".
std::string plus_minus(const stats::MeanInterval& m, int decimals) {
  if (m.n < 2) return fixed(m.mean, decimals);
  return fixed(m.mean, decimals) + " ± " + fixed(m.half_width, decimals);
}

const BenchResult* find(const BenchSuite& s, const std::string& spec, int64_t batch) {
  for (const BenchResult& r : s.results)
    if (r.spec == spec && r.batch == batch && r.complete) return &r;
  return nullptr;
}

// The slowest layers of one network; all of them are in the JSON.
std::string render_layers(const BenchResult& r) {
  constexpr size_t kShown = 20;
  std::vector<const LayerTiming*> order;
  for (const LayerTiming& t : r.layers) order.push_back(&t);
  std::stable_sort(order.begin(), order.end(), [](const LayerTiming* a, const LayerTiming* b) {
    return a->seconds > b->seconds;
  });
  const bool roof = !r.hardware.empty();
  std::string out = fmt::format(
      "\nlayers of {} b{}: mean of {} inferences, device drained around each layer; FLOPs by "
      "the '{}' convention, bytes of float32 tensors{}; the {} slowest of {}\n",
      r.model, r.batch, r.layer_iterations, r.convention,
      roof ? fmt::format("; roofline: {} fp32", r.hardware) : std::string(),
      std::min(kShown, order.size()), order.size());
  std::vector<std::string> header = {"layer", "op", "ms", "share %", "GFLOP/s", "FLOP/B"};
  if (roof) header.insert(header.end(), {"bound", "roofline ms", "% of roofline"});
  report::TextTable t(header);
  double total = 0, bound_total = 0;
  for (const LayerTiming& l : r.layers) total += l.seconds, bound_total += l.roofline_s;
  for (size_t i = 0; i < order.size() && i < kShown; ++i) {
    const LayerTiming& l = *order[i];
    std::vector<std::string> row = {
        l.name,
        l.op_type,
        fixed(1000 * l.seconds, 3),
        fixed(100 * l.share, 1),
        l.counted ? fixed(l.achieved_flops_per_s / 1e9, 1) : "not counted",
        l.counted && l.bytes > 0
            ? fixed(static_cast<double>(l.flops) / static_cast<double>(l.bytes), 2)
            : "-"};
    if (roof) {
      row.push_back(l.bound.empty() ? "-" : l.bound);
      row.push_back(fixed(1000 * l.roofline_s, 4));
      row.push_back(l.seconds > 0 && l.roofline_s > 0 ? fixed(100 * l.roofline_s / l.seconds, 1)
                                                      : "-");
    }
    t.add_row(row);
  }
  out += t.render("ll");
  out += fmt::format("sum over layers: {:.3f} ms", 1000 * total);
  if (roof && total > 0) {
    out += fmt::format("; roofline bound {:.3f} ms = {:.1f} % of the measured time",
                       1000 * bound_total, 100 * bound_total / total);
  }
  return out + "\n";
}

std::string render_table(const BenchSuite& s) {
  std::string out = fmt::format("device: {}\nmeter: {}\n", s.label,
                                s.meter.empty() ? "none (time only)" : s.meter);
  std::vector<std::string> specs;
  std::set<int64_t> batch_set;
  for (const BenchResult& r : s.results) {
    if (std::find(specs.begin(), specs.end(), r.spec) == specs.end()) specs.push_back(r.spec);
    batch_set.insert(r.batch);
  }
  if (!s.analyses.empty()) {
    out += fmt::format(
        "convention: '{}' for Mc/W, Mc/A, AI_c, DI (alpha {:.2f}, batch 1) and MACs per joule\n",
        s.convention, s.analyses.begin()->second.options.alpha);
  }
  if (!s.results.empty()) {
    const BenchResult& first = s.results.front();
    out += fmt::format("runtime: {}\nexecutor: {}\n", first.runtime, first.executor);
    if (first.complete) {
      out += fmt::format(
          "method: {} repeat(s) per network after a warm-up until {} is stable (iterations and "
          "warm-up of each: --format json or csv); ± is the {:.0f} % t interval of the mean\n",
          first.repeats.size(), first.stability_criterion, 100 * first.inference_ms.level);
    }
  }
  std::vector<std::string> header = {"model", "Mc/W", "Mc/A", "AI_c", "DI"};
  for (int64_t b : batch_set) {
    header.push_back(fmt::format("b{} I_t ms", b));
    if (!s.meter.empty()) {
      header.push_back(fmt::format("b{} P_avg W", b));
      header.push_back(fmt::format("b{} mJ/image", b));
      header.push_back(fmt::format("b{} GMAC/J", b));
    }
  }
  report::TextTable t(header);
  for (const std::string& spec : specs) {
    const auto a = s.analyses.find(spec);
    const bool known = a != s.analyses.end();
    std::vector<std::string> row = {
        known ? a->second.model : spec, known ? fixed(a->second.total.mc_over_w, 2) : "",
        known ? fixed(a->second.total.mc_over_a, 2) : "",
        known ? fixed(a->second.total.ai_c, 2) : "", known ? fixed(a->second.total.di, 2) : ""};
    for (int64_t b : batch_set) {
      const BenchResult* r = find(s, spec, b);
      row.push_back(r ? plus_minus(r->inference_ms, 2) : "-");
      if (s.meter.empty()) continue;
      if (r && r->avg_power_w) {
        row.push_back(plus_minus(*r->avg_power_w, 1));
        row.push_back(fixed(1000 * r->energy_per_batch_j->mean / static_cast<double>(b), 2));
        row.push_back(fixed(r->macs_per_joule->mean / 1e9, 2));
      } else {
        row.insert(row.end(), {"-", "-", "-"});
      }
    }
    t.add_row(row);
  }
  out += t.render("l");
  for (const BenchResult& r : s.results) {
    if (!r.complete) out += fmt::format("FAILED {} b{}: {}\n", r.spec, r.batch, r.failure);
    if (r.complete && !r.fully_counted) {
      out += fmt::format("note: {} b{}: {}; Mc, and so MACs per joule, leaves them out\n", r.spec,
                         r.batch, r.coverage);
    }
    if (r.complete && !r.warmup_stable) {
      out += fmt::format("note: {} b{}: {} not stable after {:.1f} s of warm-up\n", r.spec, r.batch,
                         r.stability_criterion, r.warmup_s);
    }
    if (r.integrated_vs_counter_pct) {
      out += fmt::format("{} b{}: integrated power samples vs energy counter: {:+.2f} %\n", r.spec,
                         r.batch, *r.integrated_vs_counter_pct);
    }
  }
  if (!s.skipped.empty()) {
    out += fmt::format("skipped (already in the CSV): {}\n", fmt::join(s.skipped, ", "));
  }
  for (const BenchResult& r : s.results)
    if (r.complete && !r.layers.empty()) out += render_layers(r);
  return out;
}

}  // namespace

std::string render_bench(const BenchSuite& s, Format format) {
  if (format == Format::kJson) {
    nlohmann::json doc = report::document_header();
    doc["device"] = s.label;
    doc["meter"] = s.meter;
    doc["results"] = nlohmann::json::array();
    for (const BenchResult& r : s.results) doc["results"].push_back(result_json(r));
    doc["skipped"] = s.skipped;
    return doc.dump(2) + "\n";
  }
  if (format == Format::kCsv) {
    std::string out = bench_csv_header() + "\n";
    for (const BenchResult& r : s.results)
      if (r.complete) out += bench_csv_row(r, s.label) + "\n";
    return out;
  }
  return render_table(s);
}

}  // namespace reuselens
