// What a result was made with, worded once for every printer: the inputs as
// analysed, the precision of byte counts, and the CSV columns that carry
// them on every row.
#pragma once

#include <string>
#include <vector>

#include "report/csv.h"
#include "reuselens/metrics.h"

namespace reuselens::report {

// "data 1x3x224x224" or "input_ids 1x64, attention_mask 1x64".
std::string inputs_text(const Analysis& analysis);
// "weights fp32 (32-bit), activations fp16 (16-bit)" or
// "each tensor's own type (from the model)".
std::string precision_text(const Analysis& analysis);

// Short form for a table cell: "fp32", "int8/fp16" (weights/activations) or
// "model" (each tensor's own type).
std::string precision_short(const Analysis& analysis);

// Columns every analysis CSV row ends with, and their values.
std::vector<std::string> provenance_columns();
void add_provenance(Csv& csv, const Analysis& analysis);

}  // namespace reuselens::report
