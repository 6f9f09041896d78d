#include "report/csv.h"

#include <fmt/format.h>

#include <cmath>

#include "report/text_table.h"
#include "reuselens/error.h"

namespace reuselens::report {

Csv::Csv(std::vector<std::string> columns) : columns_(columns.size()) {
  for (const std::string& c : columns) add(c);
  end_row();
}

Csv& Csv::add(const std::string& text) {
  if (fields_++) text_ += ',';
  text_ += csv_field(text);
  return *this;
}

Csv& Csv::add(int64_t value) { return add(std::to_string(value)); }

Csv& Csv::add(double value) { return add(std::isfinite(value) ? full_precision(value) : ""); }

Csv& Csv::add(bool value) { return add(std::string(value ? "true" : "false")); }

void Csv::end_row() {
  if (fields_ != columns_) {
    throw_error(ErrorCode::kInternal, "CSV record with " + std::to_string(fields_) +
                                          " fields under a header of " + std::to_string(columns_));
  }
  text_ += '\n';
  fields_ = 0;
}

std::string full_precision(double value) {
  // Integer-valued doubles below 2^53 print as integers; fmt's shortest
  // round-trip form would write 1e+09 for them.
  if (std::abs(value) < 9007199254740992.0 && value == std::floor(value)) {
    return fmt::format("{}", static_cast<int64_t>(value));
  }
  return fmt::format("{}", value);
}

}  // namespace reuselens::report
