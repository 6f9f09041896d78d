#include "progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <iostream>

namespace reuselens::cli {

std::string progress_line(int64_t done, int64_t total, const std::string& what, double elapsed) {
  constexpr int kWidth = 24;
  const int filled = total > 0 ? static_cast<int>(kWidth * std::min(done, total) / total) : 0;
  std::string line = fmt::format("[{}{}] {}/{} {}", std::string(filled, '#'),
                                 std::string(kWidth - filled, '.'), done, total, what);
  if (done > 0 && done < total) {
    const auto left = static_cast<int64_t>(
        std::llround(elapsed / static_cast<double>(done) * static_cast<double>(total - done)));
    line += fmt::format("  {}:{:02d} left", left / 60, left % 60);
  }
  return line;
}

namespace {

// On a terminal; REUSELENS_PROGRESS=always draws it anyway (logs, tests).
bool wanted() {
  const char* forced = std::getenv("REUSELENS_PROGRESS");
  return isatty(STDERR_FILENO) != 0 || (forced && std::string(forced) == "always");
}

}  // namespace

Progress::Progress(bool quiet)
    : enabled_(!quiet && wanted()), start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() { finish(); }

void Progress::update(int64_t done, int64_t total, const std::string& what) {
  if (!enabled_) return;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::cerr << "\r\033[K" << progress_line(done, total, what, elapsed) << std::flush;
  drawn_ = true;
}

void Progress::finish() {
  if (!drawn_) return;
  std::cerr << "\r\033[K" << std::flush;
  drawn_ = false;
}

}  // namespace reuselens::cli
