// Measurement rows: the CSV lines `measure` and `bench` append.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "ir/timestamp.h"
#include "measure/conditions.h"
#include "report/text_table.h"
#include "reuselens/error.h"
#include "reuselens/measure.h"
#include "reuselens/version.h"

namespace reuselens {

namespace {

// The first line of a file, "" when it is missing or empty.
std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (in) std::getline(in, line);
  return line;
}

}  // namespace

std::string measure_csv_header() {
  return "model,device,batch,inference_ms,avg_power_w,idle_power_w,energy_j,meter,period_s,"
         "samples,energy_from_counter,reuselens_version,commit,date,gpu_device,driver,"
         "sm_clock_mhz,temperature_c";
}

std::string measure_csv_row(const MeasureResult& r, const MeasureRowInfo& info) {
  if (info.model.empty() || info.device.empty())
    throw_error(ErrorCode::kUsage, "--append needs --model and --device");
  if (info.iterations < 1 || info.batch < 1)
    throw_error(ErrorCode::kUsage, "--iterations and --batch must be >= 1");
  if (!r.complete) throw_error(ErrorCode::kInternal, "an incomplete measurement has no row");
  const double iterations = static_cast<double>(info.iterations);
  const auto& c = r.conditions_start;
  return fmt::format("{},{},{},{:.6g},{:.6g},{:.6g},{:.6g},{},{},{},{},{},{},{},{},{},{},{}",
                     report::csv_field(info.model), report::csv_field(info.device), info.batch,
                     1000 * r.wall_s / iterations, r.run.avg_power_w, r.idle.avg_power_w,
                     r.run.energy_j / iterations, report::csv_field(r.meter), info.period_s,
                     r.run.samples, r.run.from_counter ? 1 : 0, REUSELENS_VERSION, REUSELENS_COMMIT,
                     utc_timestamp(), report::csv_field(condition(c, "device")),
                     report::csv_field(condition(c, "driver")), condition(c, "sm_clock_mhz"),
                     condition(c, "temperature_c"));
}

void check_csv_appendable(const std::string& path, const std::string& header) {
  const std::string existing = first_line(path);
  if (!existing.empty() && existing != header) {
    throw_error(ErrorCode::kUsage, path +
                                       ": its columns differ from the rows being appended; "
                                       "append to a new file (first line: '" +
                                       existing.substr(0, 60) + "')");
  }
}

void append_csv_row(const std::string& path, const std::string& header, const std::string& row) {
  check_csv_appendable(path, header);
  const std::string existing = first_line(path);
  const std::string text = (existing.empty() ? header + "\n" : std::string()) + row + "\n";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw_error(ErrorCode::kIo, path + ": cannot open for appending: " + strerror(errno));
  const ssize_t written = ::write(fd, text.data(), text.size());
  const bool ok = written == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw_error(ErrorCode::kIo, path + ": write failed");
}

}  // namespace reuselens
