// Runs a workload under a meter: idle baseline, then sampling on a thread
// while the child process runs.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "ir/checked.h"
#include "measure/sampler.h"
#include "reuselens/error.h"
#include "reuselens/measure.h"

extern char** environ;

namespace reuselens {

MeasureResult measure_command(Meter& meter, const MeasureOptions& o) {
  if (o.command.empty()) throw_error(ErrorCode::kUsage, "no command to measure (give it after --)");
  checked_range(o.period_s, kMinSamplingPeriodS, kMaxSamplingPeriodS, "--period");
  checked_range(o.idle_s, 0, kMaxIdleS, "--idle");
  MeasureResult r;
  r.meter = meter.name();
  r.conditions_start = meter.conditions();
  if (o.idle_s > 0) {
    Sampler idle(meter, o.period_s);
    std::this_thread::sleep_for(std::chrono::duration<double>(o.idle_s));
    idle.stop();
    if (!idle.failure().empty()) {
      r.failure = "meter failed during the idle baseline: " + idle.failure();
      return r;
    }
    r.idle = summarize(idle.samples(), meter.counter_wrap_j());
  }
  std::vector<char*> argv;
  for (const std::string& a : o.command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  Sampler run(meter, o.period_s);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int spawn_error = posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ);
  int status = 0;
  if (spawn_error == 0) waitpid(pid, &status, 0);
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.stop();
  r.sampler_cpu_s = run.cpu_seconds();
  r.conditions_end = meter.conditions();
  if (spawn_error != 0) {
    r.failure = "cannot start '" + o.command[0] + "': " + std::string(strerror(spawn_error));
    return r;
  }
  if (WIFSIGNALED(status)) {
    r.signal = WTERMSIG(status);
    r.failure = "the workload was killed by signal " + std::to_string(r.signal);
  } else {
    r.exit_code = WEXITSTATUS(status);
    if (r.exit_code != 0)
      r.failure = "the workload exited with status " + std::to_string(r.exit_code);
  }
  if (!run.failure().empty()) {
    r.failure = "meter failed during the run: " + run.failure();  // not averaged over what was left
    return r;
  }
  try {
    r.run = summarize(run.samples(), meter.counter_wrap_j());
  } catch (const Error& e) {
    r.failure = e.message();
    return r;
  }
  r.energy_above_idle_j = r.run.energy_j - r.idle.avg_power_w * r.run.duration_s;
  // The sampler brackets the run (a sample at its start and one at its end),
  // so a healthy meter always gives at least two samples.
  r.complete = r.failure.empty();
  return r;
}

}  // namespace reuselens
