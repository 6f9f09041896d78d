// Hardware descriptions: one JSON parser for presets and user files.
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ir/files.h"
#include "ir/json_fields.h"
#include "reuselens/error.h"
#include "reuselens/roofline.h"

namespace reuselens {

const std::vector<std::pair<std::string, std::string>>& hardware_preset_files();  // generated

namespace {

const std::vector<std::string> kDtypes = {"fp64", "fp32", "tf32", "fp16",
                                          "bf16", "fp8",  "int8", "int4"};
const std::vector<std::string> kLevels = {"dram", "l2", "l1"};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

// {"value": V, "source": "..."}, V in [lo, hi].
double sourced_value(const JsonField& entry, double lo, double hi, std::string* source) {
  if (!entry.is_object()) entry.fail("expected {\"value\": ..., \"source\": ...}");
  entry.only({"value", "source"});
  *source = entry.text_or("source", "");
  return entry["value"].number(lo, hi);
}

}  // namespace

int dtype_bits(const std::string& dtype) { return number_type(dtype).bits; }

const PeakRate& Hardware::peak(const std::string& dtype) const {
  for (const PeakRate& p : peaks) {
    if (p.dtype == dtype) return p;
  }
  std::vector<std::string> have;
  for (const PeakRate& p : peaks) have.push_back(p.dtype);
  throw_error(ErrorCode::kUsage,
              name + " has no peak rate for " + dtype + " (it has: " + join(have) + ")");
}

const MemoryLevel& Hardware::level(const std::string& level_name) const {
  for (const MemoryLevel& l : levels) {
    if (l.name == level_name) return l;
  }
  std::vector<std::string> have;
  for (const MemoryLevel& l : levels) have.push_back(l.name);
  throw_error(ErrorCode::kUsage, name + " has no bandwidth for memory level " + level_name +
                                     " (it has: " + join(have) + ")");
}

double Hardware::ridge(const std::string& dtype, const std::string& level_name) const {
  return peak(dtype).ops_per_s / level(level_name).bytes_per_s;
}

// Ranges (data/hardware/README.md): peaks 1e-6 to 1e6 TFLOP/s, bandwidths
// 1e-3 to 1e6 GB/s, memory 1e-3 to 1e6 GiB: every real machine, and no
// ridge or time computed from them leaves a double's range.
Hardware parse_hardware_json(const std::string& text, const std::string& origin) {
  const nlohmann::json doc = parse_json_object(text, origin);
  const JsonField root(doc, origin);
  root.only(
      {"name", "description", "peak_tflops", "bandwidth_gbs", "cmr_flops_per_byte", "memory_gib"});
  Hardware hw;
  hw.origin = origin;
  hw.name = root["name"].text();
  hw.description = root.text_or("description", "");
  const JsonField peaks = root["peak_tflops"];
  if (!peaks.is_object() || peaks.value().empty()) {
    peaks.fail("missing: give at least fp32, in TFLOP/s");
  }
  for (const auto& [dtype, entry] : peaks.members()) {
    if (std::find(kDtypes.begin(), kDtypes.end(), dtype) == kDtypes.end()) {
      entry.fail("unknown data type (known: " + join(kDtypes) + ")");
    }
    PeakRate p;
    p.dtype = dtype;
    p.ops_per_s = sourced_value(entry, 1e-6, 1e6, &p.source) * 1e12;
    hw.peaks.push_back(p);
  }
  const JsonField bandwidth = root["bandwidth_gbs"];
  if (!bandwidth.has("dram")) {
    bandwidth["dram"].fail("missing: DRAM/HBM bandwidth in GB/s is required");
  }
  for (const auto& [level, entry] : bandwidth.members()) {
    if (std::find(kLevels.begin(), kLevels.end(), level) == kLevels.end()) {
      entry.fail("unknown memory level (known: " + join(kLevels) + ")");
    }
  }
  for (const std::string& level : kLevels) {  // dram first, then inwards
    if (!bandwidth.has(level)) continue;
    MemoryLevel l;
    l.name = level;
    l.bytes_per_s = sourced_value(bandwidth[level], 1e-3, 1e6, &l.source) * 1e9;
    hw.levels.push_back(l);
  }
  for (size_t i = 1; i < hw.levels.size(); ++i) {
    if (hw.levels[i].bytes_per_s < hw.levels[i - 1].bytes_per_s) {
      bandwidth[hw.levels[i].name].fail("is below " + hw.levels[i - 1].name +
                                        "'s: inner levels must not be slower");
    }
  }
  if (root.has("memory_gib")) {
    const double gib = sourced_value(root["memory_gib"], 1e-3, 1e6, &hw.memory_source);
    hw.memory_bytes = static_cast<int64_t>(std::llround(gib * 1073741824.0));
  }
  if (root.has("cmr_flops_per_byte")) {
    std::string source;
    const double stated = sourced_value(root["cmr_flops_per_byte"], 1e-9, 1e12, &source);
    const double computed = hw.ridge("fp32", "dram");
    if (std::abs(stated - computed) > 0.01 * computed) {
      root["cmr_flops_per_byte"].fail("states " + std::to_string(stated) +
                                      " but fp32 peak / DRAM bandwidth is " +
                                      std::to_string(computed));
    }
  }
  return hw;
}

std::vector<std::string> hardware_presets() {
  std::vector<std::string> names;
  for (const auto& [file, text] : hardware_preset_files())
    names.push_back(file.substr(0, file.size() - 5));
  return names;
}

Hardware load_hardware(const std::string& preset_or_path) {
  for (const auto& [file, text] : hardware_preset_files()) {
    if (file == preset_or_path + ".json") {
      Hardware hw = parse_hardware_json(text, "preset " + preset_or_path);
      hw.origin = "preset " + preset_or_path + " (data/hardware/" + file + ")";
      return hw;
    }
  }
  if (is_preset_name(preset_or_path)) {
    throw_error(ErrorCode::kUsage, "no hardware preset '" + preset_or_path +
                                       "' (presets: " + join(hardware_presets()) + ")");
  }
  return parse_hardware_json(read_text_file(preset_or_path), preset_or_path);
}

}  // namespace reuselens
