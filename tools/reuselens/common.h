// Options shared by the subcommands and the one place output is written.
// Each concept has one flag name across commands (docs/cli.md, "Flags").
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "reuselens/reuselens.h"

namespace reuselens::cli {

struct CommonOptions {
  std::string format = "table";
  std::string output;  // "" = standard output
};

// Model inputs: --input, --batch, --dim (the rules: frontend/inputs.h).
struct InputOptions {
  int64_t batch = 0;                     // 0: not given
  std::vector<std::string> input;        // SHAPE or NAME=SHAPE (repeatable)
  std::vector<std::string> dims;         // NAME=VALUE (repeatable)
  std::vector<std::string> values;       // NAME=V: a scalar input's value (ONNX)
  std::vector<std::string> trip_counts;  // N or NODE=N: loops with no constant count
};

// Data types: --dtype for every class, --weight-type/--act-type per class;
// the old --weight-bits/--act-bits remain as deprecated spellings.
struct PrecisionOptions {
  std::string dtype;
  std::string weight_type;
  std::string act_type;
  int weight_bits = 0;  // deprecated
  int act_bits = 0;     // deprecated
};

// The step of a language-model config (docs/llm.md); layer graphs refuse them.
struct LlmCliOptions {
  std::string phase;
  int64_t prompt = 0;
  int64_t context = 0;
  std::string attention;
  std::string logits;
  std::string kv_type;
  int64_t group_size = -1;
};

struct CountingOptions {
  std::string convention = "paper";
  double alpha = 0.8;
  InputOptions inputs;
  PrecisionOptions precision;
  LlmCliOptions llm;
};

void add_common_options(CLI::App& app, CommonOptions& options);
void add_input_options(CLI::App& app, InputOptions& options);
void add_precision_options(CLI::App& app, PrecisionOptions& options);
// --convention and --alpha.
void add_convention_options(CLI::App& app, CountingOptions& options);
// --phase, --prompt, --context, --attention, --logits, --kv-type, --group-size.
void add_llm_options(CLI::App& app, LlmCliOptions& options);
// Convention, inputs, precision and the language-model step.
void add_counting_options(CLI::App& app, CountingOptions& options);

LoadOptions to_load_options(const InputOptions& options);
// Applies the precision flags (explicit types override an ONNX model's own).
void apply_precision(const PrecisionOptions& options, AnalysisOptions& analysis);
AnalysisOptions to_analysis_options(const CountingOptions& options);
// The step options into `analysis.llm`, with the types as named.
void apply_llm_options(const LlmCliOptions& llm, const PrecisionOptions& precision,
                       AnalysisOptions& analysis);

// A deprecated spelling: `old_name` still works, says what replaces it on
// standard error, and disappears in the next release.
CLI::Option* add_deprecated_alias(CLI::App& app, const std::string& old_name,
                                  const std::string& new_name, std::string& target);

// The command's result, for `-o FILE` or standard output; written when the
// command has succeeded (output.h).
void emit(const CommonOptions& options, const std::string& text);
// A chart or page for `path`, written with the result.
void emit_file(const std::string& path, const std::string& text);

void warn(const std::string& message);

// --shard I/N: run slice I of N of a sweep's items (a batch-system array job).
void add_shard_option(CLI::App& app, std::string& shard, const std::string& items);

// A CLI11 check for counts: an integer >= 1 ("batch 0 is not >= 1").
const CLI::Validator& at_least_one();  // "reuselens: warning: ..." on stderr

}  // namespace reuselens::cli
