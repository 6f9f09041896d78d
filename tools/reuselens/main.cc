// reuselens: data reuse, arithmetic intensity and DI of DNNs.
// main() only wires the subcommands and maps errors to exit codes: every
// error is one line, "reuselens: error: [Category] ...", on standard error.
#include <algorithm>
#include <iostream>

#include "commands.h"
#include "output.h"
#include "reuselens/error.h"
#include "reuselens/version.h"

namespace {

std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

int fail(reuselens::ErrorCode code, const std::string& message) {
  reuselens::cli::discard_outputs();  // a failed run prints no result
  std::cerr << "reuselens: error: [" << reuselens::error_category_name(code) << "] "
            << one_line(message) << "\n";
  return static_cast<int>(code);
}

// A first word that is not an option and not a command: name it and the
// commands (CLI11 would only say that a subcommand is required).
std::string unknown_command(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return "";
  const std::string word = argv[1];
  std::string names;
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_name() == word) return "";
    names += (names.empty() ? "" : ", ") + sub->get_name();
  }
  return "unknown command '" + word + "' (commands: " + names + ")";
}

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
  reuselens::cli::setup_hw(app);
  reuselens::cli::setup_map(app);
  const std::string unknown = unknown_command(app, argc, argv);
  if (!unknown.empty()) return fail(reuselens::ErrorCode::kUsage, unknown);
  try {
    app.parse(argc, argv);
    reuselens::cli::commit_outputs();  // the command succeeded: now its results
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string where;
    for (const CLI::App* sub : app.get_subcommands()) where = sub->get_name() + ": ";
    return fail(reuselens::ErrorCode::kUsage, where + e.what());
  } catch (const reuselens::Error& e) {
    return fail(e.code(), e.message());
  } catch (const std::exception& e) {
    return fail(reuselens::ErrorCode::kInternal, e.what());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (...) {  // setting up the parser itself failed
    std::cerr << "reuselens: error: [InternalError] during start-up\n";
    return static_cast<int>(reuselens::ErrorCode::kInternal);
  }
}
