#include "measure/sampler.h"

#include <sys/resource.h>

#include <chrono>

namespace reuselens {

namespace {

double thread_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_THREAD, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

Sampler::Sampler(Meter& meter, double period_s) : meter_(meter), period_s_(period_s) {
  take_sample();
  thread_ = std::thread([this] { loop(); });
}

Sampler::~Sampler() { stop(); }

bool Sampler::take_sample() {
  PowerSample s;
  try {
    s = meter_.read();
  } catch (const std::exception& e) {
    std::lock_guard lock(mutex_);
    if (failure_.empty()) failure_ = e.what();
    return false;
  }
  std::lock_guard lock(mutex_);
  samples_.push_back(s);
  return true;
}

void Sampler::loop() {
  const double cpu0 = thread_cpu_seconds();
  const auto period = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(period_s_));
  auto next = std::chrono::steady_clock::now() + period;
  bool healthy;
  {
    std::lock_guard lock(mutex_);
    healthy = failure_.empty();
  }
  while (healthy) {
    {
      std::unique_lock lock(mutex_);
      // Sleeping on the condition variable lets stop() end the wait at once,
      // so the last sample is taken when the work ends, not up to a period later.
      if (wake_.wait_until(lock, next, [this] { return stopping_; })) break;
    }
    healthy = take_sample();
    next += period;
  }
  cpu_s_ = thread_cpu_seconds() - cpu0;
}

void Sampler::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  bool healthy;
  {
    std::lock_guard lock(mutex_);
    healthy = failure_.empty();
  }
  if (healthy) take_sample();
}

std::vector<PowerSample> Sampler::snapshot() const {
  std::lock_guard lock(mutex_);
  return samples_;
}

}  // namespace reuselens
