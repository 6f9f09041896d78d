#include "common.h"

#include <iostream>

#include "output.h"

namespace reuselens::cli {

void warn(const std::string& message) { std::cerr << "reuselens: warning: " << message << "\n"; }

const CLI::Validator& at_least_one() {
  static const CLI::Validator check(
      [](std::string& text) -> std::string {
        size_t used = 0;
        long long value = 0;
        try {
          value = std::stoll(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used != text.size() || used == 0 || value < 1) return text + " is not >= 1";
        return "";
      },
      "N>=1");
  return check;
}

void add_shard_option(CLI::App& app, std::string& shard, const std::string& items) {
  app.add_option("--shard", shard,
                 "I/N: run slice I of N (0 <= I < N) of the " + items +
                     ", item j in slice j mod N, for one job of a batch-system array; merge the "
                     "CSV shards as docs/cli.md shows");
}

void add_common_options(CLI::App& app, CommonOptions& options) {
  app.add_option("--format", options.format, "Output format: table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  app.add_option("-o,--output", options.output, "Write to FILE instead of standard output")
      ->check(writable_path());
}

void add_input_options(CLI::App& app, InputOptions& options) {
  app.add_option("--batch", options.batch,
                 "Batch size N of every input (default: the model's own, 1 where open)")
      ->check(at_least_one());
  app.add_option("--input", options.input,
                 "Input shape: SHAPE for the only input (NxCxHxW, or without N), NAME=SHAPE for a "
                 "named one (repeatable)");
  app.add_option("--dim", options.dims,
                 "NAME=VALUE: a named symbolic input dimension, wherever it appears (repeatable)");
  app.add_option("--value", options.values,
                 "NAME=V: the value of a scalar input (ONNX: a sample rate, a flag), which "
                 "decides conditions on it (repeatable)");
  app.add_option("--trip-count", options.trip_counts,
                 "N, or NODE=N: the trip count of loops whose count depends on input values");
}

void add_precision_options(CLI::App& app, PrecisionOptions& options) {
  std::string types;
  for (const NumberType& t : number_types()) types += (types.empty() ? "" : ", ") + t.name;
  app.add_option("--dtype", options.dtype,
                 "Data type of weights and activations for byte counts: " + types);
  app.add_option("--weight-type", options.weight_type, "Data type of weights (overrides --dtype)");
  app.add_option("--act-type", options.act_type, "Data type of activations (overrides --dtype)");
  app.add_option("--weight-bits", options.weight_bits,
                 "Deprecated: bits per weight (4, 8, 16, 32); use --weight-type");
  app.add_option("--act-bits", options.act_bits, "Deprecated: bits per activation; use --act-type");
}

void add_convention_options(CLI::App& app, CountingOptions& options) {
  app.add_option("--convention", options.convention,
                 "Counting convention: paper (Table 7), conv-fc or memory (docs/metrics.md)")
      ->capture_default_str();
  app.add_option("--alpha", options.alpha, "DI's data-reuse coefficient, in [0, 1]")
      ->capture_default_str();
}

void add_llm_options(CLI::App& app, LlmCliOptions& options) {
  const std::string group = "Language models (config.json, zoo:llama-3-8b ...)";
  app.add_option("--phase", options.phase,
                 "prefill (the prompt, default) or decode (one token per sequence)")
      ->check(CLI::IsMember({"prefill", "decode"}))
      ->group(group);
  app.add_option("--prompt", options.prompt, "Prefill: prompt tokens per sequence (default 512)")
      ->check(at_least_one())
      ->group(group);
  app.add_option("--context", options.context,
                 "Decode: sequence length after the step, cached tokens + 1 (default 512)")
      ->check(at_least_one())
      ->group(group);
  app.add_option("--attention", options.attention,
                 "Attention products counted: causal (those the mask keeps, default) or dense "
                 "(every pair, as unfused kernels)")
      ->check(CLI::IsMember({"causal", "dense"}))
      ->group(group);
  app.add_option("--logits", options.logits,
                 "Prefill positions given logits: last (default) or all")
      ->check(CLI::IsMember({"last", "all"}))
      ->group(group);
  app.add_option("--kv-type", options.kv_type, "KV-cache data type (default: the activation type)")
      ->group(group);
  app.add_option("--group-size", options.group_size,
                 "Weights per quantisation group of int4/int8/fp8 weights (0: per output "
                 "channel; default 128 for 4-bit types, else 0)")
      ->check(CLI::NonNegativeNumber)
      ->group(group);
}

void add_counting_options(CLI::App& app, CountingOptions& options) {
  add_convention_options(app, options);
  add_input_options(app, options.inputs);
  add_precision_options(app, options.precision);
  add_llm_options(app, options.llm);
}

LoadOptions to_load_options(const InputOptions& options) {
  InputRequest r;
  r.batch = options.batch;
  r.inputs = options.input;
  r.dims = options.dims;
  r.values = options.values;
  r.trip_counts = options.trip_counts;
  return load_options_from(r);
}

void apply_precision(const PrecisionOptions& p, AnalysisOptions& a) {
  if (p.weight_bits) {
    warn("--weight-bits is deprecated; use --weight-type " +
         number_type_for_bits(p.weight_bits).name);
  }
  if (p.act_bits) {
    warn("--act-bits is deprecated; use --act-type " + number_type_for_bits(p.act_bits).name);
  }
  apply_types({p.dtype, p.weight_type, p.act_type, p.weight_bits, p.act_bits}, a);
}

void apply_llm_options(const LlmCliOptions& llm, const PrecisionOptions& p, AnalysisOptions& a) {
  LlmStepOptions& step = a.llm;
  step.phase = llm.phase;
  step.prompt = llm.prompt;
  step.context = llm.context;
  step.attention = llm.attention;
  step.logits = llm.logits;
  step.kv_type = llm.kv_type.empty() ? "" : number_type(llm.kv_type).name;
  step.group_size = llm.group_size;
  AnalysisOptions types;  // the types a config takes, as apply_types names them
  apply_types({p.dtype, p.weight_type, p.act_type, p.weight_bits, p.act_bits}, types);
  step.weight_type = types.llm.weight_type;
  step.act_type = types.llm.act_type;
}

AnalysisOptions to_analysis_options(const CountingOptions& options) {
  AnalysisOptions a;
  a.convention = convention_by_name(options.convention);
  a.alpha = options.alpha;
  apply_precision(options.precision, a);
  apply_llm_options(options.llm, options.precision, a);
  validate(a);
  return a;
}

CLI::Option* add_deprecated_alias(CLI::App& app, const std::string& old_name,
                                  const std::string& new_name, std::string& target) {
  return app
      .add_option_function<std::string>(
          old_name,
          [&target, old_name, new_name](const std::string& value) {
            warn(old_name + " is deprecated; use " + new_name);
            target = value;
          },
          "Deprecated spelling of " + new_name)
      ->group("Deprecated");
}

void emit(const CommonOptions& options, const std::string& text) {
  queue_output(options.output, text);
}

void emit_file(const std::string& path, const std::string& text) { queue_output(path, text); }

}  // namespace reuselens::cli
