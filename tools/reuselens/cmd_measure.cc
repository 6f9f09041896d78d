#include <fmt/format.h>

#include <memory>

#include "commands.h"
#include "common.h"
#include "output.h"

namespace reuselens::cli {

namespace {

struct MeasureCliOptions {
  std::string meter;
  double period = 0.01;
  double idle = 2.0;
  std::vector<std::string> command;
  // Appending a row to a measurements CSV (the format `correlate` reads).
  std::string append;
  std::string model;
  std::string label;
  int64_t batch = 1;
  int64_t iterations = 1;
  CommonOptions common;
};

}  // namespace

void setup_measure(CLI::App& app) {
  auto o = std::make_shared<MeasureCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "measure", "Run a command under an energy meter: time, energy, power, idle");
  sub->add_option("--meter", o->meter, "nvml:INDEX, rapl, rapl:dram or replay:TRACE.csv")
      ->required();
  sub->add_option("--period", o->period, "Sampling period in seconds")->capture_default_str();
  sub->add_option("--idle", o->idle, "Seconds of idle baseline before the run")
      ->capture_default_str();
  sub->add_option("--append", o->append,
                  "Append a row to this measurements CSV (docs/statistics.md format)")
      ->check(writable_path());
  sub->add_option("--model", o->model, "With --append: the model the command ran (zoo:NAME, path)");
  sub->add_option("--label", o->label, "With --append: the device column of the row");
  add_deprecated_alias(*sub, "--device", "--label (bench's --device is where a model runs)",
                       o->label);
  CLI::Option* batch =
      sub->add_option("--batch", o->batch, "With --append: the batch size the command ran")
          ->check(at_least_one())
          ->capture_default_str();
  CLI::Option* iterations = sub->add_option("--iterations", o->iterations,
                                            "With --append: batches the command runs (the row's "
                                            "inference time = wall / iterations)")
                                ->check(at_least_one())
                                ->capture_default_str();
  add_common_options(*sub, o->common);
  sub->add_option("command", o->command, "The workload, after --")->required()->expected(-1);
  sub->callback([o, batch, iterations] {
    if (!o->append.empty()) {
      if (o->model.empty() || o->label.empty())
        throw_error(ErrorCode::kUsage, "--append needs --model and --label for the row");
      check_csv_appendable(o->append, measure_csv_header());
    } else if (!o->model.empty() || !o->label.empty() || batch->count() || iterations->count()) {
      throw_error(ErrorCode::kUsage,
                  "--model, --label, --batch and --iterations describe the --append row: give "
                  "--append");
    }
    auto meter = open_meter(o->meter);
    MeasureOptions m;
    m.command = o->command;
    m.period_s = o->period;
    m.idle_s = o->idle;
    const Format format = format_by_name(o->common.format);
    const MeasureResult r = measure_command(*meter, m);
    // An incomplete measurement prints nothing but the error: no table that
    // could pass for a result.
    if (!r.complete) throw_error(ErrorCode::kIo, "measurement incomplete: " + r.failure);
    emit(o->common, render_measurement(r, format));
    if (o->append.empty()) return;
    const MeasureRowInfo row{o->model, o->label, o->batch, o->iterations, o->period};
    append_csv_row(o->append, measure_csv_header(), measure_csv_row(r, row));
  });
}

}  // namespace reuselens::cli
