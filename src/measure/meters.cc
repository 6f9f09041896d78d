// The meters, registered in one place (open_meter).
#include <dlfcn.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ir/checked.h"
#include "ir/parse.h"
#include "reuselens/error.h"
#include "reuselens/measure.h"

namespace reuselens {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// --- replay: a recorded trace played against the wall clock -------------
// CSV: t_s,watts[,energy_j]; a row whose watts field is "fail" makes the
// meter fail from that time on; "# wrap_j=X" states the counter's range.
class ReplayMeter : public Meter {
 public:
  explicit ReplayMeter(const std::string& path) : path_(path), start_(Clock::now()) {
    std::ifstream in(path);
    if (!in) throw_error(ErrorCode::kIo, path + ": cannot open power trace");
    std::string line;
    int line_no = 0;
    bool header = false;
    while (std::getline(in, line)) {
      ++line_no;
      const std::string where = path + ":" + std::to_string(line_no);
      if (line.rfind("# wrap_j=", 0) == 0) {
        const std::optional<double> wrap = parse_real(line.substr(9));
        if (!wrap)
          throw_error(ErrorCode::kParse,
                      where + ": wrap_j '" + line.substr(9) + "' is not a number");
        wrap_j_ = checked_range(*wrap, 1e-3, 1e15, where + ": wrap_j", ErrorCode::kParse);
        continue;
      }
      if (line.empty() || line[0] == '#') continue;
      if (!header) {
        header = true;
        continue;
      }
      std::stringstream ss(line);
      std::string t, w, e;
      std::getline(ss, t, ',');
      std::getline(ss, w, ',');
      std::getline(ss, e, ',');
      Row row;
      const auto field = [&where](const std::string& text, const char* name, double hi) {
        const std::optional<double> v = parse_real(text);
        if (!v) {
          throw_error(ErrorCode::kParse, where + ": " + name + " '" + text +
                                             "' is not a number (rows are t_s,watts[,energy_j])");
        }
        return checked_range(*v, 0, hi, where + ": " + name, ErrorCode::kParse);
      };
      row.t = field(t, "t_s", 1e7);
      if (w == "fail") {
        row.fail = true;
      } else {
        row.watts = field(w, "watts", 1e5);
        if (!e.empty()) row.counter = field(e, "energy_j", 1e15);
      }
      rows_.push_back(row);
    }
    if (rows_.empty()) throw_error(ErrorCode::kParse, path + ": power trace has no samples");
  }
  std::string name() const override { return "replay:" + path_; }
  double counter_wrap_j() const override { return wrap_j_; }
  PowerSample read() override {
    const double t = seconds_since(start_);
    const Row* row = &rows_.front();
    for (const Row& r : rows_) {
      if (r.t <= t) row = &r;
    }
    if (row->fail)
      throw_error(ErrorCode::kIo, "replay meter failed at t = " + std::to_string(row->t) + " s");
    PowerSample s{t, row->watts, std::nullopt};
    if (row->counter) {  // a counter advancing at the row's power between rows
      s.counter_j = *row->counter + row->watts * (t - row->t);
      if (wrap_j_ > 0) s.counter_j = std::fmod(*s.counter_j, wrap_j_);
    }
    return s;
  }
  std::map<std::string, std::string> conditions() override {
    return {{"device", "replay " + path_}};
  }

 private:
  struct Row {
    double t = 0, watts = 0;
    std::optional<double> counter;
    bool fail = false;
  };
  std::string path_;
  Clock::time_point start_;
  std::vector<Row> rows_;
  double wrap_j_ = 0;
};

// --- RAPL through Linux powercap ------------------------------------------
// Sums the energy counters of every package domain (or the DRAM domains for
// "rapl:dram"), undoing wrap-around at max_energy_range_uj.
// REUSELENS_POWERCAP_ROOT replaces /sys/class/powercap (tests).
class RaplMeter : public Meter {
 public:
  explicit RaplMeter(const std::string& which) : which_(which), start_(Clock::now()) {
    const char* env = std::getenv("REUSELENS_POWERCAP_ROOT");
    const std::filesystem::path root = env ? env : "/sys/class/powercap";
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(root, ec)) {
      const std::string dir = entry.path().filename().string();
      if (dir.rfind("intel-rapl:", 0) != 0) continue;
      const std::string domain = read_text(entry.path() / "name");
      const bool is_dram = domain == "dram";
      const bool is_package = domain.rfind("package", 0) == 0;
      if ((which_ == "dram" && is_dram) || (which_ == "package" && is_package)) {
        Domain d{entry.path() / "energy_uj",
                 std::stod(read_text(entry.path() / "max_energy_range_uj")), 0, 0};
        d.last = read_counter(d);
        domains_.push_back(d);
      }
    }
    if (ec || domains_.empty()) {
      throw_error(ErrorCode::kIo, "RAPL is not available: no readable " + which_ +
                                      " domain under " + root.string() +
                                      " (not an Intel/AMD RAPL machine, or energy_uj needs root)");
    }
  }
  std::string name() const override { return "rapl:" + which_; }
  double counter_wrap_j() const override { return 0; }  // undone per domain below
  PowerSample read() override {
    const double t = seconds_since(start_);
    double total = 0;
    for (Domain& d : domains_) {
      const double now = read_counter(d);
      double delta = now - d.last;
      if (delta < 0) delta += d.range_uj;  // wrapped
      d.accumulated += delta;
      d.last = now;
      total += d.accumulated;
    }
    const double energy_j = total / 1e6;
    PowerSample s{t, t > last_t_ ? (energy_j - last_j_) / (t - last_t_) : 0, energy_j};
    last_t_ = t;
    last_j_ = energy_j;
    return s;
  }
  std::map<std::string, std::string> conditions() override {
    return {{"device", "RAPL " + which_ + " (" + std::to_string(domains_.size()) + " domains)"}};
  }

 private:
  struct Domain {
    std::filesystem::path energy;
    double range_uj, last, accumulated;
  };
  static std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::string s;
    if (!in || !std::getline(in, s)) throw_error(ErrorCode::kIo, "cannot read " + p.string());
    return s;
  }
  static double read_counter(const Domain& d) { return std::stod(read_text(d.energy)); }
  std::string which_;
  Clock::time_point start_;
  std::vector<Domain> domains_;
  double last_t_ = 0, last_j_ = 0;
};

// --- NVML, loaded at run time -----------------------------------------------
// Only the handful of entry points needed, declared here, so that reuselens
// builds and runs without NVIDIA's headers or driver.

// nvmlFieldValue_t as nvml.h lays it out (NVML field-value queries).
struct NvmlFieldValue {
  unsigned field_id;
  unsigned scope_id;
  long long timestamp;
  long long latency_us;
  int value_type;  // nvmlValueType_t: 0 double, 1 uint, 2 ulong, 3 ulonglong, 4 slonglong, 5 int, 6
                   // ushort
  int result;      // nvmlReturn_t of this field
  union {
    double d;
    unsigned ui;
    unsigned long ul;
    unsigned long long ull;
    long long sll;
    int si;
    unsigned short us;
  } value;
};
constexpr unsigned kNvmlFieldPowerInstant = 186;  // NVML_FI_DEV_POWER_INSTANT, milliwatts

double field_as_double(const NvmlFieldValue& f) {
  switch (f.value_type) {
    case 0:
      return f.value.d;
    case 1:
      return f.value.ui;
    case 2:
      return static_cast<double>(f.value.ul);
    case 3:
      return static_cast<double>(f.value.ull);
    case 4:
      return static_cast<double>(f.value.sll);
    case 5:
      return f.value.si;
    case 6:
      return f.value.us;
    default:
      return -1;
  }
}

class NvmlMeter : public Meter {
 public:
  explicit NvmlMeter(unsigned index) : index_(index), start_(Clock::now()) {
    lib_ = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib_) {
      throw_error(ErrorCode::kIo,
                  "NVML is not available: cannot load libnvidia-ml.so.1 (no NVIDIA driver here?)");
    }
    init_ = sym<int (*)()>("nvmlInit_v2");
    get_handle_ = sym<int (*)(unsigned, void**)>("nvmlDeviceGetHandleByIndex_v2");
    energy_ = sym<int (*)(void*, unsigned long long*)>("nvmlDeviceGetTotalEnergyConsumption");
    power_ = sym<int (*)(void*, unsigned*)>("nvmlDeviceGetPowerUsage");
    clock_ = sym<int (*)(void*, int, unsigned*)>("nvmlDeviceGetClockInfo");
    temperature_ = sym<int (*)(void*, int, unsigned*)>("nvmlDeviceGetTemperature");
    device_name_ = sym<int (*)(void*, char*, unsigned)>("nvmlDeviceGetName");
    driver_ = sym<int (*)(char*, unsigned)>("nvmlSystemGetDriverVersion");
    shutdown_ = sym<int (*)()>("nvmlShutdown");
    // Optional: drivers before field-value queries lack it.
    field_values_ = reinterpret_cast<int (*)(void*, int, NvmlFieldValue*)>(
        dlsym(lib_, "nvmlDeviceGetFieldValues"));
    if (init_() != 0) fail("nvmlInit failed");
    if (get_handle_(index_, &device_) != 0) fail("no GPU with index " + std::to_string(index_));
    unsigned long long mj = 0;
    has_counter_ = energy_(device_, &mj) == 0;  // Volta and newer
    // On GPUs newer than GA100, nvmlDeviceGetPowerUsage is a one-second
    // average, too smooth to integrate at 100 Hz; the instant field is not.
    instant_power_ = instant_milliwatts() >= 0;
  }
  ~NvmlMeter() override {
    if (shutdown_) shutdown_();
    if (lib_) dlclose(lib_);
  }
  std::string name() const override { return "nvml:" + std::to_string(index_); }
  PowerSample read() override {
    PowerSample s;
    s.t_s = seconds_since(start_);
    if (instant_power_) {
      const double mw = instant_milliwatts();
      if (mw < 0) throw_error(ErrorCode::kIo, "NVML stopped answering (instant power)");
      s.watts = mw / 1000.0;
    } else {
      unsigned mw = 0;
      if (power_(device_, &mw) != 0) throw_error(ErrorCode::kIo, "NVML stopped answering (power)");
      s.watts = mw / 1000.0;
    }
    if (has_counter_) {
      unsigned long long mj = 0;
      if (energy_(device_, &mj) != 0)
        throw_error(ErrorCode::kIo, "NVML stopped answering (energy)");
      s.counter_j = static_cast<double>(mj) / 1000.0;
    }
    return s;
  }
  std::map<std::string, std::string> conditions() override {
    std::map<std::string, std::string> c;
    char buffer[96] = {0};
    if (device_name_(device_, buffer, sizeof buffer) == 0) c["device"] = buffer;
    if (driver_(buffer, sizeof buffer) == 0) c["driver"] = buffer;
    unsigned v = 0;
    if (clock_(device_, 1, &v) == 0) c["sm_clock_mhz"] = std::to_string(v);   // NVML_CLOCK_SM
    if (clock_(device_, 2, &v) == 0) c["mem_clock_mhz"] = std::to_string(v);  // NVML_CLOCK_MEM
    if (temperature_(device_, 0, &v) == 0)
      c["temperature_c"] = std::to_string(v);  // NVML_TEMPERATURE_GPU
    c["energy_counter"] = has_counter_ ? "yes" : "no (power samples integrated)";
    c["power_reading"] = instant_power_ ? "instant (NVML_FI_DEV_POWER_INSTANT)"
                                        : "nvmlDeviceGetPowerUsage (a 1 s average on GPUs "
                                          "newer than GA100)";
    return c;
  }

 private:
  // Milliwatts, or -1 when the field is not supported.
  double instant_milliwatts() {
    if (field_values_ == nullptr) return -1;
    NvmlFieldValue f{};
    f.field_id = kNvmlFieldPowerInstant;
    if (field_values_(device_, 1, &f) != 0 || f.result != 0) return -1;
    return field_as_double(f);
  }
  template <typename F>
  F sym(const char* name) {
    void* p = dlsym(lib_, name);
    if (!p) fail(std::string("libnvidia-ml.so.1 lacks ") + name);
    return reinterpret_cast<F>(p);
  }
  [[noreturn]] void fail(const std::string& what) {
    throw_error(ErrorCode::kIo, "NVML is not usable: " + what);
  }
  unsigned index_;
  Clock::time_point start_;
  void* lib_ = nullptr;
  void* device_ = nullptr;
  bool has_counter_ = false;
  bool instant_power_ = false;
  int (*field_values_)(void*, int, NvmlFieldValue*) = nullptr;
  int (*init_)() = nullptr;
  int (*get_handle_)(unsigned, void**) = nullptr;
  int (*energy_)(void*, unsigned long long*) = nullptr;
  int (*power_)(void*, unsigned*) = nullptr;
  int (*clock_)(void*, int, unsigned*) = nullptr;
  int (*temperature_)(void*, int, unsigned*) = nullptr;
  int (*device_name_)(void*, char*, unsigned) = nullptr;
  int (*driver_)(char*, unsigned) = nullptr;
  int (*shutdown_)() = nullptr;
};

}  // namespace

std::unique_ptr<Meter> open_meter(const std::string& spec) {
  if (spec.rfind("replay:", 0) == 0) return std::make_unique<ReplayMeter>(spec.substr(7));
  if (spec == "rapl" || spec == "rapl:package") return std::make_unique<RaplMeter>("package");
  if (spec == "rapl:dram") return std::make_unique<RaplMeter>("dram");
  if (spec == "nvml" || spec.rfind("nvml:", 0) == 0) {
    const std::string index = spec == "nvml" ? "0" : spec.substr(5);
    if (index.empty() || index.size() > 4 ||
        index.find_first_not_of("0123456789") != std::string::npos) {
      throw_error(ErrorCode::kUsage, "--meter " + spec + ": expected nvml:INDEX (below 10000)");
    }
    return std::make_unique<NvmlMeter>(static_cast<unsigned>(std::stoul(index)));
  }
  throw_error(ErrorCode::kUsage, "unknown meter '" + spec +
                                     "' (known: nvml:INDEX, rapl, rapl:dram, replay:TRACE.csv)");
}

}  // namespace reuselens
