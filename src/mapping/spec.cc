// Architectures, mappings and layer shapes from JSON and text; validation.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ir/files.h"
#include "ir/parse.h"
#include "mapping/nest.h"
#include "reuselens/error.h"
#include "reuselens/mapping.h"

namespace reuselens {

const std::vector<std::pair<std::string, std::string>>& architecture_preset_files();  // generated

namespace {

using nlohmann::json;

[[noreturn]] void field_error(const std::string& origin, const std::string& field,
                              const std::string& what) {
  throw_error(ErrorCode::kInvalidModel, origin + ": field '" + field + "': " + what);
}

MapDim dim_by_name(const std::string& name, const std::string& origin, const std::string& field) {
  static const std::string names = "NKCPQRS";
  if (name.size() == 1) {
    const size_t i =
        names.find(static_cast<char>(std::toupper(static_cast<unsigned char>(name[0]))));
    if (i != std::string::npos) return static_cast<MapDim>(i);
  }
  field_error(origin, field, "'" + name + "' is not a dim (N, K, C, P, Q, R, S)");
}

MapTensor tensor_by_name(const std::string& name, const std::string& origin,
                         const std::string& field) {
  for (int t = 0; t < kMapTensors; ++t) {
    if (name == map_tensor_name(static_cast<MapTensor>(t))) return static_cast<MapTensor>(t);
  }
  field_error(origin, field, "'" + name + "' is not a tensor (Weights, Inputs, Outputs)");
}

double number(const json& j, const std::string& key, double fallback, const std::string& origin,
              const std::string& field) {
  if (!j.contains(key) || j[key].is_null()) return fallback;
  if (!j[key].is_number() || j[key].get<double>() < 0 || !std::isfinite(j[key].get<double>())) {
    field_error(origin, field + "." + key, "must be a non-negative number");
  }
  return j[key].get<double>();
}

int64_t count(const json& j, const std::string& key, int64_t fallback, const std::string& origin,
              const std::string& field) {
  if (!j.contains(key) || j[key].is_null()) return fallback;
  if (!j[key].is_number_integer() || j[key].get<int64_t>() < 0) {
    field_error(origin, field + "." + key, "must be a non-negative integer");
  }
  return j[key].get<int64_t>();
}

std::vector<MapDim> dims_list(const json& j, const std::string& key, const std::string& origin,
                              const std::string& field) {
  std::vector<MapDim> out;
  if (!j.contains(key)) return out;
  if (!j[key].is_array()) field_error(origin, field + "." + key, "must be a list of dims");
  for (const auto& d : j[key]) {
    if (!d.is_string()) field_error(origin, field + "." + key, "must be a list of dims");
    out.push_back(dim_by_name(d.get<std::string>(), origin, field + "." + key));
  }
  return out;
}

// "K=4 C=2", "R3 P1 K2" (Timeloop's two spellings) or {"K": 4}.
std::array<int64_t, kMapDims> factors_of(const json& j, const std::string& origin,
                                         const std::string& field) {
  std::array<int64_t, kMapDims> f{1, 1, 1, 1, 1, 1, 1};
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      if (!v.is_number_integer() || v.get<int64_t>() < 1)
        field_error(origin, field, k + " must be >= 1");
      f[static_cast<int>(dim_by_name(k, origin, field))] = v.get<int64_t>();
    }
    return f;
  }
  if (!j.is_string()) field_error(origin, field, "expected \"K=4 C=2\" or {\"K\": 4}");
  std::stringstream ss(j.get<std::string>());
  for (std::string item; ss >> item;) {
    const size_t eq = item.find('=');
    const std::string name = item.substr(0, eq == std::string::npos ? 1 : eq);
    const std::optional<int64_t> v =
        parse_integer(item.substr(eq == std::string::npos ? 1 : eq + 1));
    if (!v || *v < 1) {
      field_error(origin, field, "'" + item + "' is not DIM=FACTOR with FACTOR >= 1");
    }
    f[static_cast<int>(dim_by_name(name, origin, field))] = *v;
  }
  return f;
}

std::string permutation_of(const json& entry, const std::string& origin, const std::string& field) {
  if (!entry.contains("permutation")) return "";
  if (!entry["permutation"].is_string()) field_error(origin, field, "must be a string of dims");
  std::string out;
  for (char c : entry["permutation"].get<std::string>()) {
    if (c == ' ') continue;
    dim_by_name(std::string(1, c), origin, field);
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

// Dims in `permutation` order, then the rest in N K C P Q R S order.
std::vector<MapDim> ordered_dims(const std::string& permutation) {
  std::vector<MapDim> out;
  static const std::string names = "NKCPQRS";
  for (char c : permutation) {
    const MapDim d = static_cast<MapDim>(names.find(c));
    if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
  }
  for (int d = 0; d < kMapDims; ++d) {
    if (std::find(out.begin(), out.end(), static_cast<MapDim>(d)) == out.end()) {
      out.push_back(static_cast<MapDim>(d));
    }
  }
  return out;
}

}  // namespace

Architecture parse_architecture_json(const std::string& text, const std::string& origin) {
  const json doc = parse_json_object(text, origin);
  Architecture a;
  if (!doc.contains("name") || !doc["name"].is_string()) field_error(origin, "name", "missing");
  a.name = doc["name"];
  if (doc.contains("description")) a.description = doc["description"].get<std::string>();
  if (doc.contains("source")) a.source = doc["source"].get<std::string>();
  if (doc.contains("energy_unit")) a.energy_unit = doc["energy_unit"].get<std::string>();
  a.word_bits = static_cast<int>(count(doc, "word_bits", 16, origin, "word_bits"));
  if (!doc.contains("levels") || !doc["levels"].is_array() || doc["levels"].empty()) {
    field_error(origin, "levels", "missing: storage levels, outermost (DRAM) first");
  }
  if (doc["levels"].size() > static_cast<size_t>(mapping::kMaxLevels)) {
    field_error(origin, "levels", "more than 8 levels");
  }
  for (size_t i = 0; i < doc["levels"].size(); ++i) {
    const json& j = doc["levels"][i];
    const std::string field = "levels[" + std::to_string(i) + "]";
    if (!j.is_object() || !j.contains("name") || !j["name"].is_string()) {
      field_error(origin, field + ".name", "missing");
    }
    StorageLevel l;
    l.name = j["name"];
    if (j.contains("capacity_words") && j["capacity_words"].is_object()) {
      for (const auto& [t, v] : j["capacity_words"].items()) {
        if (!v.is_number_integer() || v.get<int64_t>() < 1) {
          field_error(origin, field + ".capacity_words." + t, "must be >= 1");
        }
        l.tensor_capacity[static_cast<int>(tensor_by_name(t, origin, field + ".capacity_words"))] =
            v.get<int64_t>();
      }
    } else {
      l.capacity = count(j, "capacity_words", 0, origin, field);
    }
    if (j.contains("keeps")) {
      l.keeps = {false, false, false};
      for (const auto& t : j["keeps"]) {
        l.keeps[static_cast<int>(tensor_by_name(t.get<std::string>(), origin, field + ".keeps"))] =
            true;
      }
    }
    l.read_energy = number(j, "read_energy", 0, origin, field);
    l.write_energy = number(j, "write_energy", l.read_energy, origin, field);
    l.bandwidth = number(j, "bandwidth_words_per_cycle", 0, origin, field);
    l.fanout_x = std::max<int64_t>(1, count(j, "fanout_x", 1, origin, field));
    l.fanout_y = std::max<int64_t>(1, count(j, "fanout_y", 1, origin, field));
    l.dims_x = dims_list(j, "dims_x", origin, field);
    l.dims_y = dims_list(j, "dims_y", origin, field);
    if (j.contains("multicast")) l.multicast = j["multicast"].get<bool>();
    if (j.contains("spatial_reduction")) l.spatial_reduction = j["spatial_reduction"].get<bool>();
    a.levels.push_back(std::move(l));
  }
  if (a.levels.front().keeps != std::array<bool, kMapTensors>{true, true, true}) {
    field_error(origin, "levels[0].keeps", "the outermost level must keep every tensor");
  }
  a.mac_energy = number(doc, "mac_energy", 0, origin, "mac_energy");
  return a;
}

std::vector<std::string> architecture_presets() {
  std::vector<std::string> names;
  for (const auto& [file, text] : architecture_preset_files()) {
    if (file.size() > 5 && file.substr(file.size() - 5) == ".json") {
      names.push_back(file.substr(0, file.size() - 5));
    }
  }
  return names;
}

Architecture load_architecture(const std::string& preset_or_path) {
  for (const auto& [file, text] : architecture_preset_files()) {
    if (file == preset_or_path + ".json") {
      return parse_architecture_json(text, "preset " + preset_or_path);
    }
  }
  if (is_preset_name(preset_or_path)) {
    std::string names;
    for (const auto& n : architecture_presets()) names += (names.empty() ? "" : ", ") + n;
    throw_error(ErrorCode::kUsage,
                "no architecture preset '" + preset_or_path + "' (presets: " + names + ")");
  }
  return parse_architecture_json(read_text_file(preset_or_path), preset_or_path);
}

Mapping parse_mapping_json(const std::string& text, const std::string& origin,
                           const Architecture& arch) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    throw_error(ErrorCode::kParse,
                origin + ": not valid JSON (byte " + std::to_string(e.byte) + ")");
  }
  if (doc.is_object() && doc.contains("mapping")) doc = doc["mapping"];
  if (!doc.is_array()) field_error(origin, "mapping", "expected a list of {target, type, ...}");
  Mapping m;
  m.levels.resize(arch.levels.size());
  for (size_t l = 0; l < arch.levels.size(); ++l) m.levels[l].keeps = arch.levels[l].keeps;
  for (size_t i = 0; i < doc.size(); ++i) {
    const json& e = doc[i];
    const std::string field = "mapping[" + std::to_string(i) + "]";
    if (!e.is_object() || !e.contains("target") || !e["target"].is_string()) {
      field_error(origin, field + ".target", "missing");
    }
    const std::string target = e["target"];
    size_t level = arch.levels.size();
    for (size_t l = 0; l < arch.levels.size(); ++l) {
      if (arch.levels[l].name == target) level = l;
    }
    if (level == arch.levels.size()) {
      std::string names;
      for (const auto& l : arch.levels) names += (names.empty() ? "" : ", ") + l.name;
      field_error(origin, field + ".target",
                  "'" + target + "' is not a level of " + arch.name + " (" + names + ")");
    }
    const std::string type = e.contains("type") ? e["type"].get<std::string>() : "temporal";
    LevelMapping& lm = m.levels[level];
    if (type == "bypass" || type == "datatype") {
      for (const char* key : {"keep", "bypass"}) {
        if (!e.contains(key)) continue;
        for (const auto& t : e[key]) {
          const MapTensor tensor = tensor_by_name(t.get<std::string>(), origin, field + "." + key);
          lm.keeps[static_cast<int>(tensor)] = std::string(key) == "keep";
        }
      }
      continue;
    }
    if (type != "temporal" && type != "spatial") {
      field_error(origin, field + ".type", "'" + type + "' is not temporal, spatial or bypass");
    }
    const auto f = factors_of(e.contains("factors") ? e["factors"] : json::object(), origin,
                              field + ".factors");
    const std::vector<MapDim> order =
        ordered_dims(permutation_of(e, origin, field + ".permutation"));
    if (type == "temporal") {
      lm.temporal.clear();
      for (MapDim d : order) lm.temporal.push_back({d, f[static_cast<int>(d)]});
      continue;
    }
    const size_t split = static_cast<size_t>(count(e, "split", 7, origin, field));
    lm.spatial_x.clear();
    lm.spatial_y.clear();
    for (size_t k = 0; k < order.size(); ++k) {
      const int64_t b = f[static_cast<int>(order[k])];
      if (b > 1) (k < split ? lm.spatial_x : lm.spatial_y).push_back({order[k], b});
    }
  }
  return m;
}

Mapping load_mapping(const std::string& path, const Architecture& arch) {
  return parse_mapping_json(read_text_file(path), path, arch);
}

std::string mapping_to_json(const Mapping& m, const Architecture& arch) {
  json list = json::array();
  for (size_t l = 0; l < m.levels.size(); ++l) {
    const LevelMapping& lm = m.levels[l];
    const auto entry = [&](const std::string& type, const std::vector<MapLoop>& loops) {
      std::string factors, permutation;
      for (const MapLoop& loop : loops) {
        factors += (factors.empty() ? "" : " ") + std::string(map_dim_name(loop.dim)) + "=" +
                   std::to_string(loop.bound);
        permutation += map_dim_name(loop.dim);
      }
      return json{{"target", arch.levels[l].name},
                  {"type", type},
                  {"factors", factors},
                  {"permutation", permutation}};
    };
    list.push_back(entry("temporal", lm.temporal));
    if (!lm.spatial_x.empty() || !lm.spatial_y.empty()) {
      std::vector<MapLoop> both = lm.spatial_x;
      both.insert(both.end(), lm.spatial_y.begin(), lm.spatial_y.end());
      json s = entry("spatial", both);
      s["split"] = lm.spatial_x.size();
      list.push_back(s);
    }
    json keep = json::array(), bypass = json::array();
    for (int t = 0; t < kMapTensors; ++t) {
      if (!arch.levels[l].keeps[t] && !lm.keeps[t]) continue;  // never there
      (lm.keeps[t] ? keep : bypass).push_back(map_tensor_name(static_cast<MapTensor>(t)));
    }
    if (!bypass.empty()) {
      list.push_back({{"target", arch.levels[l].name},
                      {"type", "bypass"},
                      {"keep", keep},
                      {"bypass", bypass}});
    }
  }
  return json{{"mapping", list}}.dump(2) + "\n";
}

void validate_mapping(const Mapping& m, const Architecture& arch, const MapProblem& p) {
  if (m.levels.size() != arch.levels.size()) {
    throw_error(ErrorCode::kInvalidModel, "the mapping has " + std::to_string(m.levels.size()) +
                                              " levels, " + arch.name + " has " +
                                              std::to_string(arch.levels.size()));
  }
  std::array<int64_t, kMapDims> product{1, 1, 1, 1, 1, 1, 1};
  for (size_t l = 0; l < m.levels.size(); ++l) {
    const LevelMapping& lm = m.levels[l];
    const StorageLevel& level = arch.levels[l];
    for (const MapLoop& loop : lm.temporal) product[static_cast<int>(loop.dim)] *= loop.bound;
    for (int axis = 0; axis < 2; ++axis) {
      const auto& loops = axis == 0 ? lm.spatial_x : lm.spatial_y;
      const auto& allowed = axis == 0 ? level.dims_x : level.dims_y;
      const int64_t fanout = axis == 0 ? level.fanout_x : level.fanout_y;
      int64_t used = 1;
      for (const MapLoop& loop : loops) {
        product[static_cast<int>(loop.dim)] *= loop.bound;
        used *= loop.bound;
        if (!allowed.empty() &&
            std::find(allowed.begin(), allowed.end(), loop.dim) == allowed.end()) {
          throw_error(ErrorCode::kInvalidModel, level.name + ": dim " + map_dim_name(loop.dim) +
                                                    " may not map to its " +
                                                    (axis == 0 ? "X" : "Y") + " axis");
        }
      }
      if (used > fanout) {
        throw_error(ErrorCode::kInvalidModel, level.name + ": spatial " + (axis == 0 ? "X" : "Y") +
                                                  " factors use " + std::to_string(used) + " of " +
                                                  std::to_string(fanout) + " instances");
      }
    }
    for (int t = 0; t < kMapTensors; ++t) {
      if (lm.keeps[t] && !level.keeps[t]) {
        throw_error(ErrorCode::kInvalidModel,
                    level.name + " cannot hold " + map_tensor_name(static_cast<MapTensor>(t)));
      }
    }
  }
  for (int d = 0; d < kMapDims; ++d) {
    if (product[d] != p.size[d]) {
      throw_error(ErrorCode::kInvalidModel,
                  std::string("dim ") + map_dim_name(static_cast<MapDim>(d)) +
                      ": factors multiply to " + std::to_string(product[d]) + ", the layer's is " +
                      std::to_string(p.size[d]));
    }
  }
  if (!m.levels.front().keeps[0] || !m.levels.front().keeps[1] || !m.levels.front().keeps[2]) {
    throw_error(ErrorCode::kInvalidModel, arch.levels.front().name + " must keep every tensor");
  }
  // Capacities: each level's tiles.
  const mapping::FlatMapping flat = mapping::flatten(m);
  std::array<int64_t, kMapDims> extent{1, 1, 1, 1, 1, 1, 1};
  for (int l = flat.count - 1; l >= 0; --l) {
    for (int d = 0; d < kMapDims; ++d) extent[d] *= flat.levels[l].spatial[d];
    for (int i = 0; i < flat.levels[l].loops; ++i)
      extent[flat.levels[l].dims[i]] *= flat.levels[l].bounds[i];
    const StorageLevel& level = arch.levels[l];
    int64_t shared = 0;
    for (int t = 0; t < kMapTensors; ++t) {
      if (!flat.levels[l].keeps[t]) continue;
      const int64_t words = mapping::tile_words(p, static_cast<MapTensor>(t), extent);
      const int64_t own = level.tensor_capacity[t];
      if (own && words > own) {
        throw_error(ErrorCode::kInvalidModel, level.name + ": the " +
                                                  map_tensor_name(static_cast<MapTensor>(t)) +
                                                  " tile needs " + std::to_string(words) +
                                                  " words, it holds " + std::to_string(own));
      }
      if (!own) shared += words;
    }
    if (level.capacity && shared > level.capacity) {
      throw_error(ErrorCode::kInvalidModel, level.name + ": the tiles need " +
                                                std::to_string(shared) + " words, it holds " +
                                                std::to_string(level.capacity));
    }
  }
}

MapProblem map_problem_from_loop_nest(const LoopNest& nest, const std::string& name) {
  MapProblem p;
  p.name = name;
  p.size = {nest.n, nest.k / std::max<int64_t>(1, nest.groups), nest.c, nest.p, nest.q, nest.r,
            nest.s};
  p.stride_h = nest.stride_h;
  p.stride_w = nest.stride_w;
  p.dilation_h = nest.dilation_h;
  p.dilation_w = nest.dilation_w;
  p.groups = nest.groups;
  return p;
}

MapProblem parse_map_problem(const std::string& spec) {
  MapProblem p;
  p.name = "layer";
  std::stringstream ss(spec);
  for (std::string item; std::getline(ss, item, ',');) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos) {
      throw_error(ErrorCode::kUsage, "--layer: '" + item + "' is not NAME=VALUE");
    }
    std::string key = item.substr(0, eq);
    const std::string value = item.substr(eq + 1);
    const std::optional<int64_t> parsed = parse_integer(value);
    if (!parsed || *parsed < 1) {
      throw_error(ErrorCode::kUsage, "--layer: " + key + " '" + value + "' is not an integer >= 1");
    }
    const int64_t v = *parsed;
    std::string lower = key;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "stride") {
      p.stride_h = p.stride_w = v;
    } else if (lower == "dilation") {
      p.dilation_h = p.dilation_w = v;
    } else if (lower == "groups") {
      p.groups = v;
    } else if (key.size() == 1 && std::string("NKCPQRSnkcpqrs").find(key[0]) != std::string::npos) {
      p.size[static_cast<int>(dim_by_name(key, "--layer", key))] = v;
    } else {
      throw_error(ErrorCode::kUsage, "--layer: '" + key +
                                         "' is not one of N, K, C, P, Q, R, S, stride, "
                                         "dilation, groups");
    }
  }
  return p;
}

}  // namespace reuselens
