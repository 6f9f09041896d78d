// Per-access energy tables (data/energy/*.json) and layer energy.
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ir/files.h"
#include "reuselens/dataflow.h"
#include "reuselens/error.h"

namespace reuselens {

const std::vector<std::pair<std::string, std::string>>& energy_table_files();  // generated

namespace {

[[noreturn]] void field_error(const std::string& origin, const std::string& field,
                              const std::string& what) {
  throw_error(ErrorCode::kInvalidModel, origin + ": field '" + field + "': " + what);
}

double positive(const nlohmann::json& j, const std::string& key, const std::string& origin,
                const std::string& field) {
  if (!j.contains(key) || !j[key].is_number() || !(j[key].get<double>() > 0)) {
    field_error(origin, field, "missing or not a positive number");
  }
  return j[key].get<double>();
}

}  // namespace

double EnergyTable::sram_pj_per_bit(int64_t buffer_bytes) const {
  // Log-linear in the array size between the tabulated points, clamped at
  // the ends (smaller buffers cost no less than the smallest listed array).
  const auto& t = sram_pj_per_64bit;
  if (buffer_bytes <= t.front().first) return t.front().second / 64.0;
  if (buffer_bytes >= t.back().first) return t.back().second / 64.0;
  for (size_t i = 1; i < t.size(); ++i) {
    if (buffer_bytes <= t[i].first) {
      const double a = std::log(static_cast<double>(t[i - 1].first)),
                   b = std::log(static_cast<double>(t[i].first));
      const double f = (std::log(static_cast<double>(buffer_bytes)) - a) / (b - a);
      return (t[i - 1].second + f * (t[i].second - t[i - 1].second)) / 64.0;
    }
  }
  return t.back().second / 64.0;
}

double EnergyTable::mac_pj(const std::string& kind, int bits) const {
  for (const Op& op : ops) {
    if (op.kind == kind && op.bits == bits) return op.add_pj + op.mult_pj;
  }
  std::string have;
  for (const Op& op : ops) have += (have.empty() ? "" : ", ") + op.kind + std::to_string(op.bits);
  throw_error(ErrorCode::kUsage, "energy table " + name + " has no " + kind + std::to_string(bits) +
                                     " multiply-add (it has: " + have + ")");
}

EnergyTable parse_energy_json(const std::string& text, const std::string& origin) {
  const nlohmann::json doc = parse_json_object(text, origin);
  EnergyTable t;
  if (!doc.contains("name") || !doc["name"].is_string()) field_error(origin, "name", "missing");
  t.name = doc["name"];
  if (doc.contains("source") && doc["source"].is_string()) t.source = doc["source"];
  if (!doc.contains("dram_pj_per_bit") || !doc["dram_pj_per_bit"].is_object()) {
    field_error(origin, "dram_pj_per_bit", "missing: {\"value\": pJ per bit, \"source\": ...}");
  }
  t.dram_pj_per_bit = positive(doc["dram_pj_per_bit"], "value", origin, "dram_pj_per_bit.value");
  if (!doc.contains("sram_pj_per_64bit") || !doc["sram_pj_per_64bit"].is_array() ||
      doc["sram_pj_per_64bit"].empty()) {
    field_error(origin, "sram_pj_per_64bit",
                "missing: a list of {\"bytes\", \"value\"} by array size");
  }
  for (size_t i = 0; i < doc["sram_pj_per_64bit"].size(); ++i) {
    const auto& e = doc["sram_pj_per_64bit"][i];
    const std::string f = "sram_pj_per_64bit[" + std::to_string(i) + "]";
    const double bytes = positive(e, "bytes", origin, f + ".bytes");
    t.sram_pj_per_64bit.emplace_back(static_cast<int64_t>(bytes),
                                     positive(e, "value", origin, f + ".value"));
    if (i > 0 && t.sram_pj_per_64bit[i].first <= t.sram_pj_per_64bit[i - 1].first) {
      field_error(origin, f + ".bytes", "sizes must increase");
    }
  }
  if (!doc.contains("ops") || !doc["ops"].is_array()) field_error(origin, "ops", "missing");
  for (size_t i = 0; i < doc["ops"].size(); ++i) {
    const auto& e = doc["ops"][i];
    const std::string f = "ops[" + std::to_string(i) + "]";
    EnergyTable::Op op;
    if (!e.contains("kind") || !e["kind"].is_string() ||
        (e["kind"] != "int" && e["kind"] != "fp")) {
      field_error(origin, f + ".kind", "must be \"int\" or \"fp\"");
    }
    op.kind = e["kind"];
    op.bits = static_cast<int>(positive(e, "bits", origin, f + ".bits"));
    op.add_pj = positive(e, "add_pj", origin, f + ".add_pj");
    op.mult_pj = positive(e, "mult_pj", origin, f + ".mult_pj");
    t.ops.push_back(op);
  }
  return t;
}

EnergyTable load_energy_table(const std::string& preset_or_path) {
  for (const auto& [file, text] : energy_table_files()) {
    if (file == preset_or_path + ".json")
      return parse_energy_json(text, "energy table " + preset_or_path);
  }
  if (is_preset_name(preset_or_path)) {
    throw_error(ErrorCode::kUsage,
                "no energy table '" + preset_or_path + "' (built in: horowitz45)");
  }
  return parse_energy_json(read_text_file(preset_or_path), preset_or_path);
}

EnergyBreakdown layer_energy(const EnergyTable& table, const Traffic& traffic, int64_t macs,
                             int bits, int64_t buffer_bits, const std::string& mac_kind) {
  EnergyBreakdown e;
  const double dram = table.dram_pj_per_bit * bits;
  e.dram_input_pj = dram * static_cast<double>(traffic.input_reads);
  e.dram_weight_pj = dram * static_cast<double>(traffic.weight_reads);
  e.dram_output_pj = dram * static_cast<double>(traffic.output_reads + traffic.output_writes);
  // Each MAC reads an input and a weight and updates a partial sum in the buffer.
  e.buffer_pj = 3.0 * static_cast<double>(macs) * table.sram_pj_per_bit(buffer_bits / 8) * bits;
  e.compute_pj = static_cast<double>(macs) * table.mac_pj(mac_kind, bits);
  return e;
}

}  // namespace reuselens
