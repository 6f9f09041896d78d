// Hardware descriptions as a table, JSON or CSV: `reuselens hw`.
#include <fmt/format.h>

#include "report/csv.h"
#include "report/json_records.h"
#include "report/text_table.h"
#include "reuselens/report.h"

namespace reuselens {

namespace {

// The data types and memory levels any of the machines has, in the
// parser's order (widest type first, DRAM first).
std::vector<std::string> dtypes_of(const std::vector<Hardware>& machines) {
  std::vector<std::string> out;
  for (const NumberType& t : number_types()) {
    for (const Hardware& hw : machines) {
      bool has = false;
      for (const PeakRate& p : hw.peaks) has |= p.dtype == t.name;
      if (has) {
        out.push_back(t.name);
        break;
      }
    }
  }
  return out;
}

std::vector<std::string> levels_of(const std::vector<Hardware>& machines) {
  std::vector<std::string> out;
  for (const char* level : {"dram", "l2", "l1"}) {
    for (const Hardware& hw : machines) {
      bool has = false;
      for (const MemoryLevel& l : hw.levels) has |= l.name == level;
      if (has) {
        out.push_back(level);
        break;
      }
    }
  }
  return out;
}

const PeakRate* find_peak(const Hardware& hw, const std::string& dtype) {
  for (const PeakRate& p : hw.peaks) {
    if (p.dtype == dtype) return &p;
  }
  return nullptr;
}

const MemoryLevel* find_level(const Hardware& hw, const std::string& name) {
  for (const MemoryLevel& l : hw.levels) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

}  // namespace

std::string render_hardware(const std::vector<Hardware>& machines, Format format) {
  const std::vector<std::string> dtypes = dtypes_of(machines), levels = levels_of(machines);
  if (format == Format::kJson) {
    nlohmann::json doc = report::document_header();
    nlohmann::json list = nlohmann::json::array();
    for (const Hardware& hw : machines) {
      nlohmann::json peaks = nlohmann::json::object(), bandwidths = nlohmann::json::object();
      for (const PeakRate& p : hw.peaks)
        peaks[p.dtype] = {{"ops_per_s", p.ops_per_s}, {"source", p.source}};
      for (const MemoryLevel& l : hw.levels)
        bandwidths[l.name] = {{"bytes_per_s", l.bytes_per_s}, {"source", l.source}};
      nlohmann::json entry = {{"name", hw.name},
                              {"description", hw.description},
                              {"origin", hw.origin},
                              {"peaks", peaks},
                              {"bandwidths", bandwidths}};
      if (hw.memory_bytes) {
        entry["memory"] = {{"bytes", hw.memory_bytes}, {"source", hw.memory_source}};
      }
      list.push_back(std::move(entry));
    }
    doc["hardware"] = std::move(list);
    doc["units"] = {{"ops_per_s", "operations per second, dense"},
                    {"bytes_per_s", "bytes per second"}};
    return doc.dump(2) + "\n";
  }
  std::vector<std::string> columns = {"name", "description"};
  for (const std::string& d : dtypes) {
    columns.push_back(format == Format::kCsv ? d + "_ops_per_s"
                                             : d + (number_type(d).integer ? " TOPS" : " TFLOPS"));
  }
  for (const std::string& l : levels) {
    columns.push_back(format == Format::kCsv ? l + "_bytes_per_s" : l + " GB/s");
  }
  columns.push_back(format == Format::kCsv ? "memory_bytes" : "memory GiB");
  if (format == Format::kCsv) {
    report::Csv csv(columns);
    for (const Hardware& hw : machines) {
      csv.add(hw.name).add(hw.description);
      for (const std::string& d : dtypes) {
        const PeakRate* p = find_peak(hw, d);
        p ? csv.add(p->ops_per_s) : csv.add("");
      }
      for (const std::string& l : levels) {
        const MemoryLevel* m = find_level(hw, l);
        m ? csv.add(m->bytes_per_s) : csv.add("");
      }
      hw.memory_bytes ? csv.add(hw.memory_bytes) : csv.add("");
      csv.end_row();
    }
    return csv.str();
  }
  report::TextTable table(columns);
  for (const Hardware& hw : machines) {
    std::vector<std::string> row = {hw.name, hw.description};
    for (const std::string& d : dtypes) {
      const PeakRate* p = find_peak(hw, d);
      row.push_back(p ? fmt::format("{:g}", p->ops_per_s / 1e12) : "-");
    }
    for (const std::string& l : levels) {
      const MemoryLevel* m = find_level(hw, l);
      row.push_back(m ? fmt::format("{:g}", m->bytes_per_s / 1e9) : "-");
    }
    row.push_back(hw.memory_bytes ? fmt::format("{:g}", hw.memory_bytes / 1073741824.0) : "-");
    table.add_row(row);
  }
  return table.render("ll") +
         "(dense peak rates, 10^12 per second; bandwidths 10^9 bytes per second; memory "
         "capacity in GiB; sources: --format json)\n";
}

}  // namespace reuselens
