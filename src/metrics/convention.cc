#include "reuselens/error.h"
#include "reuselens/metrics.h"

namespace reuselens {

Convention convention_by_name(const std::string& name) {
  if (name == "paper") {
    return {.name = "paper",
            .mc_elementwise = true,
            .w_affine = false,
            .w_statistics = true,
            .w_hyper = true,
            .a_in_place = true,
            .a_input = true,
            .layer_a_inputs = false,
            .description =
                "Netscope rules behind Jha & Mittal Table 7: Mc = conv + FC MACs + 1 per "
                "Scale output + LRN local_size per output; W = conv/FC weights + biases + "
                "2C per BatchNorm (+2 per LRN); A = every layer output, in-place included, "
                "plus the input; layer A = its outputs"};
  }
  if (name == "conv-fc") {
    return {.name = "conv-fc",
            .mc_elementwise = false,
            .w_affine = true,
            .w_statistics = false,
            .w_hyper = false,
            .a_in_place = true,
            .a_input = true,
            .layer_a_inputs = true,
            .description =
                "Mc = conv + FC MACs only; W = all learnable parameters; A = every layer "
                "output, in-place included, plus the input; layer A = inputs + outputs"};
  }
  if (name == "memory") {
    return {.name = "memory",
            .mc_elementwise = false,
            .w_affine = true,
            .w_statistics = true,
            .w_hyper = false,
            .a_in_place = false,
            .a_input = true,
            .layer_a_inputs = true,
            .description =
                "Mc = conv + FC MACs only; W = every stored parameter (learned and "
                "statistics); A = each stored activation once (in-place outputs share "
                "storage) plus the input; layer A = inputs + outputs"};
  }
  std::string known;
  for (const auto& n : convention_names()) known += (known.empty() ? "" : ", ") + n;
  throw_error(ErrorCode::kUsage,
              "unknown counting convention '" + name + "' (known: " + known + ")");
}

std::vector<std::string> convention_names() { return {"paper", "conv-fc", "memory"}; }

void validate(const AnalysisOptions& options) {
  if (!(options.alpha >= 0.0 && options.alpha <= 1.0)) {
    throw_error(ErrorCode::kUsage,
                "--alpha " + std::to_string(options.alpha) + " is outside [0, 1]");
  }
  number_type(options.weight_type);
  number_type(options.act_type);
}

std::string LlmStepOptions::first_set() const {
  if (!phase.empty()) return "--phase";
  if (prompt) return "--prompt";
  if (context) return "--context";
  if (!attention.empty()) return "--attention";
  if (!logits.empty()) return "--logits";
  if (!kv_type.empty()) return "--kv-type";
  if (group_size >= 0) return "--group-size";
  return "";
}

int AnalysisOptions::weight_bits() const { return number_type(weight_type).bits; }
int AnalysisOptions::act_bits() const { return number_type(act_type).bits; }

}  // namespace reuselens
