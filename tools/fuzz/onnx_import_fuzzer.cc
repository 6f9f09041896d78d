// libFuzzer target: arbitrary bytes through the ONNX importer and the
// analysis. Any reuselens::Error is an accepted outcome; a crash, a sanitizer
// report or another exception type is a bug. Built and run by
// scripts/fuzz-onnx.sh (clang), not in CI.
#include <cstddef>
#include <cstdint>
#include <string>

#include "reuselens/error.h"
#include "reuselens/metrics.h"
#include "reuselens/model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    const reuselens::Graph g = reuselens::import_onnx_bytes(bytes, "/tmp/fuzz/input.onnx");
    reuselens::analyze(g, {});
  } catch (const reuselens::Error&) {
  }
  return 0;
}
