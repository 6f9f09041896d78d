// The measurement CSV: parsing and validation with line and column in every
// message.
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "ir/checked.h"
#include "ir/files.h"
#include "ir/parse.h"
#include "reuselens/correlate.h"
#include "reuselens/error.h"

namespace reuselens {

const std::vector<std::pair<std::string, std::string>>& paper_measurement_files();  // generated

const std::string& paper_measurements_csv() { return paper_measurement_files().at(0).second; }

namespace {

std::vector<std::string> split_csv_line(const std::string& line, const std::string& where) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(field);
      field.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (quoted) throw_error(ErrorCode::kParse, where + ": unterminated quoted field");
  fields.push_back(field);
  return fields;
}

// A number in [lo, hi] (docs/statistics.md lists each column's range, wide
// enough for any real measurement and narrow enough that no product of them
// overflows or underflows a double).
double number_in(const std::string& text, const std::string& where, const std::string& column,
                 double lo, double hi) {
  const std::optional<double> v = parse_real(text);
  if (!v) {
    throw_error(ErrorCode::kParse,
                where + ": column '" + column + "': '" + text + "' is not a number");
  }
  return checked_range(*v, lo, hi, where + ": column '" + column + "':", ErrorCode::kParse);
}

const std::set<std::string> kRequired = {"model", "device", "batch", "inference_ms", "avg_power_w"};

}  // namespace

std::vector<Measurement> parse_measurements(const std::string& text, const std::string& origin) {
  std::istringstream in(text);
  std::string line;
  std::vector<std::string> header;
  std::vector<Measurement> rows;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#' || line.find_first_not_of(" \t\r") == std::string::npos)
      continue;
    const std::string where = origin + ":" + std::to_string(line_no);
    std::vector<std::string> fields = split_csv_line(line, where);
    if (header.empty()) {
      header = fields;
      for (const std::string& column : kRequired) {
        if (std::find(header.begin(), header.end(), column) == header.end()) {
          throw_error(ErrorCode::kParse,
                      where + ": header lacks the required column '" + column + "'");
        }
      }
      continue;
    }
    if (fields.size() != header.size()) {
      throw_error(ErrorCode::kParse, where + ": " + std::to_string(fields.size()) +
                                         " fields, header has " + std::to_string(header.size()));
    }
    Measurement m;
    m.origin = origin;
    m.line = line_no;
    for (size_t i = 0; i < header.size(); ++i) {
      const std::string& column = header[i];
      const std::string& value = fields[i];
      if (column == "model") {
        m.model = value;
      } else if (column == "device") {
        m.device = value;
      } else if (column == "batch") {
        const double b = number_in(value, where, column, 1, 1e9);
        if (b != std::floor(b)) {
          throw_error(ErrorCode::kParse,
                      where + ": column 'batch': '" + value + "' is not a whole number");
        }
        m.batch = static_cast<int64_t>(b);
      } else if (column == "inference_ms") {
        m.inference_ms = number_in(value, where, column, 1e-9, 1e9);
      } else if (column == "avg_power_w") {
        m.avg_power_w = number_in(value, where, column, 1e-9, 1e7);
      } else if (column == "idle_power_w") {
        if (!value.empty()) m.idle_power_w = number_in(value, where, column, 0, 1e7);
      } else if (column == "energy_j") {
        if (!value.empty()) m.energy_j = number_in(value, where, column, 1e-15, 1e12);
      } else {
        m.extra[column] = value;
      }
    }
    if (m.model.empty()) throw_error(ErrorCode::kParse, where + ": column 'model' is empty");
    if (m.device.empty()) throw_error(ErrorCode::kParse, where + ": column 'device' is empty");
    rows.push_back(std::move(m));
  }
  if (header.empty()) throw_error(ErrorCode::kParse, origin + ": no header line");
  if (rows.empty()) throw_error(ErrorCode::kParse, origin + ": no measurement rows");
  return rows;
}

std::vector<Measurement> load_measurements(const std::string& spec) {
  if (spec == "paper")
    return parse_measurements(paper_measurements_csv(), "paper (data/jha2020/measurements.csv)");
  return parse_measurements(read_text_file(spec), spec);
}

}  // namespace reuselens
