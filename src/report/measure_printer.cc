#include <fmt/format.h>

#include "report/csv.h"
#include "report/json_records.h"
#include "report/text_table.h"
#include "reuselens/report.h"

namespace reuselens {

namespace {

nlohmann::json summary_json(const EnergySummary& s) {
  return {{"duration_s", s.duration_s},        {"energy_j", s.energy_j},
          {"from_counter", s.from_counter},    {"avg_power_w", s.avg_power_w},
          {"peak_power_w", s.peak_power_w},    {"samples", s.samples},
          {"sample_rate_hz", s.sample_rate_hz}};
}

}  // namespace

std::string render_measurement(const MeasureResult& r, Format format) {
  if (format == Format::kJson) {
    nlohmann::json doc = report::document_header();
    doc["meter"] = r.meter;
    doc["complete"] = r.complete;
    doc["failure"] = r.failure;
    doc["exit_code"] = r.exit_code;
    doc["signal"] = r.signal;
    doc["wall_s"] = r.wall_s;
    doc["run"] = summary_json(r.run);
    doc["idle"] = summary_json(r.idle);
    doc["energy_above_idle_j"] = r.energy_above_idle_j;
    doc["sampler_cpu_s"] = r.sampler_cpu_s;
    doc["conditions_start"] = r.conditions_start;
    doc["conditions_end"] = r.conditions_end;
    return doc.dump(2) + "\n";
  }
  if (format == Format::kCsv) {
    report::Csv csv({"meter", "complete", "wall_s", "energy_j", "from_counter", "avg_power_w",
                     "peak_power_w", "idle_power_w", "energy_above_idle_j", "samples",
                     "sample_rate_hz", "sampler_cpu_s"});
    csv.add(r.meter).add(r.complete).add(r.wall_s).add(r.run.energy_j).add(r.run.from_counter);
    csv.add(r.run.avg_power_w).add(r.run.peak_power_w).add(r.idle.avg_power_w);
    csv.add(r.energy_above_idle_j).add(r.run.samples).add(r.run.sample_rate_hz);
    csv.add(r.sampler_cpu_s);
    csv.end_row();
    return csv.str();
  }
  std::string out = fmt::format("meter: {}\n", r.meter);
  out += r.complete ? "status: complete\n" : "status: FAILED - " + r.failure + "\n";
  report::TextTable t({"quantity", "value", "unit"});
  t.add_row({"wall time", fmt::format("{:.4f}", r.wall_s), "s"});
  t.add_row({"energy", fmt::format("{:.4f}", r.run.energy_j),
             r.run.from_counter ? "J (energy counter delta)" : "J (integrated power samples)"});
  t.add_row({"average power", fmt::format("{:.2f}", r.run.avg_power_w), "W"});
  t.add_row({"peak power", fmt::format("{:.2f}", r.run.peak_power_w), "W"});
  t.add_row({"idle power", fmt::format("{:.2f}", r.idle.avg_power_w),
             fmt::format("W, over {:.2f} s before the run", r.idle.duration_s)});
  t.add_row({"energy above idle", fmt::format("{:.4f}", r.energy_above_idle_j), "J"});
  t.add_row({"samples", std::to_string(r.run.samples),
             fmt::format("at {:.1f} Hz", r.run.sample_rate_hz)});
  t.add_row({"sampler CPU",
             fmt::format("{:.2f}", r.wall_s > 0 ? 100 * r.sampler_cpu_s / r.wall_s : 0),
             "% of one core during the run"});
  out += t.render("lrl");
  for (const auto& [when, conditions] :
       {std::pair{"start", &r.conditions_start}, std::pair{"end", &r.conditions_end}}) {
    for (const auto& [k, v] : *conditions) out += fmt::format("{} {}: {}\n", when, k, v);
  }
  return out;
}

}  // namespace reuselens
