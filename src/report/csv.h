// CSV as RFC 4180 describes it: one header line, then records with the same
// number of fields, quoted where a field holds a comma, quote or line break.
// No comment lines (they break pandas.read_csv and spreadsheet imports):
// what a table was made with goes into columns of every row. Numbers are
// written in full: integers exactly, doubles in the shortest form that reads
// back to the same value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace reuselens::report {

class Csv {
 public:
  explicit Csv(std::vector<std::string> columns);

  Csv& add(const std::string& text);
  Csv& add(const char* text) { return add(std::string(text)); }
  Csv& add(int64_t value);
  Csv& add(int value) { return add(static_cast<int64_t>(value)); }
  Csv& add(double value);  // empty for NaN and infinities
  Csv& add(bool value);    // true / false
  // Ends the record; throws Error(kInternal) when it has the wrong field count.
  void end_row();

  const std::string& str() const { return text_; }

 private:
  size_t columns_;
  size_t fields_ = 0;
  std::string text_;
};

// The shortest decimal that reads back to `value` (17 significant digits at
// most; never 7.22941e+08 for an integer-valued count).
std::string full_precision(double value);

}  // namespace reuselens::report
