// reuselens: data reuse, arithmetic intensity and DI of DNNs.
// main() only wires the subcommands and maps errors to exit codes.
#include <iostream>

#include "commands.h"
#include "reuselens/error.h"
#include "reuselens/version.h"

namespace {

int run(int argc, char** argv) {
  CLI::App app{"reuselens " REUSELENS_VERSION
               ": data reuse, arithmetic intensity and DI of deep neural networks"};
  app.set_version_flag("--version", REUSELENS_VERSION);
  app.require_subcommand(1);
  reuselens::cli::setup_analyze(app);
  reuselens::cli::setup_compare(app);
  reuselens::cli::setup_zoo(app);
  reuselens::cli::setup_ops(app);
  reuselens::cli::setup_correlate(app);
  reuselens::cli::setup_calibrate(app);
  reuselens::cli::setup_rank(app);
  reuselens::cli::setup_roofline(app);
  reuselens::cli::setup_report(app);
  reuselens::cli::setup_dataflow(app);
  reuselens::cli::setup_measure(app);
  reuselens::cli::setup_bench(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : static_cast<int>(reuselens::ErrorCode::kUsage);
  } catch (const reuselens::Error& e) {
    std::cerr << "reuselens: error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "reuselens: internal error: " << e.what() << "\n";
    return static_cast<int>(reuselens::ErrorCode::kInternal);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (...) {  // setting up the parser itself failed
    std::cerr << "reuselens: internal error during start-up\n";
    return static_cast<int>(reuselens::ErrorCode::kInternal);
  }
}
