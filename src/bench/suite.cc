// Many networks and batch sizes: one meter, rows appended as each network
// completes, finished rows skipped on a second run.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "ir/files.h"
#include "measure/conditions.h"
#include "report/text_table.h"
#include "reuselens/bench.h"
#include "reuselens/correlate.h"
#include "reuselens/error.h"
#include "reuselens/version.h"

namespace reuselens {

namespace {

std::string number(double v) { return fmt::format("{:.6g}", v); }

std::string interval(const std::optional<stats::MeanInterval>& m, bool half_width) {
  if (!m) return "";
  return number(half_width ? m->half_width : m->mean);
}

std::string cpu_model_name() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos) break;
    const auto start = line.find_first_not_of(' ', colon + 1);
    return start == std::string::npos ? "CPU" : line.substr(start);
  }
  return "CPU";
}

std::string default_label(const BenchRequest& request, Meter* meter) {
  if (!request.label.empty()) return request.label;
  if (meter) {
    std::string name = condition(meter->conditions(), "device");
    if (!name.empty()) return name;
  }
  return request.options.device == "cpu" ? cpu_model_name() : request.options.device;
}

std::string row_key(const std::string& spec, const std::string& device, int64_t batch) {
  return spec + "\n" + device + "\n" + std::to_string(batch);
}

// Rows already measured, keyed by model, device and batch. A file written by
// something else (another header) is refused rather than mixed.
std::set<std::string> finished_rows(const std::string& path) {
  std::set<std::string> keys;
  if (!std::filesystem::exists(path) || std::filesystem::file_size(path) == 0) return keys;
  check_csv_appendable(path, bench_csv_header());
  const std::string text = read_text_file(path);
  for (const Measurement& m : parse_measurements(text, path))
    keys.insert(row_key(m.model, m.device, m.batch));
  return keys;
}

}  // namespace

std::string default_meter_for(const std::string& device) {
  if (device.rfind("cuda:", 0) == 0) return "nvml:" + device.substr(5);
  if (device == "cuda") return "nvml:0";
  try {
    (void)open_meter("rapl");
    return "rapl";
  } catch (const Error&) {
    return "";
  }
}

std::string bench_csv_header() {
  return "model,device,batch,inference_ms,avg_power_w,idle_power_w,energy_j,"
         "inference_ms_ci,avg_power_w_ci,energy_j_ci,energy_above_idle_j,energy_per_pixel_j,"
         "macs_per_joule,macs_per_joule_ci,ci_level,mc_per_image,convention,repeats,iterations,"
         "warmup_s,warmup_stable,meter,period_s,energy_from_counter,integrated_vs_counter_pct,"
         "runtime,executor,reuselens_version,commit,date,driver,sm_clock_mhz,mem_clock_mhz,"
         "temperature_c_start,temperature_c_end";
}

std::string bench_csv_row(const BenchResult& r, const std::string& label) {
  if (!r.complete) throw_error(ErrorCode::kInternal, "a row needs a complete measurement");
  const bool counter =
      !r.repeats.empty() && r.repeats.front().energy && r.repeats.front().energy->from_counter;
  std::vector<std::string> f = {
      report::csv_field(r.spec),
      report::csv_field(label),
      std::to_string(r.batch),
      number(r.inference_ms.mean),
      interval(r.avg_power_w, false),
      r.idle ? number(r.idle->avg_power_w) : "",
      interval(r.energy_per_batch_j, false),
      number(r.inference_ms.half_width),
      interval(r.avg_power_w, true),
      interval(r.energy_per_batch_j, true),
      interval(r.energy_above_idle_per_batch_j, false),
      interval(r.energy_per_pixel_j, false),
      interval(r.macs_per_joule, false),
      interval(r.macs_per_joule, true),
      number(r.inference_ms.level),
      std::to_string(r.mc_per_image),
      r.convention,
      std::to_string(r.repeats.size()),
      std::to_string(r.repeats.front().iterations),
      number(r.warmup_s),
      r.warmup_stable ? "1" : "0",
      report::csv_field(r.meter),
      number(r.period_s),
      counter ? "1" : "0",
      r.integrated_vs_counter_pct ? number(*r.integrated_vs_counter_pct) : "",
      report::csv_field(r.runtime),
      report::csv_field(r.executor),
      REUSELENS_VERSION,
      REUSELENS_COMMIT,
      r.date,
      report::csv_field(condition(r.conditions_start, "driver")),
      condition(r.conditions_start, "sm_clock_mhz"),
      condition(r.conditions_start, "mem_clock_mhz"),
      condition(r.conditions_start, "temperature_c"),
      condition(r.conditions_end, "temperature_c"),
  };
  std::string line;
  for (size_t i = 0; i < f.size(); ++i) line += (i ? "," : "") + f[i];
  return line;
}

BenchSuite run_bench(const BenchRequest& request,
                     const std::function<void(const BenchProgress&)>& progress) {
  if (request.models.empty()) throw_error(ErrorCode::kUsage, "no model to bench");
  if (request.shard_count < 1 || request.shard_index < 0 ||
      request.shard_index >= request.shard_count) {
    throw_error(ErrorCode::kUsage, "shard " + std::to_string(request.shard_index) + "/" +
                                       std::to_string(request.shard_count) +
                                       " is not I/N with 0 <= I < N");
  }
  const std::string& device = request.options.device;
  const bool cuda_index = device.rfind("cuda:", 0) == 0 && device.size() > 5 &&
                          device.size() <= 9 &&
                          device.find_first_not_of("0123456789", 5) == std::string::npos;
  if (device != "cpu" && device != "cuda" && !cuda_index) {
    throw_error(ErrorCode::kUsage,
                "--device '" + device + "' is not cpu, cuda or cuda:N (N a device index < 10000)");
  }
  validate(request.options);
  for (int64_t b : request.batches)
    if (b < 1) throw_error(ErrorCode::kUsage, "batch sizes must be >= 1");
  BenchSuite suite;
  suite.convention = request.options.analysis.convention.name;
  suite.meter = request.meter.empty()     ? default_meter_for(request.options.device)
                : request.meter == "none" ? ""
                                          : request.meter;
  if (!request.append.empty() && suite.meter.empty()) {
    throw_error(ErrorCode::kUsage,
                "--append writes energy rows, and no meter is readable for " +
                    request.options.device +
                    ": give --meter (nvml:N, rapl, replay:TRACE.csv) or drop --append");
  }
  std::unique_ptr<Meter> meter = suite.meter.empty() ? nullptr : open_meter(suite.meter);
  suite.label = default_label(request, meter.get());
  const std::vector<std::string> specs = expand_model_specs(request.models);
  std::set<std::string> finished;
  if (!request.append.empty() && request.resume) finished = finished_rows(request.append);

  BenchProgress p;
  const auto owned = [&request](int64_t pair) {
    return pair % request.shard_count == request.shard_index;
  };
  for (int64_t pair = 0; pair < static_cast<int64_t>(specs.size() * request.batches.size());
       ++pair) {
    p.total += owned(pair);
  }
  int64_t pair = -1;
  const auto tell = [&](const std::string& stage) {
    p.stage = stage;
    if (progress) progress(p);
  };
  for (const std::string& spec : specs) {
    // The --batch list decides N, also over an N given with the input shapes.
    LoadOptions load = request.load;
    const auto set_batch = [&load](int64_t batch) {
      load.batch = batch;
      if (load.input_shape.size() == 4) load.input_shape[0] = batch;
      for (auto& [name, shape] : load.named_input_shapes) {
        if (shape.size() >= 2) shape[0] = batch;
      }
    };
    bool any = false;
    for (size_t b = 0; b < request.batches.size(); ++b) any = any || owned(pair + 1 + b);
    if (!any) {
      pair += static_cast<int64_t>(request.batches.size());
      continue;
    }
    set_batch(1);
    suite.analyses[spec] = analyze(load_model(spec, load), request.options.analysis);
    for (int64_t batch : request.batches) {
      if (!owned(++pair)) continue;
      p.model = spec;
      p.batch = batch;
      if (finished.count(row_key(spec, suite.label, batch))) {
        suite.skipped.push_back(spec + " b" + std::to_string(batch));
        ++p.done;
        tell("skipped");
        continue;
      }
      tell("building");
      set_batch(batch);
      const Graph graph = load_model(spec, load);
      BenchResult result;
      try {
        auto executor = open_executor(graph, request.options.device, request.options.plugin);
        result = bench_graph(graph, *executor, meter.get(), request.options, tell);
      } catch (const Error& e) {
        if (e.code() != ErrorCode::kInvalidModel) throw;  // no plugin or device: none will run
        result.model = graph.name;
        result.batch = batch;
        result.device = request.options.device;
        result.failure = e.message();
      }
      result.spec = spec;
      if (result.complete && !request.append.empty())
        append_csv_row(request.append, bench_csv_header(), bench_csv_row(result, suite.label));
      suite.results.push_back(std::move(result));
      ++p.done;
      tell(suite.results.back().complete ? "done" : "failed");
    }
  }
  return suite;
}

}  // namespace reuselens
