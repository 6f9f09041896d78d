// Architectures, mappings and layer shapes from JSON and text; validation.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ir/checked.h"
#include "ir/files.h"
#include "ir/json_fields.h"
#include "ir/parse.h"
#include "mapping/nest.h"
#include "reuselens/error.h"
#include "reuselens/mapping.h"

namespace reuselens {

const std::vector<std::pair<std::string, std::string>>& architecture_preset_files();  // generated

namespace {

using nlohmann::json;

// Ranges (data/arch/README.md): wide enough for any machine, narrow enough
// that the counts of a mapping (products of factors, fan-outs and tile
// sizes, checked) and energies (counts x per-access energy) stay finite.
constexpr int64_t kMaxFanout = int64_t{1} << 16;     // per axis
constexpr int64_t kMaxInstances = int64_t{1} << 24;  // of any level
constexpr int64_t kMaxCapacity = int64_t{1} << 50;   // words
constexpr int64_t kMaxFactor = int64_t{1} << 40;
constexpr double kMaxEnergy = 1e6;  // per access, in the energy unit

std::optional<MapDim> dim_named(const std::string& name) {
  static const std::string names = "NKCPQRS";
  if (name.size() == 1) {
    const size_t i =
        names.find(static_cast<char>(std::toupper(static_cast<unsigned char>(name[0]))));
    if (i != std::string::npos) return static_cast<MapDim>(i);
  }
  return std::nullopt;
}

MapDim dim_by_name(const std::string& name, const JsonField& field) {
  if (const std::optional<MapDim> d = dim_named(name)) return *d;
  field.fail("'" + name + "' is not a dim (N, K, C, P, Q, R, S)");
}

MapTensor tensor_by_name(const std::string& name, const JsonField& field) {
  for (int t = 0; t < kMapTensors; ++t) {
    if (name == map_tensor_name(static_cast<MapTensor>(t))) return static_cast<MapTensor>(t);
  }
  field.fail("'" + name + "' is not a tensor (Weights, Inputs, Outputs)");
}

MapTensor tensor_by_name(const JsonField& field) { return tensor_by_name(field.text(), field); }

std::vector<MapDim> dims_list(const JsonField& list) {
  std::vector<MapDim> out;
  if (!list.present()) return out;
  for (const JsonField& d : list.elements()) out.push_back(dim_by_name(d.text(), d));
  return out;
}

// "K=4 C=2", "R3 P1 K2" (Timeloop's two spellings) or {"K": 4}.
std::array<int64_t, kMapDims> factors_of(const JsonField& field) {
  std::array<int64_t, kMapDims> f{1, 1, 1, 1, 1, 1, 1};
  if (!field.present()) return f;
  if (field.is_object()) {
    for (const auto& [k, v] : field.members()) {
      f[static_cast<int>(dim_by_name(k, v))] = v.integer(1, kMaxFactor);
    }
    return f;
  }
  if (!field.is_string()) field.fail("expected \"K=4 C=2\" or {\"K\": 4}");
  std::stringstream ss(field.text());
  for (std::string item; ss >> item;) {
    const size_t eq = item.find('=');
    const std::string name = item.substr(0, eq == std::string::npos ? 1 : eq);
    const std::optional<int64_t> v =
        parse_integer(item.substr(eq == std::string::npos ? 1 : eq + 1));
    if (!v || *v < 1 || *v > kMaxFactor) {
      field.fail("'" + item + "' is not DIM=FACTOR with FACTOR in [1, 2^40]");
    }
    f[static_cast<int>(dim_by_name(name, field))] = *v;
  }
  return f;
}

std::string permutation_of(const JsonField& entry) {
  if (!entry.has("permutation")) return "";
  const JsonField field = entry["permutation"];
  std::string out;
  for (char c : field.text()) {
    if (c == ' ') continue;
    dim_by_name(std::string(1, c), field);
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
  const JsonField root(doc, origin);
  root.only({"name", "description", "source", "energy_unit", "word_bits", "mac_energy", "levels"});
  Architecture a;
  a.name = root["name"].text();
  a.description = root.text_or("description", "");
  a.source = root.text_or("source", "");
  a.energy_unit = root.text_or("energy_unit", a.energy_unit);
  a.word_bits = static_cast<int>(root.integer_or("word_bits", 16, 1, 1024));
  const JsonField levels = root["levels"];
  if (!levels.is_array() || levels.value().empty()) {
    levels.fail("missing: storage levels, outermost (DRAM) first");
  }
  if (levels.value().size() > static_cast<size_t>(mapping::kMaxLevels)) {
    levels.fail("more than 8 levels");
  }
  int64_t instances = 1;
  for (const JsonField& j : levels.elements()) {
    if (!j.is_object()) j.fail("expected a level {\"name\": ...}");
    j.only({"name", "capacity_words", "keeps", "read_energy", "write_energy",
            "bandwidth_words_per_cycle", "fanout_x", "fanout_y", "dims_x", "dims_y", "multicast",
            "spatial_reduction", "description", "source"});
    StorageLevel l;
    l.name = j["name"].text();
    const JsonField capacity = j["capacity_words"];
    if (capacity.is_object()) {
      for (const auto& [t, v] : capacity.members()) {
        l.tensor_capacity[static_cast<int>(tensor_by_name(t, v))] = v.integer(1, kMaxCapacity);
      }
    } else {
      l.capacity = j.integer_or("capacity_words", 0, 0, kMaxCapacity);
    }
    if (j.has("keeps")) {
      l.keeps = {false, false, false};
      for (const JsonField& t : j["keeps"].elements()) {
        l.keeps[static_cast<int>(tensor_by_name(t))] = true;
      }
    }
    l.read_energy = j.number_or("read_energy", 0, 0, kMaxEnergy);
    l.write_energy = j.number_or("write_energy", l.read_energy, 0, kMaxEnergy);
    l.bandwidth = j.number_or("bandwidth_words_per_cycle", 0, 0, 1e9);
    l.fanout_x = j.integer_or("fanout_x", 1, 1, kMaxFanout);
    l.fanout_y = j.integer_or("fanout_y", 1, 1, kMaxFanout);
    instances = checked_mul(instances, checked_mul(l.fanout_x, l.fanout_y));
    if (instances > kMaxInstances) {
      j["fanout_x"].fail("the fan-outs down to here make " + std::to_string(instances) +
                         " instances (at most 2^24)");
    }
    l.dims_x = dims_list(j["dims_x"]);
    l.dims_y = dims_list(j["dims_y"]);
    l.multicast = j.flag_or("multicast", l.multicast);
    l.spatial_reduction = j.flag_or("spatial_reduction", l.spatial_reduction);
    a.levels.push_back(std::move(l));
  }
  if (a.levels.front().keeps != std::array<bool, kMapTensors>{true, true, true}) {
    levels.elements().front()["keeps"].fail("the outermost level must keep every tensor");
  }
  a.mac_energy = root.number_or("mac_energy", 0, 0, kMaxEnergy);
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
  } catch (const json::exception&) {
    doc = parse_json_object(text, origin);  // the same failure, worded as every reader words it
  }
  const JsonField list = doc.is_object() && doc.contains("mapping")
                             ? JsonField(doc, origin)["mapping"]
                             : JsonField(doc, origin, "mapping");
  if (!list.is_array()) list.fail("expected a list of {target, type, ...}");
  Mapping m;
  m.levels.resize(arch.levels.size());
  for (size_t l = 0; l < arch.levels.size(); ++l) m.levels[l].keeps = arch.levels[l].keeps;
  for (const JsonField& e : list.elements()) {
    if (!e.is_object()) e.fail("expected {target, type, ...}");
    e.only({"target", "type", "factors", "permutation", "split", "keep", "bypass"});
    const std::string target = e["target"].text();
    size_t level = arch.levels.size();
    for (size_t l = 0; l < arch.levels.size(); ++l) {
      if (arch.levels[l].name == target) level = l;
    }
    if (level == arch.levels.size()) {
      std::string names;
      for (const auto& l : arch.levels) names += (names.empty() ? "" : ", ") + l.name;
      e["target"].fail("is not a level of " + arch.name + " (" + names + ")");
    }
    const std::string type = e.text_or("type", "temporal");
    LevelMapping& lm = m.levels[level];
    if (type == "bypass" || type == "datatype") {
      for (const char* key : {"keep", "bypass"}) {
        if (!e.has(key)) continue;
        for (const JsonField& t : e[key].elements()) {
          lm.keeps[static_cast<int>(tensor_by_name(t))] = std::string(key) == "keep";
        }
      }
      continue;
    }
    if (type != "temporal" && type != "spatial") {
      e["type"].fail("is not temporal, spatial or bypass");
    }
    const auto f = factors_of(e["factors"]);
    const std::vector<MapDim> order = ordered_dims(permutation_of(e));
    if (type == "temporal") {
      lm.temporal.clear();
      for (MapDim d : order) lm.temporal.push_back({d, f[static_cast<int>(d)]});
      continue;
    }
    const auto split = static_cast<size_t>(e.integer_or("split", 7, 0, 7));
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
  validate(p);
  if (m.levels.size() != arch.levels.size()) {
    throw_error(ErrorCode::kInvalidModel, "the mapping has " + std::to_string(m.levels.size()) +
                                              " levels, " + arch.name + " has " +
                                              std::to_string(arch.levels.size()));
  }
  std::array<int64_t, kMapDims> product{1, 1, 1, 1, 1, 1, 1};
  for (size_t l = 0; l < m.levels.size(); ++l) {
    const LevelMapping& lm = m.levels[l];
    const StorageLevel& level = arch.levels[l];
    // Factors are at most 2^40 and dims 2^31: a product past a dim is wrong
    // however it continues, so stop it there rather than let it wrap.
    const auto multiply = [&p, &product](const MapLoop& loop) {
      int64_t& f = product[static_cast<int>(loop.dim)];
      if (loop.bound < 1 || __builtin_mul_overflow(f, loop.bound, &f) ||
          f > p.size[static_cast<int>(loop.dim)]) {
        throw_error(ErrorCode::kInvalidModel,
                    std::string("dim ") + map_dim_name(loop.dim) + ": the factors multiply past " +
                        "the layer's " + std::to_string(p.size[static_cast<int>(loop.dim)]));
      }
    };
    for (const MapLoop& loop : lm.temporal) multiply(loop);
    for (int axis = 0; axis < 2; ++axis) {
      const auto& loops = axis == 0 ? lm.spatial_x : lm.spatial_y;
      const auto& allowed = axis == 0 ? level.dims_x : level.dims_y;
      const int64_t fanout = axis == 0 ? level.fanout_x : level.fanout_y;
      int64_t used = 1;
      for (const MapLoop& loop : loops) {
        multiply(loop);
        used = checked_mul(used, loop.bound, "spatial factors");
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

void validate(const MapProblem& p) {
  const std::string who = p.name.empty() ? "layer" : p.name;
  for (int d = 0; d < kMapDims; ++d) {
    if (p.size[d] < 1 || p.size[d] > kMaxMapDim) {
      throw_error(ErrorCode::kInvalidModel, who + ": dim " + map_dim_name(static_cast<MapDim>(d)) +
                                                " = " + std::to_string(p.size[d]) +
                                                " is not in [1, 2^31]");
    }
  }
  for (const auto& [value, name] : {std::pair{p.stride_h, "stride_h"},
                                    {p.stride_w, "stride_w"},
                                    {p.dilation_h, "dilation_h"},
                                    {p.dilation_w, "dilation_w"}}) {
    if (value < 1 || value > kMaxMapStride) {
      throw_error(ErrorCode::kInvalidModel,
                  who + ": " + name + " = " + std::to_string(value) + " is not in [1, 2^16]");
    }
  }
  if (p.groups < 1 || p.groups > kMaxMapDim) {
    throw_error(ErrorCode::kInvalidModel,
                who + ": groups = " + std::to_string(p.groups) + " is not in [1, 2^31]");
  }
  // Every count of every mapping is at most MACs x the input windows'
  // spread per MAC, (stride + dilation) per axis: bounding that product
  // keeps all of them, and their sums over groups, in 64 bits.
  int64_t bound = p.groups;
  for (int64_t s : p.size) bound = checked_mul(bound, s, "the layer's MACs");
  bound = checked_mul(bound, checked_mul(p.stride_h + p.dilation_h, p.stride_w + p.dilation_w),
                      "the layer's MACs x input spread");
  if (bound > kMaxMapWork) {
    throw_error(ErrorCode::kInvalidModel,
                who + ": MACs x (stride + dilation)^2 = " + std::to_string(bound) +
                    " is over 2^60: too large to count in 64 bits");
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
  validate(p);
  return p;
}

MapProblem parse_map_problem(const std::string& spec, bool dims_default_to_one) {
  MapProblem p;
  p.name = "layer";
  std::array<bool, kMapDims> given{};
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
    } else if (lower == "stride_h") {
      p.stride_h = v;
    } else if (lower == "stride_w") {
      p.stride_w = v;
    } else if (lower == "dilation") {
      p.dilation_h = p.dilation_w = v;
    } else if (lower == "dilation_h") {
      p.dilation_h = v;
    } else if (lower == "dilation_w") {
      p.dilation_w = v;
    } else if (lower == "groups") {
      p.groups = v;
    } else if (const std::optional<MapDim> d = dim_named(key)) {
      p.size[static_cast<int>(*d)] = v;
      given[static_cast<int>(*d)] = true;
    } else {
      throw_error(ErrorCode::kUsage, "--layer: '" + key +
                                         "' is not one of N, K, C, P, Q, R, S, stride, stride_h, "
                                         "stride_w, dilation, dilation_h, dilation_w, groups");
    }
  }
  // Every dim but the batch is required: a dim left at 1 by mistake gives
  // counts that look right.
  std::string missing;
  for (int d = 1; d < kMapDims; ++d) {
    if (!given[d])
      missing += (missing.empty() ? "" : ", ") + std::string(map_dim_name(static_cast<MapDim>(d)));
  }
  if (!missing.empty() && !dims_default_to_one) {
    throw_error(ErrorCode::kUsage, "--layer: give every dim (K, C, P, Q, R, S; N defaults to 1): " +
                                       missing + " missing");
  }
  validate(p);
  return p;
}

}  // namespace reuselens
