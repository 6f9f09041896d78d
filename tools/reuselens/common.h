// Options shared by the subcommands and the one place output is written.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "reuselens/reuselens.h"

namespace reuselens::cli {

struct CommonOptions {
  std::string format = "table";
  std::string output;  // "" = standard output
};

struct CountingOptions {
  std::string convention = "paper";
  double alpha = 0.8;
  int64_t batch = 1;
  int weight_bits = 32;
  int act_bits = 32;
  std::vector<std::string> input;  // NxCxHxW, CxHxW, or NAME=NxCxHxW (ONNX; may repeat)
};

void add_common_options(CLI::App& app, CommonOptions& options);
void add_counting_options(CLI::App& app, CountingOptions& options);

LoadOptions to_load_options(const CountingOptions& options);
AnalysisOptions to_analysis_options(const CountingOptions& options);

// Writes to `-o FILE` (atomically: a failed run leaves no partial file) or stdout.
void emit(const CommonOptions& options, const std::string& text);

}  // namespace reuselens::cli
