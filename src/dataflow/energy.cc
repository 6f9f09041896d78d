// Per-access energy tables (data/energy/*.json) and layer energy.
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ir/files.h"
#include "ir/json_fields.h"
#include "reuselens/dataflow.h"
#include "reuselens/error.h"

namespace reuselens {

const std::vector<std::pair<std::string, std::string>>& energy_table_files();  // generated

namespace {

// Energies per access or operation, pJ: every technology lies in this range,
// and energy sums over 64-bit counts stay finite.
constexpr double kMinPj = 1e-6, kMaxPj = 1e6;

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

// Ranges (data/energy/README.md): energies 1e-6 to 1e6 pJ, array sizes 1 B
// to 1 PiB, increasing; widths 1 to 64 bits.
EnergyTable parse_energy_json(const std::string& text, const std::string& origin) {
  const nlohmann::json doc = parse_json_object(text, origin);
  const JsonField root(doc, origin);
  root.only({"name", "source", "description", "dram_pj_per_bit", "sram_pj_per_64bit", "ops"});
  EnergyTable t;
  t.name = root["name"].text();
  t.source = root.text_or("source", "");
  const JsonField dram = root["dram_pj_per_bit"];
  if (!dram.is_object()) dram.fail("expected {\"value\": pJ per bit, \"source\": ...}");
  t.dram_pj_per_bit = dram["value"].number(kMinPj, kMaxPj);
  const JsonField sram = root["sram_pj_per_64bit"];
  if (!sram.is_array() || sram.value().empty()) {
    sram.fail("expected a list of {\"bytes\", \"value\"} by array size");
  }
  for (const JsonField& e : sram.elements()) {
    const int64_t bytes = e["bytes"].integer(1, int64_t{1} << 50);
    if (!t.sram_pj_per_64bit.empty() && bytes <= t.sram_pj_per_64bit.back().first) {
      e["bytes"].fail("sizes must increase (the entry before is " +
                      std::to_string(t.sram_pj_per_64bit.back().first) + " bytes)");
    }
    t.sram_pj_per_64bit.emplace_back(bytes, e["value"].number(kMinPj, kMaxPj));
  }
  for (const JsonField& e : root["ops"].elements()) {
    EnergyTable::Op op;
    op.kind = e["kind"].text();
    if (op.kind != "int" && op.kind != "fp") e["kind"].fail("must be \"int\" or \"fp\"");
    op.bits = static_cast<int>(e["bits"].integer(1, 64));
    op.add_pj = e["add_pj"].number(kMinPj, kMaxPj);
    op.mult_pj = e["mult_pj"].number(kMinPj, kMaxPj);
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
