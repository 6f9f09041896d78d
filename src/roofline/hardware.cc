// Hardware descriptions: one JSON parser for presets and user files.
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ir/files.h"
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

[[noreturn]] void field_error(const std::string& origin, const std::string& field,
                              const std::string& what) {
  throw_error(ErrorCode::kInvalidModel, origin + ": field '" + field + "': " + what);
}

double positive_value(const nlohmann::json& entry, const std::string& origin,
                      const std::string& field, std::string* source) {
  if (!entry.is_object()) field_error(origin, field, "expected {\"value\": ..., \"source\": ...}");
  if (!entry.contains("value")) field_error(origin, field + ".value", "missing");
  const auto& v = entry["value"];
  if (!v.is_number() || !(v.get<double>() > 0) || !std::isfinite(v.get<double>())) {
    field_error(origin, field + ".value", "must be a positive number");
  }
  if (entry.contains("source")) {
    if (!entry["source"].is_string()) field_error(origin, field + ".source", "must be a string");
    *source = entry["source"].get<std::string>();
  }
  return v.get<double>();
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

Hardware parse_hardware_json(const std::string& text, const std::string& origin) {
  const nlohmann::json doc = parse_json_object(text, origin);
  Hardware hw;
  hw.origin = origin;
  if (!doc.contains("name") || !doc["name"].is_string())
    field_error(origin, "name", "missing or not a string");
  hw.name = doc["name"];
  if (doc.contains("description") && doc["description"].is_string())
    hw.description = doc["description"];
  for (const auto& [key, value] : doc.items()) {
    if (key != "name" && key != "description" && key != "peak_tflops" && key != "bandwidth_gbs" &&
        key != "cmr_flops_per_byte" && key != "memory_gib") {
      field_error(origin, key,
                  "unknown field (units belong in the field name: peak_tflops, bandwidth_gbs, "
                  "memory_gib)");
    }
  }
  if (!doc.contains("peak_tflops") || !doc["peak_tflops"].is_object() ||
      doc["peak_tflops"].empty()) {
    field_error(origin, "peak_tflops", "missing: give at least fp32, in TFLOP/s");
  }
  for (const auto& [dtype, entry] : doc["peak_tflops"].items()) {
    if (std::find(kDtypes.begin(), kDtypes.end(), dtype) == kDtypes.end()) {
      field_error(origin, "peak_tflops." + dtype,
                  "unknown data type (known: " + join(kDtypes) + ")");
    }
    PeakRate p;
    p.dtype = dtype;
    p.ops_per_s = positive_value(entry, origin, "peak_tflops." + dtype, &p.source) * 1e12;
    hw.peaks.push_back(p);
  }
  if (!doc.contains("bandwidth_gbs") || !doc["bandwidth_gbs"].is_object() ||
      !doc["bandwidth_gbs"].contains("dram")) {
    field_error(origin, "bandwidth_gbs.dram", "missing: DRAM/HBM bandwidth in GB/s is required");
  }
  for (const std::string& level : kLevels) {  // dram first, then inwards
    if (!doc["bandwidth_gbs"].contains(level)) continue;
    MemoryLevel l;
    l.name = level;
    l.bytes_per_s =
        positive_value(doc["bandwidth_gbs"][level], origin, "bandwidth_gbs." + level, &l.source) *
        1e9;
    hw.levels.push_back(l);
  }
  for (const auto& [level, entry] : doc["bandwidth_gbs"].items()) {
    if (std::find(kLevels.begin(), kLevels.end(), level) == kLevels.end()) {
      field_error(origin, "bandwidth_gbs." + level,
                  "unknown memory level (known: " + join(kLevels) + ")");
    }
  }
  for (size_t i = 1; i < hw.levels.size(); ++i) {
    if (hw.levels[i].bytes_per_s < hw.levels[i - 1].bytes_per_s) {
      field_error(origin, "bandwidth_gbs." + hw.levels[i].name,
                  "is below " + hw.levels[i - 1].name + "'s: inner levels must not be slower");
    }
  }
  if (doc.contains("memory_gib")) {
    const double gib = positive_value(doc["memory_gib"], origin, "memory_gib", &hw.memory_source);
    if (gib > 1e6) field_error(origin, "memory_gib.value", "is over a million GiB");
    hw.memory_bytes = static_cast<int64_t>(std::llround(gib * 1073741824.0));
  }
  if (doc.contains("cmr_flops_per_byte")) {
    std::string source;
    const double stated =
        positive_value(doc["cmr_flops_per_byte"], origin, "cmr_flops_per_byte", &source);
    const double computed = hw.ridge("fp32", "dram");
    if (std::abs(stated - computed) > 0.01 * computed) {
      field_error(origin, "cmr_flops_per_byte",
                  "states " + std::to_string(stated) + " but fp32 peak / DRAM bandwidth is " +
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
