// One setup function per subcommand; each registers its options and a
// callback that calls one library function and prints through a printer.
#pragma once

#include <CLI/CLI.hpp>

namespace reuselens::cli {

void setup_analyze(CLI::App& app);
void setup_compare(CLI::App& app);
void setup_zoo(CLI::App& app);
void setup_ops(CLI::App& app);
void setup_correlate(CLI::App& app);
void setup_calibrate(CLI::App& app);
void setup_rank(CLI::App& app);
void setup_roofline(CLI::App& app);
void setup_report(CLI::App& app);
void setup_dataflow(CLI::App& app);
void setup_measure(CLI::App& app);
void setup_bench(CLI::App& app);
void setup_hw(CLI::App& app);
void setup_map(CLI::App& app);

}  // namespace reuselens::cli
