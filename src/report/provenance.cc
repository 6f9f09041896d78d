#include "report/provenance.h"

#include <fmt/format.h>

namespace reuselens::report {

std::string inputs_text(const Analysis& a) { return inputs_summary(a); }

std::string precision_text(const Analysis& a) {
  if (a.bytes_from_tensor_types) return "each tensor's own type (from the model)";
  const AnalysisOptions& o = a.options;
  if (!o.llm.kv_type.empty()) {  // a language-model step: three classes
    return fmt::format("weights {} ({}-bit), KV cache {} ({}-bit), activations {} ({}-bit)",
                       o.weight_type, o.weight_bits(), o.llm.kv_type,
                       number_type(o.llm.kv_type).bits, o.act_type, o.act_bits());
  }
  return fmt::format("weights {} ({}-bit), activations {} ({}-bit)", o.weight_type, o.weight_bits(),
                     o.act_type, o.act_bits());
}

std::string precision_short(const Analysis& a) {
  if (a.bytes_from_tensor_types) return "model";
  const AnalysisOptions& o = a.options;
  return o.weight_type == o.act_type ? o.weight_type : o.weight_type + "/" + o.act_type;
}

std::vector<std::string> provenance_columns() {
  return {"convention", "alpha", "batch", "inputs", "weight_type", "act_type"};
}

void add_provenance(Csv& csv, const Analysis& a) {
  const AnalysisOptions& o = a.options;
  csv.add(o.convention.name).add(o.alpha).add(a.batch).add(inputs_text(a));
  if (a.bytes_from_tensor_types) {
    csv.add("model").add("model");
  } else {
    csv.add(o.weight_type).add(o.act_type);
  }
}

}  // namespace reuselens::report
