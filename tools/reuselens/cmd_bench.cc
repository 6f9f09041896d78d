#include <fmt/format.h>
#include <unistd.h>

#include <iostream>
#include <memory>

#include "commands.h"
#include "common.h"
#include "output.h"
#include "progress.h"
#include "reuselens/bench.h"

namespace reuselens::cli {

namespace {

struct BenchCliOptions {
  BenchRequest request;
  std::string batches = "1";
  std::string convention = "paper";
  InputOptions inputs;
  bool no_resume = false;
  bool quiet = false;
  std::string shard;
  CommonOptions common;
};

std::vector<int64_t> parse_batches(const std::string& text) {
  std::vector<int64_t> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    size_t used = 0;
    int64_t value = 0;
    try {
      value = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != item.size() || value < 1)
      throw_error(ErrorCode::kUsage, "--batch: '" + item + "' is not a batch size >= 1");
    out.push_back(value);
    start = comma + 1;
  }
  return out;
}

// A progress line on a terminal (redrawn in place), one line per network
// otherwise, so logs of long runs stay readable.
}  // namespace

void setup_bench(CLI::App& app) {
  auto o = std::make_shared<BenchCliOptions>();
  BenchOptions& b = o->request.options;
  CLI::App* sub = app.add_subcommand(
      "bench", "Run networks (LibTorch plugin) and measure I_t, power, energy, MACs/J");
  sub->add_option("models", o->request.models, "zoo:NAME, zoo:all, or a model file")
      ->required()
      ->expected(-1);
  sub->add_option("--batch", o->batches, "Batch sizes, comma-separated (1,4)")
      ->capture_default_str();
  sub->add_option("--device", b.device, "cpu or cuda:N")->capture_default_str();
  sub->add_option("--meter", o->request.meter,
                  "nvml:N, rapl, rapl:dram, replay:TRACE.csv or none (default: nvml:N for "
                  "cuda:N, rapl when readable)");
  sub->add_option("--label", o->request.label,
                  "Device column of the rows (default: the meter's or CPU's name)");
  sub->add_option("--append", o->request.append,
                  "Append one row per finished network to this measurements CSV")
      ->check(writable_path());
  sub->add_flag("--no-resume", o->no_resume, "Measure again rows the --append file already holds");
  sub->add_option("--repeats", b.repeats, "Repeats R")->capture_default_str();
  sub->add_option("--iterations", b.iterations,
                  "Inferences per repeat N (0: as many as fill --min-repeat)")
      ->capture_default_str();
  sub->add_option("--min-repeat", b.min_repeat_s, "Seconds per repeat when N is automatic")
      ->capture_default_str();
  CLI::Option* idle = sub->add_option("--idle", b.idle_s, "With a meter: seconds of idle baseline")
                          ->capture_default_str();
  CLI::Option* period =
      sub->add_option("--period", b.period_s, "With a meter: sampling period, seconds")
          ->capture_default_str();
  sub->add_option("--warmup-min", b.warmup_min_s, "Warm-up lasts at least this many seconds")
      ->capture_default_str();
  sub->add_option("--warmup-max", b.warmup_max_s, "... and at most this many, stable or not")
      ->capture_default_str();
  sub->add_option("--tolerance", b.stability_tolerance,
                  "Stability: coefficient of variation and drift below this")
      ->capture_default_str();
  CLI::Option* window = sub->add_option("--stability-window", b.stability_window_s,
                                        "Seconds of power samples the stability criterion looks at")
                            ->capture_default_str();
  sub->add_option("--confidence", b.level, "Confidence level of the intervals")
      ->capture_default_str();
  sub->add_option_function<double>(
         "--level",
         [&b](double level) {
           warn("bench --level is deprecated; use --confidence (--level is a memory level)");
           b.level = level;
         },
         "Deprecated: use --confidence")
      ->group("Deprecated");
  sub->add_option("--layers", b.layer_iterations,
                  "Also time every layer over this many inferences (synchronised per layer)")
      ->capture_default_str();
  sub->add_option("--hw", b.hardware,
                  "With --layers: hold each layer against this roofline (preset or JSON file)");
  sub->add_option("--plugin", b.plugin, "Executor plugin path (default: search)");
  sub->add_option("--convention", o->convention, "Convention of Mc in MACs per joule")
      ->capture_default_str();
  sub->add_option("--input", o->inputs.input,
                  "Input shape (its N follows --batch), or NAME=SHAPE (repeatable)");
  sub->add_option("--dim", o->inputs.dims, "NAME=VALUE: a named symbolic input dimension");
  sub->add_flag("--quiet", o->quiet, "No progress on standard error");
  add_shard_option(*sub, o->shard, "(model, batch) pairs");
  add_common_options(*sub, o->common);
  sub->callback([o, idle, period, window] {
    if (!o->request.options.hardware.empty() && o->request.options.layer_iterations == 0)
      throw_error(ErrorCode::kUsage,
                  "--hw holds the --layers timings against a roofline: give --layers");
    if (o->no_resume && o->request.append.empty())
      throw_error(ErrorCode::kUsage, "--no-resume is about the --append file: give --append");
    const std::string meter = o->request.meter.empty()
                                  ? default_meter_for(o->request.options.device)
                                  : (o->request.meter == "none" ? "" : o->request.meter);
    if (meter.empty() && (idle->count() || period->count() || window->count())) {
      throw_error(ErrorCode::kUsage,
                  "--idle, --period and --stability-window are about power samples, and no meter "
                  "is in use: give --meter");
    }
    CountingOptions counting;
    counting.convention = o->convention;
    o->request.load = to_load_options(o->inputs);
    o->request.options.analysis = to_analysis_options(counting);
    o->request.batches = parse_batches(o->batches);
    o->request.resume = !o->no_resume;
    if (!o->shard.empty()) {
      const Shard shard = parse_shard(o->shard);
      o->request.shard_index = shard.index;
      o->request.shard_count = shard.count;
    }
    const Format format = format_by_name(o->common.format);
    Progress bar(o->quiet);
    const BenchSuite suite = run_bench(o->request, [&bar](const BenchProgress& p) {
      bar.update(p.done, p.total, fmt::format("{} b{}: {}", p.model, p.batch, p.stage));
    });
    bar.finish();
    emit(o->common, render_bench(suite, format));
    for (const BenchResult& r : suite.results) {
      if (!r.complete) throw_error(ErrorCode::kIo, "not every network was measured (see FAILED)");
    }
  });
}

}  // namespace reuselens::cli
