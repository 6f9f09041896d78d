// A column-aligned plain-text table for console output.
#pragma once

#include <string>
#include <vector>

namespace reuselens::report {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  void add_row(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // `align` holds one character per column, 'l' or 'r'; missing ones are 'r'.
  std::string render(const std::string& align) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// Number formatting shared by the printers.
std::string with_commas(int64_t value);
std::string fixed(double value, int decimals);
// CSV field, quoted when it holds a comma, quote or newline.
std::string csv_field(const std::string& value);

}  // namespace reuselens::report
