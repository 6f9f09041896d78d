// A meter sampled on its own thread at a fixed period. Shared by `measure`
// (around a child process) and `bench` (around in-process inference).
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "reuselens/measure.h"

namespace reuselens {

class Sampler {
 public:
  // Starts sampling at once: the first sample is taken before the
  // constructor returns, so it brackets whatever the caller runs next.
  Sampler(Meter& meter, double period_s);
  ~Sampler();  // stops if still running
  Sampler(const Sampler&) = delete;
  Sampler& operator=(const Sampler&) = delete;

  // Wakes the thread, takes one last sample now and joins. Idempotent.
  void stop();
  // A copy of the samples so far (for stability checks while running).
  std::vector<PowerSample> snapshot() const;
  // After stop(): all samples, the meter's failure ("" when none), and the
  // CPU time the sampling thread used.
  const std::vector<PowerSample>& samples() const { return samples_; }
  const std::string& failure() const { return failure_; }
  double cpu_seconds() const { return cpu_s_; }

 private:
  void loop();
  bool take_sample();  // false once the meter failed

  Meter& meter_;
  double period_s_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<PowerSample> samples_;
  std::string failure_;
  double cpu_s_ = 0;
  std::thread thread_;
};

}  // namespace reuselens
