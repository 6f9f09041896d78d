#include "common.h"

#include <cstdio>
#include <fstream>
#include <iostream>

namespace reuselens::cli {

void add_common_options(CLI::App& app, CommonOptions& options) {
  app.add_option("--format", options.format, "Output format: table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  app.add_option("-o,--output", options.output, "Write to FILE instead of standard output");
}

void add_counting_options(CLI::App& app, CountingOptions& options) {
  app.add_option("--convention", options.convention,
                 "Counting convention: paper (Table 7), conv-fc or memory (docs/metrics.md)")
      ->capture_default_str();
  app.add_option("--alpha", options.alpha, "DI's data-reuse coefficient, in [0, 1]")
      ->capture_default_str();
  app.add_option("--batch", options.batch, "Batch size N of the input")->capture_default_str();
  app.add_option("--weight-bits", options.weight_bits, "Bits per weight for byte counts: 8, 16, 32")
      ->capture_default_str();
  app.add_option("--act-bits", options.act_bits, "Bits per activation for byte counts: 8, 16, 32")
      ->capture_default_str();
  app.add_option("--input", options.input,
                 "Input shape NxCxHxW or CxHxW (overrides the model's); NAME=SHAPE for a named "
                 "ONNX input (repeatable)");
}

LoadOptions to_load_options(const CountingOptions& options) {
  LoadOptions load;
  load.batch = options.batch;
  for (const std::string& input : options.input) {
    const auto eq = input.find('=');
    if (eq != std::string::npos) {
      load.named_input_shapes[input.substr(0, eq)] =
          parse_shape(input.substr(eq + 1), /*any_rank=*/true);
      continue;
    }
    load.input_shape = parse_shape(input);
    if (load.input_shape.size() == 4 && options.batch != 1) load.input_shape[0] = options.batch;
  }
  return load;
}

AnalysisOptions to_analysis_options(const CountingOptions& options) {
  AnalysisOptions a;
  a.convention = convention_by_name(options.convention);
  a.alpha = options.alpha;
  a.weight_bits = options.weight_bits;
  a.act_bits = options.act_bits;
  validate(a);
  return a;
}

void emit(const CommonOptions& options, const std::string& text) {
  if (options.output.empty()) {
    std::cout << text;
    std::cout.flush();
    if (!std::cout) throw_error(ErrorCode::kIo, "cannot write to standard output");
    return;
  }
  const std::string partial = options.output + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) throw_error(ErrorCode::kIo, options.output + ": cannot open for writing");
    out << text;
    out.close();
    if (!out) {
      std::remove(partial.c_str());
      throw_error(ErrorCode::kIo, options.output + ": write failed");
    }
  }
  if (std::rename(partial.c_str(), options.output.c_str()) != 0) {
    std::remove(partial.c_str());
    throw_error(ErrorCode::kIo, options.output + ": cannot move the finished file into place");
  }
}

}  // namespace reuselens::cli
