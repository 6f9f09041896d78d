// `map`: one mapping's counts per level and tensor, a search's best
// mappings, a network's per-layer table; energy per level and tensor as SVG.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/csv.h"
#include "report/json_records.h"
#include "report/svg_chart.h"
#include "report/text_table.h"
#include "reuselens/report.h"

namespace reuselens {

using report::fixed;
using report::with_commas;

namespace {

std::string shape_text(const MapProblem& p) {
  std::string out;
  for (int d = 0; d < kMapDims; ++d) {
    if (p.size[d] == 1 && d != 1 && d != 2) continue;  // K and C always
    out += fmt::format("{}{}={}", out.empty() ? "" : " ", map_dim_name(static_cast<MapDim>(d)),
                       p.size[d]);
  }
  if (p.stride_h != 1 || p.stride_w != 1) out += fmt::format(" stride={}", p.stride_h);
  if (p.dilation_h != 1 || p.dilation_w != 1) out += fmt::format(" dilation={}", p.dilation_h);
  if (p.groups != 1) out += fmt::format(" groups={}", p.groups);
  return out;
}

std::string energy_text(double e, const Architecture& arch) {
  return fmt::format("{:.4g} {}", e, arch.energy_unit);
}

nlohmann::json result_json(const MappingResult& r, const Architecture& arch) {
  nlohmann::json levels = nlohmann::json::array();
  for (const LevelCounts& l : r.levels) {
    nlohmann::json tensors = nlohmann::json::object();
    for (int t = 0; t < kMapTensors; ++t) {
      const TensorCounts& c = l.tensors[t];
      if (!c.kept) continue;
      tensors[map_tensor_name(static_cast<MapTensor>(t))] = {
          {"tile", c.tile},   {"partition", c.partition}, {"reads", c.reads},
          {"fills", c.fills}, {"updates", c.updates},     {"multicast", l.multicast[t]}};
    }
    levels.push_back({{"name", l.name},
                      {"instances", l.instances},
                      {"utilized_instances", l.utilized_instances},
                      {"tensors", tensors},
                      {"spatial_reductions", l.spatial_reductions},
                      {"energy", l.energy},
                      {"cycles", l.cycles}});
  }
  return {{"layer", r.problem.name},
          {"shape", shape_text(r.problem)},
          {"architecture", r.architecture},
          {"energy_unit", arch.energy_unit},
          {"counts_are", "per instance and per group; energy over every instance and group"},
          {"macs", r.macs},
          {"utilized_macs", r.utilized_macs},
          {"utilization", r.utilization},
          {"energy", r.energy},
          {"mac_energy", r.mac_energy},
          {"compute_cycles", r.compute_cycles},
          {"cycles", r.cycles},
          {"bound_by", r.bound_by},
          {"dram_words", r.dram_words()},
          {"levels", levels}};
}

std::string counts_table(const MappingResult& r, const Architecture& arch) {
  std::string out = fmt::format(
      "layer: {} ({})\narchitecture: {} - {}\nMACs: {}  MAC instances used: {} of {} "
      "(utilisation {:.1f} %)\nenergy: {}  cycles: {:.4g} (bound by {})\n",
      r.problem.name, shape_text(r.problem), arch.name, arch.description, with_commas(r.macs),
      r.utilized_macs, arch.mac_instances(), 100 * r.utilization, energy_text(r.energy, arch),
      r.cycles, r.bound_by);
  report::TextTable t({"level", "tensor", "instances", "tile", "partition", "reads", "fills",
                       "updates", "multicast", "energy"});
  for (const LevelCounts& l : r.levels) {
    bool first = true;
    for (int t_index = 0; t_index < kMapTensors; ++t_index) {
      const TensorCounts& c = l.tensors[t_index];
      if (!c.kept) continue;
      t.add_row({first ? l.name : "", map_tensor_name(static_cast<MapTensor>(t_index)),
                 first ? fmt::format("{}/{}", l.utilized_instances, l.instances) : "",
                 with_commas(c.tile), with_commas(c.partition), with_commas(c.reads),
                 with_commas(c.fills), with_commas(c.updates),
                 l.multicast[t_index] > 1 ? std::to_string(l.multicast[t_index]) : "",
                 first ? fmt::format("{:.4g}", l.energy) : ""});
      first = false;
    }
  }
  out += "\n" + t.render("lll");
  out +=
      "(words per instance and group: reads by the children, fills from the parent, updates of "
      "partial sums; multicast: children served by one read; energy over every instance)\n";
  return out;
}

std::string mapping_lines(const Mapping& m, const Architecture& arch) {
  std::string out;
  for (size_t l = 0; l < m.levels.size(); ++l) {
    const LevelMapping& lm = m.levels[l];
    std::string loops;
    for (auto it = lm.temporal.rbegin(); it != lm.temporal.rend(); ++it) {
      if (it->bound > 1) loops += fmt::format(" {}{}", map_dim_name(it->dim), it->bound);
    }
    std::string spatial;
    for (const MapLoop& s : lm.spatial_x)
      spatial += fmt::format(" {}{}x", map_dim_name(s.dim), s.bound);
    for (const MapLoop& s : lm.spatial_y)
      spatial += fmt::format(" {}{}y", map_dim_name(s.dim), s.bound);
    std::string keeps;
    for (int t = 0; t < kMapTensors; ++t) {
      if (lm.keeps[t])
        keeps +=
            std::string(keeps.empty() ? "" : ",") + map_tensor_name(static_cast<MapTensor>(t))[0];
    }
    out += fmt::format("  {:<14} for{}{}  [keeps {}]\n", arch.levels[l].name,
                       loops.empty() ? " -" : loops, spatial.empty() ? "" : "  spatial" + spatial,
                       keeps);
  }
  return out + "  (temporal loops outermost first; spatial factors with their axis)\n";
}

}  // namespace

std::string render_mapping(const MappingResult& r, const Mapping& m, const Architecture& arch,
                           Format format) {
  if (format == Format::kJson) {
    nlohmann::json doc = report::document_header();
    doc["result"] = result_json(r, arch);
    doc["mapping"] = nlohmann::json::parse(mapping_to_json(m, arch))["mapping"];
    return doc.dump(2) + "\n";
  }
  if (format == Format::kCsv) {
    report::Csv csv({"layer", "architecture", "level", "tensor", "instances", "utilized_instances",
                     "tile", "partition", "reads", "fills", "updates", "multicast", "level_energy",
                     "energy_unit"});
    for (const LevelCounts& l : r.levels) {
      for (int t = 0; t < kMapTensors; ++t) {
        const TensorCounts& c = l.tensors[t];
        if (!c.kept) continue;
        csv.add(r.problem.name).add(r.architecture).add(l.name);
        csv.add(map_tensor_name(static_cast<MapTensor>(t))).add(l.instances);
        csv.add(l.utilized_instances).add(c.tile).add(c.partition).add(c.reads).add(c.fills);
        csv.add(c.updates).add(l.multicast[t]).add(l.energy).add(arch.energy_unit);
        csv.end_row();
      }
    }
    return csv.str();
  }
  return counts_table(r, arch) + "\nmapping:\n" + mapping_lines(m, arch);
}

std::string render_search(const SearchResult& s, const Architecture& arch, Format format) {
  if (s.best.empty()) return "";
  const MappingResult& best = s.best.front().second;
  if (format == Format::kJson) {
    nlohmann::json doc = report::document_header();
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [m, r] : s.best) {
      list.push_back({{"result", result_json(r, arch)},
                      {"mapping", nlohmann::json::parse(mapping_to_json(m, arch))["mapping"]}});
    }
    doc["search"] = {{"evaluated", s.evaluated},
                     {"pruned", s.pruned},
                     {"exhaustive", s.exhaustive},
                     {"method", s.method},
                     {"seconds", s.seconds},
                     {"compulsory_dram_words", s.compulsory_dram_words},
                     {"lower_bound_dram_words", s.lower_bound_dram_words},
                     {"best", list}};
    return doc.dump(2) + "\n";
  }
  if (format == Format::kCsv) {
    report::Csv csv({"rank", "layer", "architecture", "energy", "energy_unit", "cycles",
                     "dram_words", "utilization", "compulsory_dram_words", "lower_bound_dram_words",
                     "evaluated", "exhaustive"});
    int rank = 1;
    for (const auto& [m, r] : s.best) {
      csv.add(rank++).add(r.problem.name).add(r.architecture).add(r.energy).add(arch.energy_unit);
      csv.add(r.cycles).add(r.dram_words()).add(r.utilization).add(s.compulsory_dram_words);
      csv.add(s.lower_bound_dram_words).add(s.evaluated).add(s.exhaustive);
      csv.end_row();
    }
    return csv.str();
  }
  std::string out = fmt::format(
      "search: {} mappings evaluated, {} partial mappings pruned by capacity, {:.3f} s ({}); {}\n",
      with_commas(s.evaluated), with_commas(s.pruned), s.seconds,
      s.exhaustive ? "the whole space below" : "stopped at the budget", s.method);
  out += fmt::format("DRAM words: best {}, compulsory (every tensor once) {} ({:.2f}x)",
                     with_commas(best.dram_words()), with_commas(s.compulsory_dram_words),
                     s.compulsory_dram_words
                         ? static_cast<double>(best.dram_words()) / s.compulsory_dram_words
                         : 0);
  out += s.lower_bound_dram_words > s.compulsory_dram_words
             ? fmt::format(", Šíma et al. lower bound {} ({:.2f}x)\n\n",
                           with_commas(s.lower_bound_dram_words),
                           static_cast<double>(best.dram_words()) / s.lower_bound_dram_words)
             : fmt::format(
                   ", Šíma et al. lower bound {} (below the compulsory traffic: the "
                   "on-chip buffer is large for this layer)\n\n",
                   with_commas(s.lower_bound_dram_words));
  report::TextTable top({"rank", "energy", "cycles", "DRAM words", "utilisation"});
  int rank = 1;
  for (const auto& [m, r] : s.best) {
    top.add_row({std::to_string(rank++), energy_text(r.energy, arch),
                 fmt::format("{:.4g}", r.cycles), with_commas(r.dram_words()),
                 fmt::format("{:.1f} %", 100 * r.utilization)});
  }
  out += top.render("r") + "\nbest:\n";
  return out + render_mapping(best, s.best.front().first, arch, Format::kTable);
}

std::string render_network_mapping(const NetworkMapping& n, const Architecture& arch,
                                   Format format) {
  if (format == Format::kJson) {
    nlohmann::json doc = report::document_header();
    nlohmann::json layers = nlohmann::json::array();
    for (const LayerMapping& l : n.layers) {
      const auto& [m, r] = l.search.best.front();
      layers.push_back({{"layer", l.layer},
                        {"op", l.op_type},
                        {"shared_search", l.shared},
                        {"result", result_json(r, arch)},
                        {"mapping", nlohmann::json::parse(mapping_to_json(m, arch))["mapping"]},
                        {"compulsory_dram_words", l.search.compulsory_dram_words},
                        {"lower_bound_dram_words", l.search.lower_bound_dram_words}});
    }
    nlohmann::json skipped = nlohmann::json::array();
    for (const auto& [layer, why] : n.skipped) skipped.push_back({{"layer", layer}, {"why", why}});
    doc["network"] = {{"model", n.model},
                      {"architecture", n.architecture},
                      {"energy_unit", arch.energy_unit},
                      {"macs", n.macs},
                      {"energy", n.energy},
                      {"cycles", n.cycles},
                      {"dram_words", n.dram_words},
                      {"compulsory_dram_words", n.compulsory_dram_words},
                      {"lower_bound_dram_words", n.lower_bound_dram_words},
                      {"evaluated", n.evaluated},
                      {"searches", n.searches},
                      {"exhaustive", n.exhaustive},
                      {"seconds", n.seconds},
                      {"layers", layers},
                      {"skipped", skipped}};
    return doc.dump(2) + "\n";
  }
  if (format == Format::kCsv) {
    report::Csv csv({"model", "layer", "op", "shape", "architecture", "macs", "energy",
                     "energy_unit", "cycles", "dram_words", "compulsory_dram_words",
                     "lower_bound_dram_words", "utilization", "shared_search"});
    for (const LayerMapping& l : n.layers) {
      const MappingResult& r = l.search.best.front().second;
      csv.add(n.model).add(l.layer).add(l.op_type).add(shape_text(l.problem)).add(n.architecture);
      csv.add(r.macs).add(r.energy).add(arch.energy_unit).add(r.cycles).add(r.dram_words());
      csv.add(l.search.compulsory_dram_words).add(l.search.lower_bound_dram_words);
      csv.add(r.utilization).add(l.shared);
      csv.end_row();
    }
    return csv.str();
  }
  std::string out =
      fmt::format("model: {}\narchitecture: {} - {}\n", n.model, arch.name, arch.description);
  report::TextTable t({"layer", "shape", "MACs", "energy", "cycles", "DRAM words", "compulsory",
                       "lower bound", "util"});
  for (const LayerMapping& l : n.layers) {
    const MappingResult& r = l.search.best.front().second;
    t.add_row({l.layer + (l.shared ? "*" : ""), shape_text(l.problem), with_commas(r.macs),
               fmt::format("{:.4g}", r.energy), fmt::format("{:.4g}", r.cycles),
               with_commas(r.dram_words()), with_commas(l.search.compulsory_dram_words),
               with_commas(l.search.lower_bound_dram_words),
               fmt::format("{:.0f} %", 100 * r.utilization)});
  }
  t.add_row({"total", "", with_commas(n.macs), fmt::format("{:.4g}", n.energy),
             fmt::format("{:.4g}", n.cycles), with_commas(n.dram_words),
             with_commas(n.compulsory_dram_words), with_commas(n.lower_bound_dram_words), ""});
  out += "\n" + t.render("ll");
  out += fmt::format(
      "(energy in {}; * a layer of an already searched shape; {} shape{} searched, {} mappings "
      "evaluated in {:.2f} s{})\n",
      arch.energy_unit, n.searches, n.searches == 1 ? "" : "s", with_commas(n.evaluated), n.seconds,
      n.exhaustive ? "" : "; some searches stopped at the budget");
  for (const auto& [layer, why] : n.skipped) out += "skipped: " + layer + ": " + why + "\n";
  return out;
}

std::string render_mapping_energy_svg(const std::vector<MappingResult>& results,
                                      const Architecture& arch, const std::string& title) {
  // Stacked bars: one per level, split by tensor (counts apportioned by access energy).
  std::vector<std::string> names;
  std::vector<std::array<double, kMapTensors>> per_level;
  double mac = 0;
  for (const MappingResult& r : results) {
    mac += r.mac_energy;
    for (size_t l = 0; l < r.levels.size(); ++l) {
      if (per_level.size() <= l) {
        per_level.push_back({0, 0, 0});
        names.push_back(r.levels[l].name);
      }
      const StorageLevel& level = arch.levels[l];
      for (int t = 0; t < kMapTensors; ++t) {
        const TensorCounts& c = r.levels[l].tensors[t];
        if (!c.kept) continue;
        per_level[l][t] += (static_cast<double>(c.reads) * level.read_energy +
                            static_cast<double>(c.fills + c.updates) * level.write_energy) *
                           static_cast<double>(r.levels[l].utilized_instances * r.problem.groups);
      }
    }
  }
  names.push_back("MAC");
  per_level.push_back({mac, 0, 0});
  double top = 0;
  for (const auto& v : per_level) top = std::max(top, v[0] + v[1] + v[2]);
  if (top <= 0) top = 1;
  const int width = 760, height = 440, left = 90, bottom = 60, right = 170, top_pad = 40;
  const double plot_w = width - left - right, plot_h = height - bottom - top_pad;
  const double bar = plot_w / static_cast<double>(per_level.size()) * 0.6;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
      "font-family=\"sans-serif\" "
      "font-size=\"12\">\n<text x=\"{}\" y=\"22\" font-size=\"15\" "
      "font-weight=\"bold\">{}</text>\n",
      width, height, left, report::xml_escape(title));
  svg += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\"/>\n", left,
                     height - bottom, left + plot_w, height - bottom);
  for (int i = 0; i <= 4; ++i) {
    const double v = top * i / 4, y = height - bottom - plot_h * i / 4;
    svg += fmt::format(
        "<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#ddd\"/><text x=\"{}\" "
        "y=\"{:.1f}\" text-anchor=\"end\">{:.3g}</text>\n",
        left, y, left + plot_w, y, left - 6, y + 4, v);
  }
  svg += fmt::format(
      "<text x=\"20\" y=\"{}\" transform=\"rotate(-90 20 {})\" text-anchor=\"middle\">energy "
      "({})</text>\n",
      height / 2, height / 2, report::xml_escape(arch.energy_unit));
  for (size_t l = 0; l < per_level.size(); ++l) {
    const double x = left + plot_w * (static_cast<double>(l) + 0.2) / per_level.size();
    double y = height - bottom;
    svg += "<g class=\"series\" data-level=\"" + report::xml_escape(names[l]) + "\">\n";
    for (int t = 0; t < kMapTensors; ++t) {
      const double h = plot_h * per_level[l][t] / top;
      if (h <= 0) continue;
      y -= h;
      const std::string label = l + 1 == per_level.size()
                                    ? "MACs"
                                    : std::string(map_tensor_name(static_cast<MapTensor>(t)));
      svg += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\" "
          "data-label=\"{} {}\" data-energy=\"{:.6g}\"><title>{} {}: {:.4g} {}</title></rect>\n",
          x, y, bar, h, l + 1 == per_level.size() ? "#999" : report::palette_color(t),
          report::xml_escape(names[l]), label, per_level[l][t], report::xml_escape(names[l]), label,
          per_level[l][t], report::xml_escape(arch.energy_unit));
    }
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n</g>\n",
                       x + bar / 2, height - bottom + 18, report::xml_escape(names[l]));
  }
  for (int t = 0; t < kMapTensors; ++t) {
    const int y = top_pad + 10 + 20 * t;
    svg += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" "
        "y=\"{}\">{}</text>\n",
        left + plot_w + 20, y, report::palette_color(t), left + plot_w + 38, y + 11,
        map_tensor_name(static_cast<MapTensor>(t)));
  }
  return svg + "</svg>\n";
}

}  // namespace reuselens
