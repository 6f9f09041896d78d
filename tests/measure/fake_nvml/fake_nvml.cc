// A stand-in for libnvidia-ml.so.1 so the NVML meter's code path runs in the
// tests without a GPU: a device drawing a constant 100 W (instant field), a
// one-second-average reading of 90 W (so a test sees which one was used),
// and an energy counter advancing at 100 W since nvmlInit.
#include <time.h>

#include <cstring>

namespace {

double seconds_now() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double g_start = 0;
int g_device = 0;

struct FieldValue {  // nvmlFieldValue_t's layout
  unsigned field_id;
  unsigned scope_id;
  long long timestamp;
  long long latency_us;
  int value_type;
  int result;
  union {
    double d;
    unsigned ui;
    unsigned long long ull;
  } value;
};

}  // namespace

extern "C" {

int nvmlInit_v2() {
  g_start = seconds_now();
  return 0;
}
int nvmlShutdown() { return 0; }
int nvmlDeviceGetHandleByIndex_v2(unsigned index, void** device) {
  if (index != 0) return 2;  // NVML_ERROR_INVALID_ARGUMENT
  *device = &g_device;
  return 0;
}
int nvmlDeviceGetTotalEnergyConsumption(void*, unsigned long long* millijoules) {
  *millijoules = static_cast<unsigned long long>(100000.0 * (seconds_now() - g_start));
  return 0;
}
int nvmlDeviceGetPowerUsage(void*, unsigned* milliwatts) {
  *milliwatts = 90000;
  return 0;
}
int nvmlDeviceGetFieldValues(void*, int count, FieldValue* values) {
  for (int i = 0; i < count; ++i) {
    if (values[i].field_id == 186) {  // NVML_FI_DEV_POWER_INSTANT
      values[i].value_type = 1;
      values[i].value.ui = 100000;
      values[i].result = 0;
    } else {
      values[i].result = 3;  // NVML_ERROR_NOT_SUPPORTED
    }
  }
  return 0;
}
int nvmlDeviceGetClockInfo(void*, int type, unsigned* mhz) {
  *mhz = type == 1 ? 1980 : 2619;
  return 0;
}
int nvmlDeviceGetTemperature(void*, int, unsigned* celsius) {
  *celsius = 41;
  return 0;
}
int nvmlDeviceGetName(void*, char* name, unsigned length) {
  std::strncpy(name, "Fake GPU 80GB", length);
  return 0;
}
int nvmlSystemGetDriverVersion(char* version, unsigned length) {
  std::strncpy(version, "999.1", length);
  return 0;
}

}  // extern "C"
