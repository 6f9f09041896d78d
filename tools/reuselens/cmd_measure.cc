#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>

#include "commands.h"
#include "common.h"
#include "reuselens/version.h"

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
  std::string device;
  int64_t batch = 1;
  int64_t iterations = 1;
  CommonOptions common;
};

std::string today() {
  const std::time_t now = std::time(nullptr);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return buffer;
}

// One row per complete run; nothing is written for a failed one.
void append_row(const MeasureCliOptions& o, const MeasureResult& r) {
  if (o.model.empty() || o.device.empty())
    throw_error(ErrorCode::kUsage, "--append needs --model and --device");
  if (o.iterations < 1 || o.batch < 1)
    throw_error(ErrorCode::kUsage, "--iterations and --batch must be >= 1");
  const double per_batch_s = r.wall_s / static_cast<double>(o.iterations);
  const std::string header =
      "model,device,batch,inference_ms,avg_power_w,idle_power_w,energy_j,meter,period_s,samples,"
      "energy_from_counter,"
      "reuselens_version,date,gpu_device,driver,sm_clock_mhz,temperature_c";
  const bool fresh =
      !std::filesystem::exists(o.append) || std::filesystem::file_size(o.append) == 0;
  const auto cond = [&r](const char* k) {
    auto it = r.conditions_start.find(k);
    return it == r.conditions_start.end() ? std::string() : it->second;
  };
  std::ofstream out(o.append, std::ios::app);
  if (!out) throw_error(ErrorCode::kIo, o.append + ": cannot open for appending");
  if (fresh) out << header << "\n";
  out << fmt::format("{},{},{},{:.6g},{:.6g},{:.6g},{:.6g},{},{},{},{},{},{},\"{}\",{},{},{}\n",
                     o.model, o.device, o.batch, 1000 * per_batch_s, r.run.avg_power_w,
                     r.idle.avg_power_w, r.run.energy_j / static_cast<double>(o.iterations),
                     r.meter, o.period, r.run.samples, r.run.from_counter ? 1 : 0,
                     REUSELENS_VERSION, today(), cond("device"), cond("driver"),
                     cond("sm_clock_mhz"), cond("temperature_c"));
  if (!out) throw_error(ErrorCode::kIo, o.append + ": write failed");
}

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
                  "Append a row to this measurements CSV (docs/statistics.md format)");
  sub->add_option("--model", o->model, "Model of the row (zoo:NAME or path)");
  sub->add_option("--device", o->device, "Device of the row");
  sub->add_option("--batch", o->batch, "Batch size of the row")->capture_default_str();
  sub->add_option("--iterations", o->iterations,
                  "Batches the command runs (inference time = wall / iterations)")
      ->capture_default_str();
  add_common_options(*sub, o->common);
  sub->add_option("command", o->command, "The workload, after --")->required()->expected(-1);
  sub->callback([o] {
    auto meter = open_meter(o->meter);
    MeasureOptions m;
    m.command = o->command;
    m.period_s = o->period;
    m.idle_s = o->idle;
    const MeasureResult r = measure_command(*meter, m);
    emit(o->common, render_measurement(r, format_by_name(o->common.format)));
    if (!r.complete) throw_error(ErrorCode::kIo, "measurement incomplete: " + r.failure);
    if (!o->append.empty()) append_row(*o, r);
  });
}

}  // namespace reuselens::cli
