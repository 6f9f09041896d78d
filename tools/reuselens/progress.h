// Progress of long-running work on standard error: a bar with counts and the
// time left, redrawn in place. Only on a terminal, and not with --quiet:
// redirected output and scripts see nothing of it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace reuselens::cli {

// The bar's text for `done` of `total` after `elapsed` seconds:
// "[#######.................] 7/24 zoo:alexnet  0:12 left".
std::string progress_line(int64_t done, int64_t total, const std::string& what, double elapsed);

class Progress {
 public:
  explicit Progress(bool quiet);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void update(int64_t done, int64_t total, const std::string& what);
  // Clears the bar so that the output that follows starts on a clean line.
  void finish();
  bool enabled() const { return enabled_; }

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace reuselens::cli
